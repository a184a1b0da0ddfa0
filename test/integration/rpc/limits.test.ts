/** The RPC limits of RpcOptions, each made small on an in-process node and hit over HTTP (and WebSocket where it applies). */
import { request } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Transaction, Wallet, keccak256, toUtf8Bytes } from 'ethers'
import { DEFAULT_RPC, type RpcOptions } from '../../../node/options.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, ETHER, GWEI, WsClient, deployProbe, devWallet, hex, probe, rpcError, sendAndMine, waitForReceipt } from './helpers.ts'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request, so that Host and Origin can be set (fetch forbids them). */
function httpRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'POST', headers: { 'content-type': 'application/json', ...opts.headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

const call = (id: unknown, method: string, params: unknown[] = []) => ({ jsonrpc: '2.0', id, method, params })
const post = async (t: TestNode, body: unknown) => JSON.parse((await httpRequest(t.url, { body: JSON.stringify(body) })).body)

const nodes: TestNode[] = []
async function nodeWith(rpc: Partial<RpcOptions>): Promise<TestNode> {
  const t = await spawnNode({ rpc: { ...DEFAULT_RPC, port: 0, ...rpc } })
  nodes.push(t)
  return t
}
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((t) => t.close()))
})

describe('request size and batches', () => {
  it('a body over --rpc.body-limit is HTTP 413', async () => {
    const t = await nodeWith({ bodyLimit: 1024 })
    const small = await httpRequest(t.url, { body: JSON.stringify(call(1, 'eth_chainId')) })
    expect([small.status, JSON.parse(small.body).result]).toEqual([200, '0x539'])
    const big = JSON.stringify(call(1, 'web3_sha3', [`0x${'ab'.repeat(1000)}`]))
    const refused = await httpRequest(t.url, { body: big })
    expect(refused.status).toBe(413)
    expect(refused.body).toBe(`content length too large (${big.length}>1024)\n`)
  })

  it('a batch over --rpc.batch-request-limit: one -32600 "batch too large" with the first call id, over HTTP and WebSocket', async () => {
    const t = await nodeWith({ batchRequestLimit: 3 })
    const ok = [call(1, 'eth_chainId'), call(2, 'eth_chainId'), call(3, 'eth_chainId')]
    expect(await post(t, ok)).toHaveLength(3)
    const tooMany = [{ jsonrpc: '2.0', method: 'eth_chainId' }, ...ok.map((c) => ({ ...c, id: `x${c.id}` })), call(9, 'eth_chainId')]
    const expected = [{ jsonrpc: '2.0', id: 'x1', error: { code: -32600, message: 'batch too large' } }]
    expect(await post(t, tooMany)).toEqual(expected)
    expect(JSON.parse(await rawWs(t.wsUrl, JSON.stringify(tooMany)))).toEqual(expected)
  })

  it('results over --rpc.batch-response-max-size: the calls after are answered -32003 "response too large"', async () => {
    const t = await nodeWith({ batchResponseMaxSize: 100 })
    const hash = call(1, 'web3_sha3', ['0x01']) // a result of 68 bytes: "0x" and 64 digits, quoted
    const batch = [hash, { ...hash, id: 2 }, { jsonrpc: '2.0', method: 'eth_chainId' }, call(3, 'eth_chainId'), call('four', 'nope_method')]
    const tooLarge = { code: -32003, message: 'response too large' }
    const check = (answers: any[]) => {
      expect(answers).toHaveLength(4)
      expect(answers[0].result).toMatch(/^0x[0-9a-f]{64}$/)
      expect(answers[1].result).toBe(answers[0].result) // the one that went over is still answered, as in geth
      expect(answers.slice(2)).toEqual([
        { jsonrpc: '2.0', id: 3, error: tooLarge },
        { jsonrpc: '2.0', id: 'four', error: tooLarge },
      ])
    }
    check(await post(t, batch))
    check(JSON.parse(await rawWs(t.wsUrl, JSON.stringify(batch))))
    // Error answers have no result and count for nothing.
    const errors = Array.from({ length: 50 }, (_, i) => call(i, 'eth_getBalance', ['0xzz']))
    expect((await post(t, errors)).every((a: any) => a.error.code === -32602)).toBe(true)
  })
})

describe('eth_getLogs limits', () => {
  const TAG = keccak256(toUtf8Bytes('limits'))

  it('a range wider than --rpc.logs-block-range is -32005', async () => {
    const t = await nodeWith({ logsBlockRange: 5 })
    for (let i = 0; i < 6; i++) await t.node.miner.mine()
    expect(await t.call('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x5' }])).toEqual([])
    expect(await rpcError(t, 'eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x6' }])).toEqual({ code: -32005, message: 'exceed maximum block range: 5' })
    expect((await rpcError(t, 'eth_getLogs', [{ fromBlock: 'earliest' }])).code).toBe(-32005)
  })

  it('more logs than --rpc.logs-result-limit is -32005, in a range or in one block', async () => {
    const t = await nodeWith({ logsResultLimit: 3 })
    const { address } = await deployProbe(t, devWallet(0))
    const receipt = await sendAndMine(t, devWallet(0), { to: address, data: probe.encodeFunctionData('notes', [4, TAG]) })
    expect(receipt.logs).toHaveLength(4)
    const tooMany = { code: -32005, message: 'query returned more than 3 results' }
    expect(await rpcError(t, 'eth_getLogs', [{ fromBlock: '0x0', address }])).toEqual(tooMany)
    expect(await rpcError(t, 'eth_getLogs', [{ blockHash: receipt.blockHash }])).toEqual(tooMany)
    const three = await t.call('eth_getLogs', [{ fromBlock: '0x0', address, topics: [null, [hex(0), hex(1), hex(2)].map((n) => `0x${n.slice(2).padStart(64, '0')}`)] }])
    expect(three).toHaveLength(3)
  })
})

describe('--ws.subscription-limit', () => {
  it('refuses a subscription past the limit on one connection, not on another', async () => {
    const t = await nodeWith({ wsSubscriptionLimit: 2 })
    const ws = await WsClient.connect(t.wsUrl)
    const second = await WsClient.connect(t.wsUrl)
    try {
      await ws.call('eth_subscribe', ['newHeads'])
      const id = await ws.call<string>('eth_subscribe', ['newPendingTransactions'])
      const refused = await ws.request('eth_subscribe', ['newHeads'])
      expect(refused.error).toEqual({ code: -32005, message: 'too many subscriptions (max 2 per connection)' })
      expect(await second.call('eth_subscribe', ['newHeads'])).toMatch(/^0x/)
      expect(await ws.call('eth_unsubscribe', [id])).toBe(true)
      expect(await ws.call('eth_subscribe', ['newHeads'])).toMatch(/^0x/)
    } finally {
      await Promise.all([ws.close(), second.close()])
    }
  })
})

describe('transaction submission', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await spawnNode()
  })
  afterAll(async () => {
    await t?.close()
  })

  it("a fee over --rpc.txfeecap (1 OPEN) is refused with geth's message, raw or signed by the node", async () => {
    const wallet = devWallet(2)
    const raw = await wallet.signTransaction({ chainId: 1337n, type: 2, nonce: 0, to: DEV_ADDRESSES[3], gasLimit: 21_000n, maxFeePerGas: 100_000n * GWEI, maxPriorityFeePerGas: GWEI })
    expect(await rpcError(t, 'eth_sendRawTransaction', [raw])).toEqual({ code: -32000, message: 'tx fee (2.10 ether) exceeds the configured cap (1.00 ether)' })
    const legacy = await wallet.signTransaction({ chainId: 1337n, type: 0, nonce: 0, to: DEV_ADDRESSES[3], gasLimit: 50_000n, gasPrice: 30_000n * GWEI })
    expect((await rpcError(t, 'eth_sendRawTransaction', [legacy])).message).toBe('tx fee (1.50 ether) exceeds the configured cap (1.00 ether)')
    const sent = await rpcError(t, 'eth_sendTransaction', [{ from: wallet.address, to: DEV_ADDRESSES[3], gas: hex(21_000), maxFeePerGas: hex(50_000n * GWEI) }])
    expect(sent).toEqual({ code: -32000, message: 'tx fee (1.05 ether) exceeds the configured cap (1.00 ether)' })
    // Just under the cap passes.
    const hash = await t.call('eth_sendTransaction', [{ from: wallet.address, to: DEV_ADDRESSES[3], gas: hex(21_000), maxFeePerGas: hex(47_000n * GWEI) }])
    expect((await waitForReceipt(t, hash)).status).toBe('0x1')
  })

  it('--rpc.txfeecap 0 lifts the cap', async () => {
    const free = await nodeWith({ txFeeCap: 0n })
    const raw = await devWallet(2).signTransaction({ chainId: 1337n, type: 2, nonce: 0, to: DEV_ADDRESSES[3], gasLimit: 21_000n, maxFeePerGas: 100_000n * GWEI, maxPriorityFeePerGas: GWEI })
    expect((await waitForReceipt(free, await free.call('eth_sendRawTransaction', [raw]))).status).toBe('0x1')
  })

  it('a pre-EIP-155 transaction is refused unless --rpc.allow-unprotected-txs', async () => {
    const unprotected = await new Wallet(Wallet.createRandom().privateKey).signTransaction({ type: 0, chainId: 0n, nonce: 0, to: DEV_ADDRESSES[3], gasLimit: 21_000n, gasPrice: 10n * GWEI })
    expect(Transaction.from(unprotected).signature!.v).toBeLessThan(29)
    expect(await rpcError(t, 'eth_sendRawTransaction', [unprotected])).toEqual({ code: -32000, message: 'only replay-protected (EIP-155) transactions allowed over RPC' })
    // Allowed: it reaches the pool, which judges it on its merits (here: an unfunded sender).
    const open = await nodeWith({ allowUnprotectedTxs: true })
    const funder = devWallet(4)
    const sender = new Wallet(Wallet.createRandom().privateKey)
    await waitForReceipt(open, await open.call('eth_sendTransaction', [{ from: funder.address, to: sender.address, value: hex(ETHER) }]))
    const tx = await sender.signTransaction({ type: 0, chainId: 0n, nonce: 0, to: DEV_ADDRESSES[3], gasLimit: 21_000n, gasPrice: 10n * GWEI })
    const receipt = await waitForReceipt(open, await open.call('eth_sendRawTransaction', [tx]))
    expect(receipt.status).toBe('0x1')
  })
})

describe('HTTP access: --http.vhosts and --http.corsdomain', () => {
  const body = JSON.stringify(call(1, 'eth_chainId'))

  it('a Host name not in --http.vhosts is 403 "invalid host specified"; IP addresses always pass', async () => {
    const t = await nodeWith({ vhosts: ['localhost', 'node1.example'] })
    const port = new URL(t.url).port
    const withHost = (host: string) => httpRequest(t.url, { headers: { host }, body })
    for (const host of [`localhost:${port}`, 'NODE1.example', `127.0.0.1:${port}`, '10.1.2.3', `[::1]:${port}`]) {
      const reply = await withHost(host)
      expect([host, reply.status, JSON.parse(reply.body).result]).toEqual([host, 200, '0x539'])
    }
    for (const host of ['evil.example', `evil.example:${port}`, 'localhost.evil.example']) {
      const reply = await withHost(host)
      expect([host, reply.status, reply.body]).toEqual([host, 403, 'invalid host specified\n'])
    }
    // The answer for the last Host is kept: the same header again, and a change either way.
    const statuses = []
    for (const host of ['evil.example', 'evil.example', 'localhost', 'localhost', 'evil.example']) statuses.push((await withHost(host)).status)
    expect(statuses).toEqual([403, 403, 200, 200, 403])
    const any = await nodeWith({ vhosts: ['*'] })
    expect((await httpRequest(any.url, { headers: { host: 'whatever.example' }, body })).status).toBe(200)
  })

  it('the default vhosts are geth’s: localhost only', async () => {
    const t = await nodeWith({})
    expect((await httpRequest(t.url, { headers: { host: 'devnet.example' }, body })).status).toBe(403)
  })

  it('CORS: a listed origin (or pattern) is echoed, others get no allow-origin; * allows any', async () => {
    const t = await nodeWith({ corsDomains: ['https://dapp.example', 'http://*.local.test'] })
    const fromOrigin = (origin: string) => httpRequest(t.url, { headers: { origin }, body })
    const listed = await fromOrigin('https://dapp.example')
    expect(listed.headers['access-control-allow-origin']).toBe('https://dapp.example')
    expect(listed.headers.vary).toBe('Origin')
    expect((await fromOrigin('http://app.local.test')).headers['access-control-allow-origin']).toBe('http://app.local.test')
    const other = await fromOrigin('https://evil.example')
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
    expect(JSON.parse(other.body).result).toBe('0x539') // served; the browser withholds it
    const preflight = (origin: string, method = 'POST') =>
      httpRequest(t.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' } })
    const ok = await preflight('https://dapp.example')
    expect([ok.status, ok.headers['access-control-allow-origin'], ok.headers['access-control-max-age']]).toEqual([204, 'https://dapp.example', '600'])
    const refused = await preflight('https://evil.example')
    expect([refused.status, refused.headers['access-control-allow-origin']]).toEqual([204, undefined])
    expect((await preflight('https://dapp.example', 'DELETE')).headers['access-control-allow-origin']).toBeUndefined()

    const none = await nodeWith({ corsDomains: [] })
    expect((await httpRequest(none.url, { headers: { origin: 'https://dapp.example' }, body })).headers['access-control-allow-origin']).toBeUndefined()
    const any = await nodeWith({ corsDomains: ['*'] })
    expect((await httpRequest(any.url, { headers: { origin: 'https://x.example' }, body })).headers['access-control-allow-origin']).toBe('*')
  })

  it('405 for methods other than POST, GET and OPTIONS; 415 for a body that is not JSON', async () => {
    const t = await nodeWith({})
    const put = await httpRequest(t.url, { method: 'PUT', body })
    expect([put.status, put.body]).toEqual([405, 'method not allowed\n'])
    const text = await httpRequest(t.url, { headers: { 'content-type': 'text/plain' }, body })
    expect([text.status, text.body]).toEqual([415, 'invalid content type, only application/json is supported\n'])
  })
})

/** Sends one raw WebSocket message and resolves to the first answer. */
async function rawWs(url: string, message: string): Promise<string> {
  const { default: WebSocket } = await import('ws')
  const ws = new WebSocket(url)
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    const answer = new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())))
    ws.send(message)
    return await answer
  } finally {
    ws.terminate()
  }
}
