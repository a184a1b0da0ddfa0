/** Polled filters over HTTP and WebSocket: eth_newFilter and its kin, as geth answers them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Wallet, keccak256, toUtf8Bytes } from 'ethers'
import { DEFAULT_RPC } from '../../../node/options.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { NOTE_TOPIC, VALUE_SET_TOPIC, WsClient, deployProbe, devWallet, hex, num, probe, rpcError, sendAndMine, sendTx, sleep, word } from './helpers.ts'

const TAG = keccak256(toUtf8Bytes('filters-test'))
const FILTER_ID = /^0x[0-9a-f]{32}$/

describe('polled filters', () => {
  let t: TestNode
  let probeAddress: string
  const note = (id: number) => sendAndMine(t, devWallet(0), { to: probeAddress, data: probe.encodeFunctionData('note', [id, TAG, 'hi']) })
  const setValue = (v: number) => sendAndMine(t, devWallet(1), { to: probeAddress, data: probe.encodeFunctionData('setValue', [v]) })
  const transfer = (i: number) => sendAndMine(t, devWallet(i), { to: Wallet.createRandom().address, value: 1n, gasLimit: 21_000n })

  beforeAll(async () => {
    t = await spawnNode()
    probeAddress = (await deployProbe(t, devWallet(0))).address
  })
  afterAll(async () => {
    await t?.close()
  })

  it('eth_newFilter: the matching logs mined since the last poll, then nothing', async () => {
    const id = await t.call<string>('eth_newFilter', [{ address: probeAddress, topics: [NOTE_TOPIC] }])
    expect(id).toMatch(FILTER_ID)
    expect(await t.call('eth_getFilterChanges', [id])).toEqual([])
    const first = await note(1)
    await setValue(5) // another event: not matched
    const second = await note(2)
    const changes = await t.call<any[]>('eth_getFilterChanges', [id])
    expect(changes).toEqual([first.logs[0], second.logs[0]])
    expect(changes.map((log) => log.topics[1])).toEqual([word(1), word(2)])
    expect(await t.call('eth_getFilterChanges', [id])).toEqual([])
    const third = await note(3)
    expect(await t.call('eth_getFilterChanges', [id])).toEqual([third.logs[0]])
  })

  it('eth_newFilter: a numbered toBlock stops the filter gathering after that block', async () => {
    const head = num(await t.call('eth_blockNumber'))
    const id = await t.call<string>('eth_newFilter', [{ address: probeAddress, toBlock: hex(head + 1) }])
    const inRange = await setValue(10)
    await setValue(11)
    expect(await t.call('eth_getFilterChanges', [id])).toEqual([inRange.logs[0]])
  })

  it('eth_newFilter refuses a fromBlock above its toBlock', async () => {
    const err = await rpcError(t, 'eth_newFilter', [{ fromBlock: '0x5', toBlock: '0x2' }])
    expect(err).toEqual({ code: -32000, message: 'invalid from and to block combination' })
    expect((await rpcError(t, 'eth_newFilter', [{ topics: 'nope' }])).code).toBe(-32602)
  })

  it('eth_getFilterLogs: every log the criteria match in the range, however often polled', async () => {
    const from = num(await t.call('eth_blockNumber')) + 1
    const a = await setValue(20)
    const b = await setValue(21)
    const id = await t.call<string>('eth_newFilter', [{ fromBlock: hex(from), address: probeAddress, topics: [VALUE_SET_TOPIC] }])
    const expected = [a.logs[0], b.logs[0]]
    expect(await t.call('eth_getFilterLogs', [id])).toEqual(expected)
    expect(await t.call('eth_getFilterChanges', [id])).toEqual([]) // mined before the filter
    expect(await t.call('eth_getFilterLogs', [id])).toEqual(expected)
    const c = await setValue(22)
    expect(await t.call('eth_getFilterLogs', [id])).toEqual([...expected, c.logs[0]])
    expect(await t.call('eth_getLogs', [{ fromBlock: hex(from), address: probeAddress, topics: [VALUE_SET_TOPIC] }])).toEqual([...expected, c.logs[0]])
  })

  it('eth_newBlockFilter: the hashes of the blocks added since the last poll', async () => {
    const id = await t.call<string>('eth_newBlockFilter')
    expect(id).toMatch(FILTER_ID)
    expect(await t.call('eth_getFilterChanges', [id])).toEqual([])
    const r1 = await transfer(2)
    const r2 = await transfer(3)
    expect(await t.call('eth_getFilterChanges', [id])).toEqual([r1.blockHash, r2.blockHash])
    expect(await t.call('eth_getFilterChanges', [id])).toEqual([])
    await t.node.miner.mine()
    const head = await t.call('eth_getBlockByNumber', ['latest', false])
    expect(await t.call('eth_getFilterChanges', [id])).toEqual([head.hash])
    // Logs of a block filter: geth's "filter not found".
    expect(await rpcError(t, 'eth_getFilterLogs', [id])).toEqual({ code: -32000, message: 'filter not found' })
  })

  it('eth_newPendingTransactionFilter: hashes of transactions as they become pending; whole ones with fullTx', async () => {
    const hashes = await t.call<string>('eth_newPendingTransactionFilter')
    const full = await t.call<string>('eth_newPendingTransactionFilter', [true])
    const a = await sendTx(t, devWallet(4), { to: Wallet.createRandom().address, value: 7n, gasLimit: 21_000n })
    const b = await sendTx(t, devWallet(5), { to: Wallet.createRandom().address, value: 8n, gasLimit: 21_000n })
    expect(await t.call('eth_getFilterChanges', [hashes])).toEqual([a, b])
    expect(await t.call('eth_getFilterChanges', [hashes])).toEqual([])
    const txs = await t.call<any[]>('eth_getFilterChanges', [full])
    expect(txs.map((tx) => [tx.hash, tx.value, tx.from])).toEqual([
      [a, '0x7', devWallet(4).address.toLowerCase()],
      [b, '0x8', devWallet(5).address.toLowerCase()],
    ])
    expect(txs[0].blockHash).toBeNull()
  })

  it('eth_uninstallFilter: true once, then false; the filter is gone', async () => {
    const id = await t.call<string>('eth_newBlockFilter')
    expect(await t.call('eth_uninstallFilter', [id])).toBe(true)
    expect(await t.call('eth_uninstallFilter', [id])).toBe(false)
    expect(await rpcError(t, 'eth_getFilterChanges', [id])).toEqual({ code: -32000, message: 'filter not found' })
  })

  it('unknown ids: "filter not found"; a non-string id is bad params', async () => {
    const unknown = '0x' + 'ab'.repeat(16)
    expect(await rpcError(t, 'eth_getFilterChanges', [unknown])).toEqual({ code: -32000, message: 'filter not found' })
    expect(await rpcError(t, 'eth_getFilterLogs', [unknown])).toEqual({ code: -32000, message: 'filter not found' })
    expect(await t.call('eth_uninstallFilter', [unknown])).toBe(false)
    expect((await rpcError(t, 'eth_getFilterChanges', [42])).code).toBe(-32602)
  })

  it('eth_getFilterLogs obeys the eth_getLogs limits', async () => {
    const small = await spawnNode({ rpc: { ...DEFAULT_RPC, port: 0, logsBlockRange: 2 } })
    try {
      const id = await small.call<string>('eth_newFilter', [{ fromBlock: '0x0' }])
      for (let i = 0; i < 2; i++) await small.node.miner.mine()
      expect(await rpcError(small, 'eth_getFilterLogs', [id])).toEqual({ code: -32005, message: 'exceed maximum block range: 2' })
    } finally {
      await small.close()
    }
  })

  it('over WebSocket too, sharing the filters installed over HTTP', async () => {
    const ws = await WsClient.connect(t.wsUrl)
    try {
      const id = await ws.call<string>('eth_newBlockFilter')
      const receipt = await transfer(6)
      expect(await ws.call('eth_getFilterChanges', [id])).toEqual([receipt.blockHash])
      const mined = await transfer(7)
      expect(await t.call('eth_getFilterChanges', [id])).toEqual([mined.blockHash])
      expect(await ws.call('eth_uninstallFilter', [id])).toBe(true)
    } finally {
      await ws.close()
    }
  })
})

describe('filter expiry', () => {
  it('a filter not polled for the timeout is uninstalled; polling keeps it alive', async () => {
    const t = await spawnNode({ rpc: { ...DEFAULT_RPC, port: 0, filterTimeoutMs: 600 } })
    try {
      const idle = await t.call<string>('eth_newBlockFilter')
      const polled = await t.call<string>('eth_newBlockFilter')
      // Sweeps run every timeout, so 2 timeouts idle is sure to be swept; polls every 150 ms keep a filter.
      for (let i = 0; i < 10; i++) {
        await sleep(150)
        expect(await t.call('eth_getFilterChanges', [polled])).toEqual([])
      }
      expect(await rpcError(t, 'eth_getFilterChanges', [idle])).toEqual({ code: -32000, message: 'filter not found' })
      expect(await t.call('eth_uninstallFilter', [idle])).toBe(false)
      expect(await t.call('eth_uninstallFilter', [polled])).toBe(true)
    } finally {
      await t.close()
    }
  })
})
