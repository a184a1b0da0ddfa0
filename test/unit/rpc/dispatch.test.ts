import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../../rpc/dispatch.ts'
import { ExecutionRevertedError } from '../../../rpc/errors.ts'
import { defineMethod, type MethodTable, type RpcContext } from '../../../rpc/method.ts'
import { optional, quantity, string } from '../../../rpc/validators.ts'

const HTTP: RpcContext = { transport: 'http' }

interface Harness {
  table: MethodTable
  calls: string[]
  logs: Record<string, unknown>[]
  send(body: unknown, opts?: { ctx?: RpcContext; maxBatchItems?: number }): Promise<unknown>
  raw(body: string): Promise<string | undefined>
}

function harness(): Harness {
  const calls: string[] = []
  const logs: Record<string, unknown>[] = []
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) })
  const table: MethodTable = {
    test_echo: defineMethod([string, optional(quantity)], ([s, n]) => {
      calls.push(s)
      return n === undefined ? s : `${s}:${n}`
    }),
    test_sum: defineMethod([quantity, quantity], ([a, b]) => a + b),
    test_bytes: defineMethod([], () => new Uint8Array([1, 2])),
    test_void: defineMethod([], () => undefined),
    test_revert: defineMethod([], () => {
      throw new ExecutionRevertedError('0x08c379a0', 'not owner')
    }),
    test_fail: defineMethod([], () => {
      throw new Error('nonce too low')
    }),
    test_crash: defineMethod([], () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')")
    }),
    test_throwString: defineMethod([], () => {
      throw 'boom' // what a careless handler might do
    }),
    test_async: defineMethod([], async () => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      return 'later'
    }),
    test_subscribe: defineMethod([], () => '0x1', { wsOnly: true }),
  }
  const raw = (body: string, opts: { ctx?: RpcContext; maxBatchItems?: number } = {}) =>
    dispatch(body, table, { ctx: opts.ctx ?? HTTP, logger, maxBatchItems: opts.maxBatchItems })
  return {
    table,
    calls,
    logs,
    raw,
    async send(body, opts) {
      const text = await raw(typeof body === 'string' ? body : JSON.stringify(body), opts)
      return text === undefined ? undefined : JSON.parse(text)
    },
  }
}

const req = (id: unknown, method: string, params?: unknown[]) => ({ jsonrpc: '2.0', id, method, params })
const invalid = (id: unknown, message = 'invalid request') => ({ jsonrpc: '2.0', id, error: { code: -32600, message } })

describe('dispatch: malformed input, as geth answers it', () => {
  it('answers unparsable JSON with -32700 and id null', async () => {
    const h = harness()
    expect(await h.raw('{"jsonrpc":')).toBe('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}')
    expect(await h.send('')).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } })
  })

  it('answers JSON that is not an object with -32600 and id null', async () => {
    const h = harness()
    for (const body of ['1', 'null', '"eth_blockNumber"', 'true']) {
      expect(await h.send(body)).toEqual(invalid(null))
    }
  })

  it('answers an empty batch with a single -32600 "empty batch"', async () => {
    expect(await harness().send('[]')).toEqual(invalid(null, 'empty batch'))
  })

  it('answers each bad element of a batch', async () => {
    expect(await harness().send('[1,2,3]')).toEqual([invalid(null), invalid(null), invalid(null)])
  })

  it('requires jsonrpc "2.0", echoing a usable id', async () => {
    const h = harness()
    expect(await h.send({ id: 1, method: 'test_echo', params: ['a'] })).toEqual(invalid(1))
    expect(await h.send({ jsonrpc: '1.0', id: 'x', method: 'test_echo', params: ['a'] })).toEqual(invalid('x'))
    expect(await h.send({ jsonrpc: 2, id: 3, method: 'test_echo', params: ['a'] })).toEqual(invalid(3))
    expect(h.calls).toEqual([])
  })

  it('requires a string method', async () => {
    const h = harness()
    expect(await h.send({ jsonrpc: '2.0', id: 7, method: 5 })).toEqual(invalid(7))
    expect(await h.send({ jsonrpc: '2.0', id: 8 })).toEqual(invalid(8))
    expect(await h.send({ jsonrpc: '2.0', id: 9, method: '' })).toEqual(invalid(9))
  })

  it('refuses object and array ids, answering with id null', async () => {
    const h = harness()
    expect(await h.send(req({ a: 1 }, 'test_echo', ['a']))).toEqual(invalid(null))
    expect(await h.send(req([1], 'test_echo', ['a']))).toEqual(invalid(null))
    expect(h.calls).toEqual([])
  })

  it('answers an id-less message that is not a valid notification, with id null', async () => {
    expect(await harness().send({ method: 'test_echo', params: ['a'] })).toEqual(invalid(null))
  })

  it('refuses over-long method names', async () => {
    const name = 'x'.repeat(2049)
    expect(await harness().send(req(1, name))).toEqual(invalid(1, 'method name too long: 2049 > 2048'))
  })
})

describe('dispatch: ids and notifications', () => {
  it('echoes number, string, zero and null ids exactly', async () => {
    const h = harness()
    expect(await h.raw(JSON.stringify(req(42, 'test_echo', ['a'])))).toBe('{"jsonrpc":"2.0","id":42,"result":"a"}')
    expect(await h.send(req('abc', 'test_echo', ['a']))).toEqual({ jsonrpc: '2.0', id: 'abc', result: 'a' })
    expect(await h.send(req(0, 'test_echo', ['a']))).toEqual({ jsonrpc: '2.0', id: 0, result: 'a' })
    expect(await h.send(req(null, 'test_echo', ['a']))).toEqual({ jsonrpc: '2.0', id: null, result: 'a' })
  })

  it('runs a notification but answers nothing, even when it fails', async () => {
    const h = harness()
    expect(await h.raw('{"jsonrpc":"2.0","method":"test_echo","params":["n"]}')).toBeUndefined()
    expect(h.calls).toEqual(['n'])
    expect(await h.raw('{"jsonrpc":"2.0","method":"eth_nothing"}')).toBeUndefined()
    expect(await h.raw('{"jsonrpc":"2.0","method":"test_echo","params":[1]}')).toBeUndefined()
  })
})

describe('dispatch: batches', () => {
  it('answers a mixed batch element by element, in order, leaving out notifications', async () => {
    const h = harness()
    const body = [
      req(1, 'test_echo', ['a']),
      { jsonrpc: '2.0', method: 'test_echo', params: ['note'] },
      7,
      req(2, 'eth_nothing'),
      req('three', 'test_sum', ['0x1', '0x2']),
    ]
    expect(await h.send(body)).toEqual([
      { jsonrpc: '2.0', id: 1, result: 'a' },
      invalid(null),
      { jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'the method eth_nothing does not exist/is not available' } },
      { jsonrpc: '2.0', id: 'three', result: '0x3' },
    ])
    expect(h.calls).toEqual(['a', 'note'])
  })

  it('answers nothing to a batch of notifications only, but runs them in order', async () => {
    const h = harness()
    const note = (s: string) => ({ jsonrpc: '2.0', method: 'test_echo', params: [s] })
    expect(await h.raw(JSON.stringify([note('1'), note('2'), note('3')]))).toBeUndefined()
    expect(h.calls).toEqual(['1', '2', '3'])
  })

  it('runs batch calls one after the other even when they are async', async () => {
    const h = harness()
    const out = await h.send([req(1, 'test_async'), req(2, 'test_echo', ['after'])])
    expect(out).toEqual([
      { jsonrpc: '2.0', id: 1, result: 'later' },
      { jsonrpc: '2.0', id: 2, result: 'after' },
    ])
  })

  it('refuses a batch over the limit with one error carrying the first call id', async () => {
    const h = harness()
    const note = { jsonrpc: '2.0', method: 'test_echo', params: ['n'] }
    const body = [note, req(5, 'test_echo', ['a']), req(6, 'test_echo', ['b'])]
    expect(await h.send(body, { maxBatchItems: 2 })).toEqual([invalid(5, 'batch too large')])
    expect(await h.send([note, note, note], { maxBatchItems: 2 })).toEqual([invalid(null, 'batch too large')])
    expect(h.calls).toEqual([])
    expect(await h.send(body, { maxBatchItems: 3 })).toHaveLength(2)
  })

  it('defaults the batch limit to 1000', async () => {
    const h = harness()
    const batch = (n: number) => Array.from({ length: n }, (_, i) => req(i, 'test_void'))
    expect(await h.send(batch(1000))).toHaveLength(1000)
    expect(await h.send(batch(1001))).toEqual([invalid(0, 'batch too large')])
  })
})

describe('dispatch: methods and params', () => {
  it('answers unknown methods with -32601, including Object.prototype names', async () => {
    const h = harness()
    for (const name of ['eth_foo', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(await h.send(req(1, name))).toEqual({
        jsonrpc: '2.0',
        id: 1,
        error: { code: -32601, message: `the method ${name} does not exist/is not available` },
      })
    }
  })

  it('checks the params count as geth does', async () => {
    const h = harness()
    const error = async (params: unknown) =>
      ((await h.send({ jsonrpc: '2.0', id: 1, method: 'test_sum', params })) as { error: unknown }).error
    expect(await error(['0x1', '0x2', '0x3'])).toEqual({ code: -32602, message: 'too many arguments, want at most 2' })
    expect(await error(['0x1'])).toEqual({ code: -32602, message: 'missing value for required argument 1' })
    expect(await error(['0x1', null])).toEqual({ code: -32602, message: 'missing value for required argument 1' })
    expect(await error(undefined)).toEqual({ code: -32602, message: 'missing value for required argument 0' })
    expect(await error({ a: '0x1' })).toEqual({ code: -32602, message: 'non-array args' })
    expect(await error(['0x1', '2'])).toEqual({ code: -32602, message: 'invalid argument 1: hex string without 0x prefix' })
  })

  it('lets trailing optional params be omitted or null', async () => {
    const h = harness()
    expect(await h.send(req(1, 'test_echo', ['a']))).toEqual({ jsonrpc: '2.0', id: 1, result: 'a' })
    expect(await h.send(req(2, 'test_echo', ['a', null]))).toEqual({ jsonrpc: '2.0', id: 2, result: 'a' })
    expect(await h.send(req(3, 'test_echo', ['a', '0x9']))).toEqual({ jsonrpc: '2.0', id: 3, result: 'a:9' })
    expect(await h.send({ jsonrpc: '2.0', id: 4, method: 'test_void' })).toEqual({ jsonrpc: '2.0', id: 4, result: null })
  })

  it('serialises bigint and bytes results as hex, and undefined as null', async () => {
    const h = harness()
    expect(await h.raw(JSON.stringify(req(1, 'test_sum', ['0xff', '0x1'])))).toBe('{"jsonrpc":"2.0","id":1,"result":"0x100"}')
    expect(await h.send(req(2, 'test_bytes'))).toEqual({ jsonrpc: '2.0', id: 2, result: '0x0102' })
    expect(await h.raw(JSON.stringify(req(3, 'test_void')))).toBe('{"jsonrpc":"2.0","id":3,"result":null}')
  })

  it('refuses ws-only methods over HTTP as geth refuses subscriptions', async () => {
    const h = harness()
    expect(await h.send(req(1, 'test_subscribe'))).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32601, message: 'notifications not supported' },
    })
    const ws: RpcContext = { transport: 'ws', connection: { id: 1, notify: () => {}, onClose: () => {} } }
    expect(await h.send(req(2, 'test_subscribe'), { ctx: ws })).toEqual({ jsonrpc: '2.0', id: 2, result: '0x1' })
  })
})

describe('dispatch: handler errors', () => {
  it('passes an RpcError through with its code, message and data', async () => {
    expect(await harness().send(req(1, 'test_revert'))).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: 3, message: 'execution reverted: not owner', data: '0x08c379a0' },
    })
  })

  it('answers a plain Error with -32000 and its message, logs it at warn, and leaks no stack', async () => {
    const h = harness()
    const text = await h.raw(JSON.stringify(req(1, 'test_fail')))
    expect(JSON.parse(text!)).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'nonce too low' } })
    expect(text).not.toContain('at ')
    const warn = h.logs.find((l) => l.level === 40)
    expect(warn).toMatchObject({ method: 'test_fail', msg: 'RPC method threw' })
  })

  it('answers a crash (TypeError, thrown non-Error) with -32603 and no internals', async () => {
    const h = harness()
    const crashed = { code: -32603, message: 'method handler crashed' }
    expect(await h.send(req(1, 'test_crash'))).toEqual({ jsonrpc: '2.0', id: 1, error: crashed })
    expect(await h.send(req(2, 'test_throwString'))).toEqual({ jsonrpc: '2.0', id: 2, error: crashed })
    expect(h.logs.filter((l) => l.level === 40)).toHaveLength(2)
  })
})

describe('dispatch: prefetch', () => {
  /** A table whose test_fetch records what its prefetch was handed and whether each call ran after it. */
  function prefetching(prefetch: (calls: [bigint][]) => Promise<void>) {
    const h = harness()
    const seen: { prefetched: bigint[][]; ran: { n: bigint; afterPrefetch: boolean }[] } = { prefetched: [], ran: [] }
    let done = false
    h.table.test_fetch = defineMethod(
      [quantity],
      ([n]) => {
        seen.ran.push({ n, afterPrefetch: done })
        return n
      },
      {
        prefetch: async (calls) => {
          seen.prefetched.push(calls.map(([n]) => n))
          await prefetch(calls)
          done = true
        },
      },
    )
    return { h, seen }
  }

  it('hands the method all its well-formed calls of a batch at once, before the first of them runs', async () => {
    const { h, seen } = prefetching(() => new Promise((resolve) => setTimeout(resolve, 5)))
    const batch = [req(1, 'test_fetch', ['0x1']), req(2, 'test_echo', ['a']), req(3, 'test_fetch', ['not a number']), { jsonrpc: '2.0', method: 'test_fetch', params: ['0x4'] }, req(5, 'test_fetch', ['0x5']), { id: 6 }]
    const answers = (await h.send(batch)) as { id: number; result?: string; error?: { code: number } }[]
    expect(seen.prefetched).toEqual([[1n, 4n, 5n]])
    expect(seen.ran).toEqual([1n, 4n, 5n].map((n) => ({ n, afterPrefetch: true })))
    expect(answers.map((a) => [a.id, a.result ?? a.error?.code])).toEqual([[1, '0x1'], [2, 'a'], [3, -32602], [5, '0x5'], [6, -32600]])
  })

  it('parses each prefetched call once: the call runs on the very params its prefetch was handed', async () => {
    const h = harness()
    let parses = 0
    const counted = { ...quantity, parse: (value: unknown, path: string) => (parses++, { n: quantity.parse(value, path) }) }
    const prefetchedParams: unknown[] = []
    const ranWith: unknown[] = []
    h.table.test_fetch = defineMethod([counted], ([p]) => (ranWith.push(p), p.n), { prefetch: async (calls) => void prefetchedParams.push(...calls.map(([p]) => p)) })
    const answers = await h.send([req(1, 'test_fetch', ['0x1']), req(2, 'test_fetch', ['0x2']), req(3, 'test_fetch', ['0x3'])])
    expect((answers as { result: string }[]).map((a) => a.result)).toEqual(['0x1', '0x2', '0x3'])
    expect(parses).toBe(3)
    expect(ranWith).toHaveLength(3)
    ranWith.forEach((p, i) => expect(p).toBe(prefetchedParams[i]))
  })

  it('runs a single call without a prefetch, and a prefetch that fails is logged and changes no answer', async () => {
    const { h, seen } = prefetching(async () => {
      throw new Error('worker gone')
    })
    expect(await h.send(req(7, 'test_fetch', ['0x7']))).toEqual({ jsonrpc: '2.0', id: 7, result: '0x7' })
    expect(seen.prefetched).toEqual([])
    expect(h.logs.find((l) => l.msg === 'RPC prefetch failed')).toBeUndefined()
    expect(await h.send([req(8, 'test_fetch', ['0x8']), req(9, 'test_fetch', ['0x9'])])).toEqual([
      { jsonrpc: '2.0', id: 8, result: '0x8' },
      { jsonrpc: '2.0', id: 9, result: '0x9' },
    ])
    expect(seen.prefetched).toEqual([[8n, 9n]])
    expect(h.logs.find((l) => l.msg === 'RPC prefetch failed')).toMatchObject({ level: 40 })
  })
})
