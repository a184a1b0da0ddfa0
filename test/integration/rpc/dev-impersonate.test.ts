/**
 * anvil_impersonateAccount / hardhat_impersonateAccount: eth_sendTransaction from an account whose
 * key the node does not hold, with anvil's placeholder signature; readable as from that account,
 * also after a restart. anvil_stopImpersonatingAccount ends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnNode, tempDir, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, ETHER, big, deployProbe, devWallet, hex, probe, rpcError, waitForReceipt } from './helpers.ts'

const WHALE = '0x00000000000000000000000000000000000a1b2c'
const RECIPIENT = '0x00000000000000000000000000000000000b0b02'

describe('impersonation', () => {
  let t: TestNode
  beforeAll(async () => (t = await spawnNode()))
  afterAll(() => t.close())

  it('an account funded with setBalance sends without a key; the tx is mined, read back as from it, with anvil\'s signature', async () => {
    await t.call('anvil_setBalance', [WHALE, hex(10n * ETHER)])
    expect(await t.call('anvil_impersonateAccount', [WHALE])).toBeNull()
    const hash = await t.call<string>('eth_sendTransaction', [{ from: WHALE, to: RECIPIENT, value: hex(ETHER) }])
    const receipt = await waitForReceipt(t, hash)
    expect(receipt.status).toBe('0x1')
    expect(receipt.from).toBe(WHALE)
    const tx = await t.call('eth_getTransactionByHash', [hash])
    expect(tx.from).toBe(WHALE)
    expect(big(tx.r)).toBe(BigInt(WHALE))
    expect(big(tx.s)).toBe(1n)
    const block = await t.call('eth_getBlockByNumber', [receipt.blockNumber, true])
    expect(block.transactions[0].from).toBe(WHALE)
    expect(big(await t.call('eth_getBalance', [RECIPIENT, 'latest']))).toBe(ETHER)
    expect(await t.call('eth_getTransactionCount', [WHALE, 'latest'])).toBe('0x1')
  })

  it('calls a contract as the impersonated account (msg.sender is the account)', async () => {
    const { address } = await deployProbe(t, devWallet(0))
    const hash = await t.call<string>('eth_sendTransaction', [{ from: WHALE, to: address, data: probe.encodeFunctionData('setValue', [4n]) }])
    const receipt = await waitForReceipt(t, hash)
    expect(receipt.status).toBe('0x1')
    expect(receipt.logs[0].topics[1]).toBe(`0x${WHALE.slice(2).padStart(64, '0')}`)
  })

  it('hardhat_stopImpersonatingAccount ends it: the node holds no key for the account any more', async () => {
    expect(await t.call('hardhat_stopImpersonatingAccount', [WHALE])).toBeNull()
    const error = await rpcError(t, 'eth_sendTransaction', [{ from: WHALE, to: RECIPIENT, value: '0x1' }])
    expect(error).toMatchObject({ code: -32000, message: 'unknown account' })
    expect(await t.call('hardhat_impersonateAccount', [WHALE])).toBeNull()
    await waitForReceipt(t, await t.call<string>('eth_sendTransaction', [{ from: WHALE, to: RECIPIENT, value: '0x1' }]))
  })

  it('an impersonated dev account sends with the placeholder signature too (as anvil)', async () => {
    await t.call('anvil_impersonateAccount', [DEV_ADDRESSES[7]])
    const hash = await t.call<string>('eth_sendTransaction', [{ from: DEV_ADDRESSES[7], to: RECIPIENT, value: '0x1' }])
    await waitForReceipt(t, hash)
    expect(big((await t.call('eth_getTransactionByHash', [hash])).r)).toBe(BigInt(DEV_ADDRESSES[7]))
    await t.call('anvil_stopImpersonatingAccount', [DEV_ADDRESSES[7]])
  })

  it('a legacy-priced impersonated transaction carries an EIP-155 v', async () => {
    const hash = await t.call<string>('eth_sendTransaction', [{ from: WHALE, to: RECIPIENT, value: '0x1', gasPrice: hex(10n ** 10n) }])
    const receipt = await waitForReceipt(t, hash)
    expect(receipt.status).toBe('0x1')
    const tx = await t.call('eth_getTransactionByHash', [hash])
    expect(tx.type).toBe('0x0')
    expect(big(tx.v)).toBe(1337n * 2n + 35n)
  })
})

describe('impersonated transactions on disk', () => {
  it('are read back with their sender after a restart', async () => {
    const { dir, remove } = await tempDir()
    try {
      const first = await spawnNode({ datadir: dir })
      await first.call('anvil_setBalance', [WHALE, hex(ETHER)])
      await first.call('anvil_impersonateAccount', [WHALE])
      const hash = await first.call<string>('eth_sendTransaction', [{ from: WHALE, to: RECIPIENT, value: '0x7' }])
      await waitForReceipt(first, hash)
      await first.close()

      const second = await spawnNode({ datadir: dir })
      try {
        expect((await second.call('eth_getTransactionByHash', [hash])).from).toBe(WHALE)
        expect((await second.call('eth_getTransactionReceipt', [hash])).from).toBe(WHALE)
        const block = await second.call('eth_getBlockByNumber', ['0x1', true])
        expect(block.transactions[0].from).toBe(WHALE)
        // Impersonation is not kept across restarts (as in anvil).
        expect((await rpcError(second, 'eth_sendTransaction', [{ from: WHALE, to: RECIPIENT, value: '0x1' }])).message).toBe('unknown account')
      } finally {
        await second.close()
      }
    } finally {
      await remove()
    }
  })
})
