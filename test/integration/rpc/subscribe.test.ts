/** eth_subscribe / eth_unsubscribe over WebSocket: newHeads, logs, newPendingTransactions. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Transaction, Wallet, keccak256, toUtf8Bytes } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import {
  DEV_ADDRESSES,
  NOTE_TOPIC,
  WsClient,
  deployProbe,
  devWallet,
  headerHash,
  hex,
  num,
  probe,
  rpcError,
  sendAndMine,
  signTx,
  sleep,
  waitForReceipt,
} from './helpers.ts'

const TAG = keccak256(toUtf8Bytes('subscribe-test'))
/** How long to wait for notifications that must NOT come (after the ones that must have come). */
const QUIET_MS = 300

describe('subscriptions over WebSocket', () => {
  let t: TestNode
  const clients: WsClient[] = []
  const connect = async () => {
    const client = await WsClient.connect(t.wsUrl)
    clients.push(client)
    return client
  }
  const transfer = (i: number) => sendAndMine(t, devWallet(i), { to: Wallet.createRandom().address, value: 1n, gasLimit: 21_000n })

  beforeAll(async () => {
    t = await spawnNode()
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()))
  })
  afterAll(async () => {
    await t?.close()
  })

  it('the WebSocket URL is on 127.0.0.1, the same port as HTTP', () => {
    expect(t.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+/)
    expect(new URL(t.wsUrl).port).toBe(new URL(t.url).port)
  })

  it('newHeads: one header per new block, with its number and hash (keccak of the header fields)', async () => {
    const ws = await connect()
    const id = await ws.call<string>('eth_subscribe', ['newHeads'])
    expect(id).toMatch(/^0x[0-9a-f]{32}$/)
    const start = num(await t.call('eth_blockNumber'))
    await transfer(0)
    await transfer(1)
    await t.node.miner.mine() // an empty block is announced too
    const heads = await ws.waitFor(id, 3)
    expect(heads.map((h) => num(h.number))).toEqual([start + 1, start + 2, start + 3])
    for (const head of heads) {
      const block = await t.call('eth_getBlockByNumber', [head.number, false])
      expect(head.hash).toBe(block.hash)
      expect(headerHash(head)).toBe(head.hash)
      const { transactions: _t, uncles: _u, withdrawals: _w, size: _s, totalDifficulty: _d, ...header } = block
      expect(head).toEqual(header)
      expect(head.transactions).toBeUndefined()
    }
    expect(heads[1].parentHash).toBe(heads[0].hash)
    await sleep(QUIET_MS)
    expect(ws.received(id)).toHaveLength(3)
  })

  it('logs with an address and topic filter: exactly the matching logs, with their block positions', async () => {
    const owner = devWallet(2)
    const { address: a } = await deployProbe(t, owner, 0n)
    const { address: b } = await deployProbe(t, owner, 0n)
    const ws = await connect()
    const id = await ws.call<string>('eth_subscribe', ['logs', { address: a, topics: [NOTE_TOPIC, null, TAG] }])
    const everything = await ws.call<string>('eth_subscribe', ['logs', {}])
    const call = (to: string, data: string) => sendAndMine(t, owner, { to, data, gasLimit: 300_000n })
    await call(b, probe.encodeFunctionData('notes', [2n, TAG])) // wrong address
    await call(a, probe.encodeFunctionData('setValue', [5n])) // wrong event
    await call(a, probe.encodeFunctionData('note', [9n, keccak256('0x01'), 'other tag'])) // wrong tag
    const matching = await call(a, probe.encodeFunctionData('notes', [3n, TAG]))
    const last = await call(a, probe.encodeFunctionData('note', [42n, TAG, 'last']))

    const got = await ws.waitFor(id, 4)
    await ws.waitFor(everything, 2 + 1 + 1 + 3 + 1)
    await sleep(QUIET_MS)
    expect(ws.received(id)).toHaveLength(4)
    expect(got).toEqual([...matching.logs, ...last.logs])
    expect(got.map((l) => [l.logIndex, l.transactionHash, l.blockNumber])).toEqual([
      ['0x0', matching.transactionHash, matching.blockNumber],
      ['0x1', matching.transactionHash, matching.blockNumber],
      ['0x2', matching.transactionHash, matching.blockNumber],
      ['0x0', last.transactionHash, last.blockNumber],
    ])
    expect(probe.parseLog(got[3])!.args.text).toBe('last')
    // The unfiltered subscription saw every log, the same objects eth_getLogs returns.
    const fromBlock = hex(num(matching.blockNumber) - 3)
    expect(ws.received(everything)).toEqual(await t.call('eth_getLogs', [{ fromBlock, toBlock: last.blockNumber }]))
  })

  it('newPendingTransactions: the hash of each transaction entering the pool; with `true`, the transaction', async () => {
    const ws = await connect()
    const hashes = await ws.call<string>('eth_subscribe', ['newPendingTransactions'])
    const full = await ws.call<string>('eth_subscribe', ['newPendingTransactions', true])
    const sender = devWallet(3)
    const raws = [
      await signTx(t, sender, { to: DEV_ADDRESSES[0], value: 5n, gasLimit: 21_000n }),
    ]
    const first = await t.call<string>('eth_sendRawTransaction', [raws[0]])
    await waitForReceipt(t, first)
    raws.push(await signTx(t, sender, { to: DEV_ADDRESSES[1], value: 6n, gasLimit: 21_000n, type: 0, gasPrice: 5n * 10n ** 9n }))
    const second = await t.call<string>('eth_sendRawTransaction', [raws[1]])
    await waitForReceipt(t, second)

    expect(await ws.waitFor(hashes, 2)).toEqual([first, second])
    const txs = await ws.waitFor(full, 2)
    for (const [i, tx] of txs.entries()) {
      const signed = Transaction.from(raws[i])
      expect(tx).toMatchObject({
        hash: signed.hash,
        from: sender.address.toLowerCase(),
        to: signed.to!.toLowerCase(),
        nonce: hex(signed.nonce),
        value: hex(signed.value),
        type: hex(signed.type!),
        blockHash: null,
        blockNumber: null,
        transactionIndex: null,
      })
    }
    // The pending form is what eth_getTransactionByHash shows, less the block fields of the mined one.
    const mined = await t.call('eth_getTransactionByHash', [second])
    expect({ ...txs[1], blockHash: mined.blockHash, blockNumber: mined.blockNumber, transactionIndex: mined.transactionIndex }).toEqual(mined)
    await sleep(QUIET_MS)
    expect(ws.received(hashes)).toHaveLength(2)
  })

  it('eth_unsubscribe stops delivery and answers true; an unknown or already removed id answers false', async () => {
    const ws = await connect()
    const stopped = await ws.call<string>('eth_subscribe', ['newHeads'])
    const kept = await ws.call<string>('eth_subscribe', ['newHeads'])
    await transfer(4)
    await ws.waitFor(stopped, 1)
    expect(await ws.call('eth_unsubscribe', [stopped])).toBe(true)
    await transfer(5)
    await transfer(5)
    await ws.waitFor(kept, 3)
    await sleep(QUIET_MS)
    expect(ws.received(stopped)).toHaveLength(1)
    expect(ws.received(kept)).toHaveLength(3)
    expect(await ws.call('eth_unsubscribe', [stopped])).toBe(false)
    expect(await ws.call('eth_unsubscribe', ['0x' + '00'.repeat(16)])).toBe(false)
  })

  it('a subscription belongs to its connection: another cannot remove it, and closing the socket ends it', async () => {
    const owner = await connect()
    const other = await connect()
    const id = await owner.call<string>('eth_subscribe', ['newHeads'])
    expect(await other.call('eth_unsubscribe', [id])).toBe(false)
    await transfer(6)
    await owner.waitFor(id, 1)
    expect(other.received(id)).toHaveLength(0)
    await owner.close()
    await transfer(6) // a block after the close: nothing to deliver, nothing breaks
    expect(await other.call('eth_unsubscribe', [id])).toBe(false)
    expect(other.received(id)).toHaveLength(0)
  })

  it('closing a socket removes its listeners from the node', async () => {
    const before = t.node.chain.events.listenerCount('head')
    const pendingBefore = t.node.txpool.listenerCount('pending')
    const ws = await WsClient.connect(t.wsUrl)
    await ws.call('eth_subscribe', ['newHeads'])
    await ws.call('eth_subscribe', ['logs', {}])
    await ws.call('eth_subscribe', ['newPendingTransactions'])
    expect(t.node.chain.events.listenerCount('head')).toBe(before + 2)
    expect(t.node.txpool.listenerCount('pending')).toBe(pendingBefore + 1)
    await ws.close()
    const deadline = Date.now() + 5_000
    while (t.node.chain.events.listenerCount('head') !== before && Date.now() < deadline) await sleep(10)
    expect(t.node.chain.events.listenerCount('head')).toBe(before)
    expect(t.node.txpool.listenerCount('pending')).toBe(pendingBefore)
  })

  it('eth_subscribe over HTTP is -32601 "notifications not supported"', async () => {
    expect(await rpcError(t, 'eth_subscribe', ['newHeads'])).toEqual({ code: -32601, message: 'notifications not supported' })
    expect(await rpcError(t, 'eth_unsubscribe', ['0x01'])).toEqual({ code: -32601, message: 'notifications not supported' })
  })

  it('an unknown subscription kind is geth\'s -32601 \'no "x" subscription in eth namespace\'; a bad logs filter is -32602', async () => {
    const ws = await connect()
    const unknown = await ws.request('eth_subscribe', ['newBlocks'])
    expect(unknown.error).toEqual({ code: -32601, message: 'no "newBlocks" subscription in eth namespace' })
    const badFilter = await ws.request('eth_subscribe', ['logs', { address: '0x1234' }])
    expect(badFilter.error?.code).toBe(-32602)
    const missing = await ws.request('eth_subscribe', [])
    expect(missing.error?.code).toBe(-32602)
  })
})
