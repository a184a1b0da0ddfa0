/**
 * evm_snapshot / evm_revert as Hardhat tests use them (loadFixture, takeSnapshot().restore()):
 * everything done after the snapshot (blocks, transactions, deployments, state edits, time) is gone
 * after the revert, exactly, and what was before is untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, ETHER, big, deployProbe, devWallet, hex, num, probe, sendAndMine, sendTx, word } from './helpers.ts'

const RECIPIENT = '0x00000000000000000000000000000000000b0b01'
const FRESH = '0x00000000000000000000000000000000000f7e51'

interface Observed {
  blockNumber: string
  balances: string[]
  nonces: string[]
  storage: string
  code: string[]
  freshBalance: string
}

describe('evm_snapshot / evm_revert', () => {
  let t: TestNode
  let probeAddress: string

  beforeAll(async () => {
    t = await spawnNode()
    probeAddress = (await deployProbe(t, devWallet(0), 5n)).address
    await sendAndMine(t, devWallet(1), { to: RECIPIENT, value: ETHER })
  })
  afterAll(() => t.close())

  async function observe(): Promise<Observed> {
    const accounts = [DEV_ADDRESSES[0], DEV_ADDRESSES[1], RECIPIENT]
    return {
      blockNumber: await t.call('eth_blockNumber'),
      balances: await Promise.all(accounts.map((a) => t.call('eth_getBalance', [a, 'latest']))),
      nonces: await Promise.all(accounts.map((a) => t.call('eth_getTransactionCount', [a, 'pending']))),
      storage: await t.call('eth_getStorageAt', [probeAddress, '0x0', 'latest']),
      code: await Promise.all([probeAddress, FRESH].map((a) => t.call('eth_getCode', [a, 'latest']))),
      freshBalance: await t.call('eth_getBalance', [FRESH, 'latest']),
    }
  }

  it('puts balances, nonces, storage, code, block number back, and forgets the dropped transactions', async () => {
    const before = await observe()
    expect(big(before.storage)).toBe(5n)
    const id = await t.call<string>('evm_snapshot')
    expect(id).toBe('0x0')

    const transfer = await sendAndMine(t, devWallet(0), { to: RECIPIENT, value: 3n * ETHER })
    const setValue = await sendAndMine(t, devWallet(1), { to: probeAddress, data: probe.encodeFunctionData('setValue', [99n]) })
    const second = await deployProbe(t, devWallet(0), 7n)
    await t.call('anvil_setBalance', [FRESH, hex(ETHER)])
    await t.call('anvil_setCode', [FRESH, '0x602a60005260206000f3'])
    const dropped = [transfer.transactionHash, setValue.transactionHash, second.receipt.transactionHash]

    const changed = await observe()
    expect(num(changed.blockNumber)).toBe(num(before.blockNumber) + 3)
    expect(big(changed.storage)).toBe(99n)
    expect(changed.code[1]).toBe('0x602a60005260206000f3')
    expect(await t.call('eth_getCode', [second.address, 'latest'])).not.toBe('0x')

    expect(await t.call('evm_revert', [id])).toBe(true)
    expect(await observe()).toEqual(before)
    expect(await t.call('eth_getCode', [second.address, 'latest'])).toBe('0x')
    for (const hash of dropped) {
      expect(await t.call('eth_getTransactionReceipt', [hash])).toBeNull()
      expect(await t.call('eth_getTransactionByHash', [hash])).toBeNull()
    }
    expect(await t.call('eth_getBlockByNumber', [hex(num(before.blockNumber) + 1), false])).toBeNull()
    // eth_call reads the restored state as well.
    expect(big(await t.call('eth_call', [{ to: probeAddress, data: probe.encodeFunctionData('value') }, 'latest']))).toBe(5n)

    // The chain goes on from there: the same nonce is free again, and mined at the next number.
    const again = await sendAndMine(t, devWallet(0), { to: RECIPIENT, value: 1n })
    expect(num(again.blockNumber)).toBe(num(before.blockNumber) + 1)
  })

  it('a snapshot is used up by its revert, and reverting drops the later snapshots too', async () => {
    const first = await t.call<string>('evm_snapshot')
    await sendAndMine(t, devWallet(2), { to: RECIPIENT, value: 1n })
    const second = await t.call<string>('evm_snapshot')
    expect(big(second)).toBe(big(first) + 1n)
    await sendAndMine(t, devWallet(2), { to: RECIPIENT, value: 1n })

    expect(await t.call('evm_revert', [first])).toBe(true)
    expect(await t.call('evm_revert', [second])).toBe(false)
    expect(await t.call('evm_revert', [first])).toBe(false)
    expect(await t.call('evm_revert', ['0x99'])).toBe(false)
    // Hardhat's restore(): revert, then a fresh snapshot of the same point.
    const third = await t.call<string>('evm_snapshot')
    await t.call('evm_mine')
    expect(await t.call('evm_revert', [third])).toBe(true)
  })

  it('brings the clock back: time moved forward after the snapshot does not survive the revert', async () => {
    const id = await t.call<string>('evm_snapshot')
    await t.call('evm_increaseTime', [30 * 24 * 3600])
    await t.call('evm_mine')
    const late = await t.call('eth_getBlockByNumber', ['latest', false])
    expect(await t.call('evm_revert', [id])).toBe(true)
    await t.call('evm_mine')
    const after = await t.call('eth_getBlockByNumber', ['latest', false])
    expect(num(after.timestamp)).toBeLessThan(num(late.timestamp) - 29 * 24 * 3600)
  })

  it('keeps pooled transactions (as anvil), re-checked against the restored state', async () => {
    await t.call('evm_setAutomine', [false])
    try {
      const id = await t.call<string>('evm_snapshot')
      const mined = await sendTx(t, devWallet(3), { to: RECIPIENT, value: 1n, nonce: 0 })
      await t.call('evm_mine')
      expect((await t.call('eth_getTransactionReceipt', [mined])).status).toBe('0x1')
      const pooled = await sendTx(t, devWallet(4), { to: RECIPIENT, value: 1n, nonce: 0 })

      expect(await t.call('evm_revert', [id])).toBe(true)
      // The mined one is gone with its block; the pooled one waits, still executable.
      expect(await t.call('eth_getTransactionByHash', [mined])).toBeNull()
      expect(await t.call('eth_getTransactionCount', [DEV_ADDRESSES[3], 'pending'])).toBe('0x0')
      expect((await t.call('eth_getTransactionByHash', [pooled])).blockNumber).toBeNull()
      await t.call('evm_mine')
      expect((await t.call('eth_getTransactionReceipt', [pooled])).status).toBe('0x1')
    } finally {
      await t.call('evm_setAutomine', [true])
    }
  })

  it('the dropped block numbers are reused with new hashes; storage of an untouched slot is still read', async () => {
    const head = await t.call('eth_getBlockByNumber', ['latest', false])
    const id = await t.call<string>('evm_snapshot')
    await t.call('evm_mine')
    const dropped = await t.call('eth_getBlockByNumber', ['latest', false])
    await t.call('evm_revert', [id])
    // Another timestamp, or the empty block would be the very same block (blocks sealed in a burst run ahead of the wall clock).
    await t.call('evm_mine', [num(dropped.timestamp) + 1000])
    const replacement = await t.call('eth_getBlockByNumber', ['latest', false])
    expect(replacement.number).toBe(dropped.number)
    expect(replacement.hash).not.toBe(dropped.hash)
    expect(replacement.parentHash).toBe(head.hash)
    expect(await t.call('eth_getStorageAt', [probeAddress, word(1), 'latest'])).toBe(word(BigInt(DEV_ADDRESSES[0])))
  })
})
