/** Malformed JSON-RPC over HTTP and WebSocket, answered as geth answers it (rpc/handler.go, rpc/json.go). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'

const invalid = (id: unknown, message = 'invalid request') => ({ jsonrpc: '2.0', id, error: { code: -32600, message } })
const chainId = (id: unknown) => ({ jsonrpc: '2.0', id, result: '0x539' })

/** [body, expected answer] pairs; undefined: no answer owed. */
const CASES: [string, unknown][] = [
  ['1', invalid(null)],
  ['null', invalid(null)],
  ['"eth_chainId"', invalid(null)],
  ['[]', invalid(null, 'empty batch')],
  ['[1,2,3]', [invalid(null), invalid(null), invalid(null)]],
  ['[null]', [invalid(null)]],
  ['{"id":4,"method":"eth_chainId"}', invalid(4)],
  ['{"jsonrpc":"1.0","id":"a","method":"eth_chainId"}', invalid('a')],
  ['{"jsonrpc":2,"id":5,"method":"eth_chainId"}', invalid(5)],
  ['{"jsonrpc":"2.0","id":6}', invalid(6)],
  ['{"jsonrpc":"2.0","id":{"x":1},"method":"eth_chainId"}', invalid(null)],
  ['{"jsonrpc":"2.0","id":[7],"method":"eth_chainId"}', invalid(null)],
  ['{"jsonrpc":"2.0","method":""}', invalid(null)],
  ['{"jsonrpc":"2.0","id":7,"method":"eth_chainId"}', chainId(7)],
  ['{"jsonrpc":"2.0","id":"seven","method":"eth_chainId"}', chainId('seven')],
  ['{"jsonrpc":"2.0","id":null,"method":"eth_chainId"}', chainId(null)],
  ['{"jsonrpc":"2.0","id":-1.5,"method":"eth_chainId"}', chainId(-1.5)],
  ['{"jsonrpc":"2.0","method":"eth_chainId"}', undefined],
  [
    '[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},7,{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","id":"x","method":"nope"},{"id":2}]',
    [chainId(1), invalid(null), { jsonrpc: '2.0', id: 'x', error: { code: -32601, message: 'the method nope does not exist/is not available' } }, invalid(2)],
  ],
  ['{"jsonrpc":"2.0","id":1,"method":"eth_chainId"', { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }],
]

describe('malformed JSON-RPC', () => {
  let t: TestNode
  let ws: WebSocket
  const wsAnswers: string[] = []

  beforeAll(async () => {
    t = await spawnNode()
    ws = new WebSocket(t.wsUrl)
    ws.on('message', (data) => wsAnswers.push(data.toString()))
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
  })
  afterAll(async () => {
    ws?.terminate()
    await t?.close()
  })

  it.each(CASES)('HTTP %s', async (body, expected) => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text === '' ? undefined : JSON.parse(text)).toEqual(expected)
  })

  it('numeric ids come back byte for byte, as geth echoes them, even those JS numbers cannot hold', async () => {
    for (const id of ['12345678901234567890', '1e400', '1.50', '-0']) {
      const body = `[{"jsonrpc":"2.0","id":${id},"method":"eth_chainId"},{"jsonrpc":"2.0","id":${id}}]`
      const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      expect(await res.text()).toBe(`[{"jsonrpc":"2.0","id":${id},"result":"0x539"},{"jsonrpc":"2.0","id":${id},"error":{"code":-32600,"message":"invalid request"}}]`)
    }
  })

  it('WebSocket: the same answers (messages run concurrently, as in geth, so in any order), nothing for notifications', async () => {
    // A marker after each case tells "no answer" from "not yet".
    const marker = (i: number) => `{"jsonrpc":"2.0","id":"marker-${i}","method":"eth_chainId"}`
    CASES.forEach(([body], i) => {
      ws.send(body)
      ws.send(marker(i))
    })
    const deadline = Date.now() + 10_000
    while (!wsAnswers.some((a) => a.includes(`marker-${CASES.length - 1}`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await new Promise((r) => setTimeout(r, 100))
    const sorted = (answers: unknown[]) => answers.map((a) => JSON.stringify(a)).sort()
    const expected = CASES.flatMap(([, answer], i) => [...(answer === undefined ? [] : [answer]), chainId(`marker-${i}`)])
    expect(sorted(wsAnswers.map((a) => JSON.parse(a)))).toEqual(sorted(expected))
  })
})
