import { Hardfork } from '@ethereumjs/common'
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
})
