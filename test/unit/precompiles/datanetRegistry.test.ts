import { EVMError } from '@ethereumjs/evm'
import type { Hex } from 'viem'
import { describe, expect, it, vi } from 'vitest'
import { DEFAULT_OPENLEDGER, type OpenLedgerConfig } from '../../../genesis/openledger.ts'
import { iDatanetRegistryAbi as abi } from '../../../precompiles/datanetRegistry/abi.ts'
import { datanetRegistry } from '../../../precompiles/datanetRegistry/datanetRegistry.ts'
import { GAS } from '../../../precompiles/framework/gas.ts'
import { ALICE, BOB, bareVM, callPrecompile, type BareVM } from './support.ts'

const limits = (datanets: Partial<OpenLedgerConfig['datanets']>, maxShingles = 512): OpenLedgerConfig => ({
  ...DEFAULT_OPENLEDGER,
  fingerprint: { maxShingles },
  datanets: { ...DEFAULT_OPENLEDGER.datanets, ...datanets },
})

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => BigInt(from + i))

const REGISTRY = datanetRegistry(DEFAULT_OPENLEDGER).address

/** Calls the registry as `caller`: its decoded result, or its custom error. */
const call = (t: BareVM, functionName: string, args: readonly unknown[], caller = ALICE, gasLimit?: bigint) => callPrecompile(t, REGISTRY, abi, functionName, args, { caller, gasLimit })

async function registryWith(config: OpenLedgerConfig, curated = true): Promise<BareVM> {
  const t = await bareVM([datanetRegistry(config)])
  expect((await call(t, 'createDatanet', ['D', '', 2, { curated, nearDuplicatePct: 50 }])).result).toBe(1n)
  return t
}

describe('DatanetRegistry on a bare VM', () => {
  it('re-checks near duplicates at approval, so of two near-identical pending submissions only one is approved', async () => {
    const t = await registryWith(DEFAULT_OPENLEDGER)
    await call(t, 'submitContribution', [1n, hash(1), '', range(100, 10)], BOB)
    await call(t, 'submitContribution', [1n, hash(2), '', range(104, 10)], BOB)
    expect((await call(t, 'approve', [1n])).error).toBeUndefined()
    expect((await call(t, 'approve', [2n])).error).toEqual(expect.objectContaining({ errorName: 'NearDuplicate', args: [1n, 60n] }))
    expect((await call(t, 'getContribution', [2n])).result.status).toBe(1)
  })

  it('refuses an overlap at the threshold and lets through one under it', async () => {
    const t = await registryWith(DEFAULT_OPENLEDGER, false)
    await call(t, 'submitContribution', [1n, hash(1), '', range(100, 10)], BOB)
    expect((await call(t, 'submitContribution', [1n, hash(2), '', range(105, 10)], BOB)).error).toMatchObject({ errorName: 'NearDuplicate', args: [1n, 50n] })
    expect((await call(t, 'submitContribution', [1n, hash(2), '', range(106, 10)], BOB)).result).toBe(2n)
    expect((await call(t, 'getDatanet', [1n])).result.version).toBe(2n)
  })

  it('frees the content hash of a rejected contribution for a new submission', async () => {
    const t = await registryWith(DEFAULT_OPENLEDGER)
    await call(t, 'submitContribution', [1n, hash(1), '', range(1, 3)], BOB)
    expect((await call(t, 'submitContribution', [1n, hash(1), '', range(10, 3)], BOB)).error).toMatchObject({ errorName: 'DuplicateContent', args: [1n] })
    await call(t, 'reject', [1n])
    expect((await call(t, 'submitContribution', [1n, hash(1), '', range(10, 3)], BOB)).result).toBe(2n)
  })

  it('keeps at most maxPostingsPerShingle contributions per shingle, in approval order', async () => {
    const t = await registryWith(limits({ maxPostingsPerShingle: 5, defaultNearDuplicatePct: 100 }), false)
    await call(t, 'createDatanet', ['E', '', 2, { curated: false, nearDuplicatePct: 100 }])
    for (let i = 0; i < 7; i++) await call(t, 'submitContribution', [2n, hash(i + 1), '', [42n, BigInt(1000 + i)]], BOB)
    expect((await call(t, 'postings', [2n, 42n])).result).toEqual([1n, 2n, 3n, 4n, 5n])
    expect((await call(t, 'postings', [2n, 1006n])).result).toEqual([7n])
    expect((await call(t, 'getDatanet', [2n])).result.approvedCount).toBe(7n)
  })

  it('refuses a fingerprint over the genesis cap before touching storage', async () => {
    const t = await registryWith(limits({}, 8))
    const refused = await call(t, 'submitContribution', [1n, hash(1), '', range(1, 9)], BOB)
    expect(refused.error).toMatchObject({ errorName: 'FingerprintTooLong', args: [9n, 8n] })
    // Decoding the calldata and one Datanet read, nothing per shingle.
    expect(refused.gasUsed).toBeLessThan(10_000n)
  })

  it('refuses an attacker-sized fingerprint (100,000 shingles) before decoding it, paying only for its calldata', async () => {
    const t = await registryWith(DEFAULT_OPENLEDGER)
    const puts = vi.spyOn(t.state, 'putStorage')
    const refused = await call(t, 'submitContribution', [1n, hash(1), '', range(1, 100_000)], BOB, 30_000_000n)
    const calldataWords = BigInt(4 + 100_000 + 4) + 1n
    expect(refused.error).toMatchObject({ errorName: 'CalldataTooLong', args: [BigInt(4 + 32 * (4 + 1 + 1 + 100_000)), expect.any(BigInt)] })
    expect(refused.gasUsed).toBeLessThan(GAS.call + GAS.abiWord * calldataWords + 10_000n)
    expect(puts).not.toHaveBeenCalled()
  })

  it('refuses a fingerprint one shingle over the cap', async () => {
    const t = await registryWith(DEFAULT_OPENLEDGER)
    const refused = await call(t, 'submitContribution', [1n, hash(1), '', range(1, 513)], BOB, 30_000_000n)
    expect(refused.error).toMatchObject({ errorName: 'FingerprintTooLong', args: [513n, 512n] })
  })

  it('bounds the gas of a full-size submission and approval', async () => {
    const t = await registryWith(DEFAULT_OPENLEDGER)
    // About 22,150 gas per shingle to index (a cold zero slot set), as a contract's SSTORE would cost.
    const submit = await call(t, 'submitContribution', [1n, hash(1), 'ipfs://x', range(1, 512)], BOB, 30_000_000n)
    const approve = await call(t, 'approve', [1n], ALICE, 30_000_000n)
    expect(submit.result).toBe(1n)
    expect(approve.error).toBeUndefined()
    expect(submit.gasUsed + approve.gasUsed).toBeLessThan(20_000_000n)
    const starved = await call(t, 'submitContribution', [1n, hash(2), '', range(1000, 512)], BOB, submit.gasUsed / 2n)
    expect(starved.error?.errorName).toBe(EVMError.errorMessages.OUT_OF_GAS)
    expect((await call(t, 'contributionCountOf', [BOB.toString()])).result).toBe(1n)
  })
})
