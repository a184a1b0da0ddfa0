/** A node without devMethods (a validator or full node) answers every devnet method as an unknown one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, rpcError } from './helpers.ts'

const DEV_METHODS = [
  'evm_snapshot', 'evm_revert', 'evm_mine', 'evm_increaseTime', 'evm_setNextBlockTimestamp', 'evm_setAutomine',
  'evm_setIntervalMining', 'evm_setAccountNonce', 'anvil_setAutomine', 'anvil_getAutomine', 'hardhat_getAutomine',
  'anvil_setIntervalMining', 'anvil_increaseTime', 'anvil_setNextBlockTimestamp', 'anvil_autoImpersonateAccount',
  ...['setBalance', 'setCode', 'setNonce', 'setStorageAt', 'impersonateAccount', 'stopImpersonatingAccount', 'mine', 'dumpState', 'loadState', 'reset', 'dropTransaction', 'setCoinbase'].flatMap(
    (name) => [`anvil_${name}`, `hardhat_${name}`],
  ),
]

describe('devMethods: false', () => {
  let off: TestNode
  let on: TestNode
  beforeAll(async () => ([off, on] = await Promise.all([spawnNode({ devMethods: false }), spawnNode()])))
  afterAll(() => Promise.all([off.close(), on.close()]))

  it('answers -32601 "the method X does not exist/is not available" for each, as for an unknown method', async () => {
    for (const method of DEV_METHODS) {
      expect(await rpcError(off, method, [])).toEqual({ code: -32601, message: `the method ${method} does not exist/is not available` })
    }
    expect(await rpcError(off, 'anvil_noSuchThing')).toEqual({ code: -32601, message: 'the method anvil_noSuchThing does not exist/is not available' })
  })

  it('the same methods exist on a devnet (none answers -32601 there)', async () => {
    for (const method of DEV_METHODS) {
      const res = await on.rpc(method, method.endsWith('reset') ? [] : ['0x0'])
      expect(res.error?.code, method).not.toBe(-32601)
    }
  })

  it('eth_sendTransaction from an address the node holds no key for stays refused', async () => {
    expect((await rpcError(off, 'eth_sendTransaction', [{ from: '0x00000000000000000000000000000000000a1b2c', to: DEV_ADDRESSES[1] }])).message).toBe('unknown account')
  })
})
