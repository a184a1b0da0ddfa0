/**
 * Malformed JSON-RPC over HTTP: the node answers with the right error object and keeps serving.
 * Codes follow geth (-32700 parse, -32600 invalid request, -32601 method not found, -32602 invalid
 * params). Where anvil differs from geth, the test asserts geth's behaviour for olnode and anvil's
 * real behaviour for anvil (see `expectedCode` and the olnode-only cases).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEV_ADDRESSES, DEV_BALANCE, IS_OLNODE, KIND, postRaw, rpc, startDevnet, type DevnetProcess, type JsonRpcResponse } from './helpers.ts'

const ADDR = DEV_ADDRESSES[0]
const OVER_2_256 = '0x1' + '0'.repeat(64) // 2^256, one more bit than any quantity may have

describe(`bad JSON-RPC input over HTTP (${KIND})`, () => {
  let devnet: DevnetProcess
  let head: string

  beforeAll(async () => {
    devnet = await startDevnet()
    head = await rpc<string>(devnet.url, 'eth_blockNumber')
  })

  afterAll(async () => {
    await devnet?.stop()
  })

  /** Posts `body`, expects one error object with `code` and `id`; then checks the node still answers. */
  async function expectError(body: string, code: number, id: unknown): Promise<JsonRpcResponse> {
    const { json, text } = await postRaw(devnet.url, body)
    expect(json, `response to ${body.slice(0, 80)}: ${text}`).toBeTypeOf('object')
    expect(Array.isArray(json), `a single error object, not a batch: ${text}`).toBe(false)
    const r = json as JsonRpcResponse
    expect(r.jsonrpc).toBe('2.0')
    expect(r.id).toEqual(id)
    expect(r.result).toBeUndefined()
    expect(r.error?.code, text).toBe(code)
    expect(typeof r.error?.message).toBe('string')
    expect(r.error!.message.length).toBeGreaterThan(0)
    await expectStillServing()
    return r
  }

  const call = (method: string, params: unknown, id: unknown = 7) => JSON.stringify({ jsonrpc: '2.0', id, method, params })

  async function expectStillServing() {
    // Nothing above may have mined or broken anything: same head, and a real answer.
    expect(await rpc<string>(devnet.url, 'eth_blockNumber')).toBe(head)
    expect(await rpc<string>(devnet.url, 'eth_chainId')).toBe('0x539')
  }

  it('unparsable JSON -> parse error (geth -32700; anvil answers -32600), id null', async () => {
    await expectError('{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"', IS_OLNODE ? -32700 : -32600, null)
    await expectError('not json at all', IS_OLNODE ? -32700 : -32600, null)
  })

  it('empty batch [] -> one -32600 error object (not an array)', async () => {
    await expectError('[]', -32600, null)
  })

  it('request without a method, or not an object -> -32600', async () => {
    await expectError(JSON.stringify({ jsonrpc: '2.0', id: 3 }), -32600, 3)
    await expectError('42', -32600, null)
  })

  it('unknown method -> -32601 with the request id', async () => {
    const r = await expectError(call('eth_noSuchMethod', [], 'abc'), -32601, 'abc')
    expect(r.error!.message.toLowerCase()).toMatch(/not found|does not exist|not available|unsupported/)
  })

  it('wrong parameter types -> -32602', async () => {
    await expectError(call('eth_getBalance', [123, 'latest']), -32602, 7)
    await expectError(call('eth_getBalance', [ADDR, true]), -32602, 7)
    await expectError(call('eth_getBlockByNumber', ['latest', 'yes']), -32602, 7)
    await expectError(call('eth_getBalance', []), -32602, 7)
  })

  it.runIf(IS_OLNODE)('a block number given as a JSON number -> -32602 (geth; anvil accepts it)', async () => {
    await expectError(call('eth_getBlockByNumber', [1, false]), -32602, 7)
  })

  it('numbers over 2^256 -> -32602', async () => {
    await expectError(call('eth_getBalance', [ADDR, OVER_2_256]), -32602, 7)
    await expectError(call('eth_getBlockByNumber', [OVER_2_256, false]), -32602, 7)
    await expectError(call('eth_call', [{ from: ADDR, to: DEV_ADDRESSES[1], value: OVER_2_256 }, 'latest']), -32602, 7)
  })

  it('bad hex (0xzz) -> -32602', async () => {
    await expectError(call('eth_getBalance', ['0xzz', 'latest']), -32602, 7)
    await expectError(call('eth_getBlockByNumber', ['0xzz', false]), -32602, 7)
    await expectError(call('eth_getTransactionReceipt', ['0xzz']), -32602, 7)
    await expectError(call('eth_sendRawTransaction', ['0xzz']), -32602, 7)
    // An address of the wrong length is bad input too.
    await expectError(call('eth_getBalance', ['0x1234', 'latest']), -32602, 7)
  })

  it('a batch with a good and a bad call answers both, matched by id', async () => {
    const body = JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', id: 2, method: 'eth_noSuchMethod', params: [] },
      { jsonrpc: '2.0', id: 3, method: 'eth_getBalance', params: ['0xzz', 'latest'] },
    ])
    const { json } = await postRaw(devnet.url, body)
    expect(Array.isArray(json)).toBe(true)
    const byId = new Map((json as JsonRpcResponse[]).map((r) => [r.id, r]))
    expect(byId.size).toBe(3)
    expect(byId.get(1)?.result).toBe('0x539')
    expect(byId.get(2)?.error?.code).toBe(-32601)
    expect(byId.get(3)?.error?.code).toBe(-32602)
    await expectStillServing()
  })

  it.runIf(IS_OLNODE)('a batch of one non-object [1] -> an array with one -32600 (geth; anvil answers a single object)', async () => {
    const { json, text } = await postRaw(devnet.url, '[1]')
    expect(Array.isArray(json), text).toBe(true)
    const arr = json as JsonRpcResponse[]
    expect(arr).toHaveLength(1)
    expect(arr[0].id).toBeNull()
    expect(arr[0].error?.code).toBe(-32600)
    await expectStillServing()
  })

  it('the good calls still work and return the genesis state', async () => {
    await expectStillServing()
    expect(BigInt(await rpc<string>(devnet.url, 'eth_getBalance', [ADDR, 'latest']))).toBe(DEV_BALANCE)
  })
})
