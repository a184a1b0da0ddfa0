import { createTxFromRLP } from '@ethereumjs/tx'
import { describe, expect, it, vi } from 'vitest'
import { withMemoizedSender } from '../../../node/chain/senders.ts'
import { createChainCommon } from '../../../node/execution/common.ts'
import { devnetGenesis } from '../../../genesis/genesis.ts'
import { ADDR_A, KEY_A, tx1559 } from '../support/harness.ts'

describe('withMemoizedSender', () => {
  const common = createChainCommon(devnetGenesis())
  const raw = tx1559(common, KEY_A, 0n).serialize()

  it('recovers the sender once and answers the same address after, frozen and with its hash', () => {
    const tx = createTxFromRLP(raw, { common, freeze: false })
    const recoveries = vi.spyOn(tx, 'getSenderPublicKey')
    const memoized = withMemoizedSender(tx)
    expect(memoized.getSenderAddress().toString()).toBe(ADDR_A.toString())
    expect(memoized.getSenderAddress()).toBe(memoized.getSenderAddress())
    expect(recoveries).toHaveBeenCalledTimes(1)
    expect(Object.isFrozen(memoized)).toBe(true)
    expect(memoized.hash()).toEqual(createTxFromRLP(raw, { common }).hash())
  })

  it('encodes once, and the encoding is the bytes it was decoded from', () => {
    const tx = createTxFromRLP(raw, { common, freeze: false })
    const encodings = vi.spyOn(tx, 'raw')
    const memoized = withMemoizedSender(tx)
    expect(memoized.serialize()).toEqual(raw)
    expect(memoized.serialize()).toBe(memoized.serialize())
    expect(encodings).toHaveBeenCalledTimes(1)
  })

  it('does not remember a failed recovery: each call fails again', () => {
    const broken = createTxFromRLP(raw, { common, freeze: false })
    const failing = vi.spyOn(broken, 'getSenderPublicKey').mockImplementation(() => {
      throw new Error('bad signature')
    })
    const memoized = withMemoizedSender(broken)
    expect(() => memoized.getSenderAddress()).toThrow('bad signature')
    expect(() => memoized.getSenderAddress()).toThrow('bad signature')
    expect(failing).toHaveBeenCalledTimes(2)
  })
})
