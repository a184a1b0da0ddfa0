import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../../rpc/dispatch.ts'
import { defineMethod } from '../../../rpc/method.ts'
import { hasFragileIds, rawIds } from '../../../rpc/rawIds.ts'

describe('rawIds', () => {
  it('finds the top-level id of each request as written, ignoring nested ones', () => {
    expect(rawIds('{"id":1e400,"method":"x"}')).toEqual(['1e400'])
    expect(rawIds(' { "params" : [{"id":2}, "\\"id\\":3"] , "id" :  1.50 } ')).toEqual(['1.50'])
    expect(rawIds('[{"id":-0},7,{"method":"x"},[{"id":1}],{"\\u0069d":12345678901234567890}]')).toEqual(['-0', undefined, undefined, undefined, '12345678901234567890'])
    expect(rawIds('{"id":1,"id":2e0}')).toEqual(['2e0'])
    expect(rawIds('[]')).toEqual([])
    expect(rawIds('"x"')).toEqual([undefined])
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    expect(rawIds(`[${deep},{"params":${deep},"id":1.0}]`)).toEqual([undefined, '1.0'])
  })

  it('is needed only for numbers JSON.stringify would change', () => {
    expect(hasFragileIds({ id: 1 })).toBe(false)
    expect(hasFragileIds([{ id: 'a' }, { id: null }, 5])).toBe(false)
    expect(hasFragileIds([{ id: 1 }, { id: 1.5 }])).toBe(true)
    expect(hasFragileIds({ id: -0 })).toBe(true)
    expect(hasFragileIds({ id: 2 ** 60 })).toBe(true)
  })
})

describe('dispatch echoes ids as written', () => {
  const table = { test_ok: defineMethod([], () => 'ok') }
  const send = (body: string) => dispatch(body, table, { ctx: { transport: 'http' }, logger: pino({ level: 'silent' }) })

  it('results, errors and batches', async () => {
    expect(await send('{"jsonrpc":"2.0","id":12345678901234567890,"method":"test_ok"}')).toBe('{"jsonrpc":"2.0","id":12345678901234567890,"result":"ok"}')
    expect(await send('{"jsonrpc":"2.0","id":1e400,"method":"nope"}')).toBe(
      '{"jsonrpc":"2.0","id":1e400,"error":{"code":-32601,"message":"the method nope does not exist/is not available"}}',
    )
    expect(await send('[{"jsonrpc":"2.0","id":1.50,"method":"test_ok"},{"id":-0}]')).toBe(
      '[{"jsonrpc":"2.0","id":1.50,"result":"ok"},{"jsonrpc":"2.0","id":-0,"error":{"code":-32600,"message":"invalid request"}}]',
    )
    expect(await send('{"jsonrpc":"2.0","id":7,"method":"test_ok"}')).toBe('{"jsonrpc":"2.0","id":7,"result":"ok"}')
  })
})
