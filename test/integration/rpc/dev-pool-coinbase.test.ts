/**
 * anvil_setCoinbase, anvil_dropTransaction and anvil_autoImpersonateAccount (and their hardhat_
 * names): observable in the blocks, the pool and eth_sendTransaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, ETHER, big, devWallet, hex, rpcError, sendAndMine, sendTx, waitForReceipt } from './helpers.ts'

const RECIPIENT = '0x00000000000000000000000000000000000b0b03'

describe('devnet pool and block producer methods', () => {
  let t: TestNode
  beforeAll(async () => (t = await spawnNode()))
  afterAll(() => t.close())

  it('anvil_setCoinbase: later blocks name it as miner and pay it the tips', async () => {
    const coinbase = '0x00000000000000000000000000000000000c01b0'
    expect(await t.call('anvil_setCoinbase', [coinbase])).toBeNull()
    const receipt = await sendAndMine(t, devWallet(1), { to: RECIPIENT, value: 1n })
    const block = await t.call('eth_getBlockByNumber', [receipt.blockNumber, false])
    expect(block.miner).toBe(coinbase)
    const tip = big(receipt.effectiveGasPrice) - big(block.baseFeePerGas)
    expect(big(await t.call('eth_getBalance', [coinbase, 'latest']))).toBe(tip * big(receipt.gasUsed))
    const other = '0x00000000000000000000000000000000000c01b1'
    expect(await t.call('hardhat_setCoinbase', [other])).toBeNull()
    const next = await sendAndMine(t, devWallet(1), { to: RECIPIENT, value: 1n })
    expect((await t.call('eth_getBlockByNumber', [next.blockNumber, false])).miner).toBe(other)
  })

  it('anvil_dropTransaction removes a pooled transaction; the sender\'s next one waits behind the gap', async () => {
    await t.call('evm_setAutomine', [false])
    const wallet = devWallet(2)
    const first = await sendTx(t, wallet, { to: RECIPIENT, value: 1n })
    const second = await sendTx(t, wallet, { to: RECIPIENT, value: 2n })
    expect(await t.call('anvil_dropTransaction', [first])).toBe(first)
    expect(await t.call('eth_getTransactionByHash', [first])).toBeNull()
    const content = await t.call('txpool_content')
    const sender = Object.keys(content.queued).find((a) => a.toLowerCase() === DEV_ADDRESSES[2])!
    expect(content.queued[sender]['1'].hash).toBe(second)
    expect(Object.keys(content.pending)).toHaveLength(0)
    expect(await t.call('hardhat_dropTransaction', [first])).toBeNull()
    await t.call('evm_mine')
    expect((await t.call('eth_getBlockByNumber', ['latest', false])).transactions).toEqual([])
    expect(await t.call('hardhat_dropTransaction', [second])).toBe(second)
    await t.call('evm_setAutomine', [true])
  })

  it('anvil_autoImpersonateAccount: any address sends without a key until it is switched off', async () => {
    const anyone = '0x00000000000000000000000000000000000a0700'
    await t.call('anvil_setBalance', [anyone, hex(ETHER)])
    expect(await rpcError(t, 'eth_sendTransaction', [{ from: anyone, to: RECIPIENT, value: '0x1' }])).toMatchObject({ message: 'unknown account' })
    expect(await t.call('anvil_autoImpersonateAccount', [true])).toBeNull()
    const receipt = await waitForReceipt(t, await t.call<string>('eth_sendTransaction', [{ from: anyone, to: RECIPIENT, value: '0x1' }]))
    expect(receipt.from).toBe(anyone)
    await t.call('anvil_autoImpersonateAccount', [false])
    expect(await rpcError(t, 'eth_sendTransaction', [{ from: anyone, to: RECIPIENT, value: '0x1' }])).toMatchObject({ message: 'unknown account' })
  })
})
