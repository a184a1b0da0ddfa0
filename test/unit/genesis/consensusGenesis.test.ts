import { describe, expect, it } from 'vitest'
import { GenesisError } from '../../../genesis/errors.ts'
import { devnetGenesis, parseGenesis } from '../../../genesis/genesis.ts'
import { DEFAULT_CONSENSUS_TIMING } from '../../../genesis/openledger.ts'

const V1 = '0x1111111111111111111111111111111111111111'
const V2 = '0x00000000000000000000000000000000000000aa'
const V3 = '0xABCDEF0000000000000000000000000000000001'

function withConsensus(consensus: unknown): Record<string, unknown> {
  return { config: { chainId: 7 }, gasLimit: '0x1c9c380', alloc: {}, openledger: { consensus } }
}

function genesisError(consensus: unknown): GenesisError {
  try {
    parseGenesis(withConsensus(consensus))
  } catch (err) {
    expect(err).toBeInstanceOf(GenesisError)
    return err as GenesisError
  }
  throw new Error('parseGenesis accepted an invalid consensus section')
}

describe('openledger.consensus', () => {
  it('is absent in the devnet genesis and in any genesis without the section: no validators', () => {
    expect(devnetGenesis().openledger.consensus).toBeUndefined()
    expect(parseGenesis({ config: { chainId: 7 }, gasLimit: '0x1c9c380' }).openledger.consensus).toBeUndefined()
  })

  it('lowercases and sorts the validators and fills the timing defaults', () => {
    const { consensus } = parseGenesis(withConsensus({ validators: [V3, V1, V2] })).openledger
    expect(consensus).toEqual({ validators: [V2, V1, V3.toLowerCase()], ...DEFAULT_CONSENSUS_TIMING })
    expect(DEFAULT_CONSENSUS_TIMING).toEqual({ blockPeriodMs: 1_000, roundTimeoutMs: 2_000, roundTimeoutDeltaMs: 1_000, epochLength: 30_000 })
  })

  it('takes the timing given', () => {
    const timing = { blockPeriodMs: 500, roundTimeoutMs: 3_000, roundTimeoutDeltaMs: 0, epochLength: 100 }
    expect(parseGenesis(withConsensus({ validators: [V1], ...timing })).openledger.consensus).toEqual({ validators: [V1], ...timing })
  })

  it('refuses no validators, a non-address, a duplicate (in any case) and unknown settings, naming the field', () => {
    expect(genesisError({}).field).toBe('openledger.consensus.validators')
    expect(genesisError({ validators: [] }).field).toBe('openledger.consensus.validators')
    expect(genesisError({ validators: V1 }).field).toBe('openledger.consensus.validators')
    expect(genesisError({ validators: [V1, '0x1234'] }).field).toBe('openledger.consensus.validators[1]')
    expect(genesisError({ validators: [V1, 7] }).field).toBe('openledger.consensus.validators[1]')
    const dup = genesisError({ validators: [V3, V1, V3.toLowerCase()] })
    expect(dup.message).toContain('listed twice')
    expect(genesisError({ validators: [V1], blockTime: 5 }).field).toBe('openledger.consensus.blockTime')
    expect(genesisError('yes').field).toBe('openledger.consensus')
  })

  it('refuses timing out of bounds or not an integer', () => {
    expect(genesisError({ validators: [V1], blockPeriodMs: 0 }).field).toBe('openledger.consensus.blockPeriodMs')
    expect(genesisError({ validators: [V1], roundTimeoutMs: 1.5 }).field).toBe('openledger.consensus.roundTimeoutMs')
    expect(genesisError({ validators: [V1], roundTimeoutDeltaMs: -1 }).field).toBe('openledger.consensus.roundTimeoutDeltaMs')
    expect(genesisError({ validators: [V1], epochLength: '10' }).field).toBe('openledger.consensus.epochLength')
  })
})
