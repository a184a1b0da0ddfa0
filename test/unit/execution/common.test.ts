import { Common, Hardfork } from '@ethereumjs/common'
import { describe, expect, it } from 'vitest'
import { devnetGenesis } from '../../../genesis/genesis.ts'
import { CHAIN_HARDFORK, createChainCommon } from '../../../node/execution/common.ts'

describe('createChainCommon', () => {
  it('is the genesis chain ID, with every fork up to Cancun active from block 0', () => {
    const g = devnetGenesis()
    const common = createChainCommon({ ...g, chainId: 4242 })
    expect(common.chainId()).toBe(4242n)
    expect(common.hardfork()).toBe(Hardfork.Cancun)
    expect(CHAIN_HARDFORK).toBe(Hardfork.Cancun)
    for (const fork of [Hardfork.London, Hardfork.Shanghai, Hardfork.Cancun]) {
      expect(common.hardforkBlock(fork)).toBe(0n)
      expect(common.gteHardfork(fork)).toBe(true)
    }
    // EIP-1559 fees, PUSH0 (Shanghai), transient storage and blobs (Cancun); not Prague's requests.
    for (const eip of [1559, 3855, 1153, 4844, 4788]) expect(common.isActivatedEIP(eip)).toBe(true)
    expect(common.isActivatedEIP(7685)).toBe(false)
    expect(common.consensusType()).toBe('pos')
  })

  it('takes the genesis header fields', () => {
    const g = { ...devnetGenesis(), gasLimit: 12_345_678n, baseFeePerGas: 7n }
    const genesis = createChainCommon(g).genesis()
    expect(BigInt(genesis.gasLimit)).toBe(12_345_678n)
    expect(BigInt(genesis.baseFeePerGas!)).toBe(7n)
  })

  it("answers isActivatedEIP as ethereumjs does, and a copy moved to another fork follows it", () => {
    const common = createChainCommon(devnetGenesis())
    const reference = (c: Common, eip: number) => Common.prototype.isActivatedEIP.call(c, eip)
    for (let eip = 1; eip <= 8_000; eip++) expect(common.isActivatedEIP(eip), `EIP-${eip}`).toBe(reference(common, eip))
    const london = common.copy()
    london.setHardfork(Hardfork.London)
    expect(london.isActivatedEIP(3855)).toBe(false)
    expect(common.isActivatedEIP(3855)).toBe(true)
    for (let eip = 1; eip <= 8_000; eip++) expect(london.isActivatedEIP(eip), `EIP-${eip} at London`).toBe(reference(london, eip))
  })
})
