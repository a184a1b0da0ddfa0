/**
 * Time (evm_increaseTime, evm_setNextBlockTimestamp, evm_mine with a timestamp, anvil_mine with an
 * interval), observed in block timestamps; mining modes switched at runtime (evm_setAutomine,
 * evm_setIntervalMining, anvil_getAutomine); anvil_reset back to genesis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, DEV_BALANCE, ETHER, big, devWallet, hex, num, rpcError, sendAndMine, sendTx, sleep, waitFor } from './helpers.ts'

const RECIPIENT = '0x00000000000000000000000000000000000b0b03'
const latest = (t: TestNode) => t.call('eth_getBlockByNumber', ['latest', false])
const nowSeconds = () => Math.floor(Date.now() / 1000)

describe('time', () => {
  let t: TestNode
  beforeAll(async () => (t = await spawnNode()))
  afterAll(() => t.close())

  it('evm_increaseTime returns the whole offset (a JSON number, as anvil) and the next block is that much later', async () => {
    expect(await t.call('evm_increaseTime', [3600])).toBe(3600)
    expect(await t.call('evm_increaseTime', ['0xe10'])).toBe(7200)
    expect(await t.call('evm_mine')).toBe('0x0')
    const block = await latest(t)
    expect(num(block.timestamp)).toBeGreaterThanOrEqual(nowSeconds() + 7200 - 5)
    expect(num(block.timestamp)).toBeLessThanOrEqual(nowSeconds() + 7200)
  })

  it('evm_setNextBlockTimestamp stamps the next block exactly, and time runs on from there', async () => {
    const target = num((await latest(t)).timestamp) + 100_000
    expect(await t.call('evm_setNextBlockTimestamp', [hex(target)])).toBeNull()
    await sendAndMine(t, devWallet(0), { to: RECIPIENT, value: 1n })
    expect(num((await latest(t)).timestamp)).toBe(target)
    await t.call('evm_mine')
    const next = num((await latest(t)).timestamp)
    expect(next).toBeGreaterThan(target)
    expect(next).toBeLessThan(target + 5)
  })

  it('refuses a timestamp not after the head block with -32602', async () => {
    const head = num((await latest(t)).timestamp)
    for (const ts of [head, head - 10]) {
      const error = await rpcError(t, 'evm_setNextBlockTimestamp', [ts])
      expect(error.code).toBe(-32602)
      expect(error.message).toMatch(/lower than or equal to previous block's timestamp/)
    }
    expect((await rpcError(t, 'evm_mine', [head])).code).toBe(-32602)
  })

  it('evm_mine takes a timestamp, or anvil\'s { timestamp, blocks }', async () => {
    const start = num((await latest(t)).number)
    const ts = num((await latest(t)).timestamp) + 50
    expect(await t.call('evm_mine', [ts])).toBe('0x0')
    expect(num((await latest(t)).timestamp)).toBe(ts)
    expect(await t.call('evm_mine', [{ timestamp: ts + 1000, blocks: 3 }])).toBe('0x0')
    const head = await latest(t)
    expect(num(head.number)).toBe(start + 4)
    const first = await t.call('eth_getBlockByNumber', [hex(start + 2), false])
    expect(num(first.timestamp)).toBe(ts + 1000)
  })

  it('anvil_mine / hardhat_mine mine N blocks, time moving on by the interval before each', async () => {
    const start = await latest(t)
    expect(await t.call('anvil_mine', ['0x5', '0x3c'])).toBeNull()
    const blocks = await Promise.all([1, 2, 3, 4, 5].map((i) => t.call('eth_getBlockByNumber', [hex(num(start.number) + i), false])))
    expect(blocks.every((b) => b !== null)).toBe(true)
    expect(num((await latest(t)).number)).toBe(num(start.number) + 5)
    for (let i = 1; i < 5; i++) {
      const gap = num(blocks[i].timestamp) - num(blocks[i - 1].timestamp)
      expect(gap).toBeGreaterThanOrEqual(60)
      expect(gap).toBeLessThan(65) // 60 s, plus whatever the wall clock moved while sealing
    }
    expect(await t.call('hardhat_mine')).toBeNull()
    expect(num((await latest(t)).number)).toBe(num(start.number) + 6)
  })
})

describe('mining modes', () => {
  let t: TestNode
  beforeAll(async () => (t = await spawnNode()))
  afterAll(() => t.close())

  it('evm_setAutomine(false) leaves transactions pooled until evm_mine; turning it on mines them', async () => {
    expect(await t.call('anvil_getAutomine')).toBe(true)
    expect(await t.call('evm_setAutomine', [false])).toBeNull()
    expect(await t.call('hardhat_getAutomine')).toBe(false)
    const number = await t.call('eth_blockNumber')
    const first = await sendTx(t, devWallet(0), { to: RECIPIENT, value: 1n })
    await sleep(300)
    expect(await t.call('eth_blockNumber')).toBe(number)
    expect(await t.call('eth_getTransactionReceipt', [first])).toBeNull()
    await t.call('evm_mine')
    expect((await t.call('eth_getTransactionReceipt', [first])).blockNumber).toBe(hex(num(number) + 1))

    const second = await sendTx(t, devWallet(0), { to: RECIPIENT, value: 1n })
    await sleep(200)
    expect(await t.call('eth_getTransactionReceipt', [second])).toBeNull()
    expect(await t.call('anvil_setAutomine', [true])).toBeNull()
    expect(await t.call('anvil_getAutomine')).toBe(true)
    await waitFor(() => t.call('eth_getTransactionReceipt', [second]), 'the pooled tx mined on automine')
  })

  it('evm_setIntervalMining(seconds) seals empty blocks on a timer; 0 stops it', async () => {
    const number = num(await t.call('eth_blockNumber'))
    expect(await t.call('evm_setIntervalMining', [1])).toBeNull()
    expect(await t.call('anvil_getAutomine')).toBe(false)
    await waitFor(async () => (num(await t.call('eth_blockNumber')) >= number + 2 ? true : undefined), 'two interval blocks', 5_000)
    expect(await t.call('anvil_setIntervalMining', [0])).toBeNull()
    await t.call('evm_snapshot') // runs between blocks: a block being sealed is done once it answers
    const stopped = await t.call('eth_blockNumber')
    await sleep(1_500)
    expect(await t.call('eth_blockNumber')).toBe(stopped)
    await t.call('evm_setAutomine', [true])
  })
})

describe('anvil_reset', () => {
  let t: TestNode
  beforeAll(async () => (t = await spawnNode()))
  afterAll(() => t.close())

  it('goes back to genesis: chain, balances, pool, impersonations, snapshots and time', async () => {
    const whale = '0x00000000000000000000000000000000000a1b2d'
    await sendAndMine(t, devWallet(0), { to: RECIPIENT, value: ETHER })
    await t.call('anvil_setBalance', [whale, hex(ETHER)])
    await t.call('anvil_impersonateAccount', [whale])
    await t.call('evm_snapshot')
    await t.call('evm_snapshot')
    await t.call('evm_increaseTime', [10_000_000])
    await t.call('evm_mine')
    await t.call('evm_setAutomine', [false])
    const pooled = await sendTx(t, devWallet(1), { to: RECIPIENT, value: 1n })
    const minedBlock = await t.call('eth_getBlockByNumber', ['0x1', false])

    expect(await t.call('anvil_reset')).toBeNull()
    expect(await t.call('eth_blockNumber')).toBe('0x0')
    expect(await t.call('eth_getBlockByNumber', ['0x1', false])).toBeNull()
    expect(await t.call('eth_getTransactionReceipt', [minedBlock.transactions[0]])).toBeNull()
    expect(await t.call('eth_getTransactionByHash', [pooled])).toBeNull()
    expect(big(await t.call('eth_getBalance', [DEV_ADDRESSES[0], 'latest']))).toBe(DEV_BALANCE)
    expect(big(await t.call('eth_getBalance', [RECIPIENT, 'latest']))).toBe(0n)
    expect(big(await t.call('eth_getBalance', [whale, 'latest']))).toBe(0n)
    expect(await t.call('eth_getTransactionCount', [DEV_ADDRESSES[1], 'pending'])).toBe('0x0')
    expect(await t.call('evm_revert', ['0x1'])).toBe(false)
    expect(await t.call('evm_snapshot')).toBe('0x0')
    expect((await rpcError(t, 'eth_sendTransaction', [{ from: whale, to: RECIPIENT }])).message).toBe('unknown account')
    // The mining mode stays as it was set (as anvil); the clock is back to the wall clock.
    expect(await t.call('anvil_getAutomine')).toBe(false)
    await t.call('evm_mine')
    const block = await t.call('eth_getBlockByNumber', ['latest', false])
    expect(block.number).toBe('0x1')
    expect(Math.abs(num(block.timestamp) - nowSeconds())).toBeLessThan(5)
    expect((await rpcError(t, 'hardhat_reset', [{ forking: { jsonRpcUrl: 'http://127.0.0.1:1' } }])).code).toBe(-32602)
    expect(await t.call('hardhat_reset', [{}])).toBeNull()
    expect(await t.call('eth_blockNumber')).toBe('0x0')
  })
})
