/** Attribution (0x…0A04) on a bare VM with DatanetRegistry and ModelRegistry: its scoring rules, caps and gas. */
import { EVMError } from '@ethereumjs/evm'
import { toFunctionSelector, type Abi, type Hex } from 'viem'
import { describe, expect, it, vi } from 'vitest'
import { DEFAULT_OPENLEDGER, type OpenLedgerConfig } from '../../../genesis/openledger.ts'
import { iAttributionAbi } from '../../../precompiles/attribution/abi.ts'
import { attribution } from '../../../precompiles/attribution/attribution.ts'
import { iDatanetRegistryAbi } from '../../../precompiles/datanetRegistry/abi.ts'
import { datanetRegistry } from '../../../precompiles/datanetRegistry/datanetRegistry.ts'
import { GAS } from '../../../precompiles/framework/gas.ts'
import { iModelRegistryAbi } from '../../../precompiles/modelRegistry/abi.ts'
import { modelRegistry } from '../../../precompiles/modelRegistry/modelRegistry.ts'
import { iRewardsAbi } from '../../../precompiles/rewards/abi.ts'
import { ALICE, BOB, bareVM, callPrecompile } from './support.ts'

const ZERO_HASH = `0x${'00'.repeat(32)}` as Hex
const PPM = 1_000_000n
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => BigInt(from + i))
const withAttribution = (caps: Partial<OpenLedgerConfig['attribution']>): OpenLedgerConfig => ({ ...DEFAULT_OPENLEDGER, attribution: { ...DEFAULT_OPENLEDGER.attribution, ...caps } })

/** The three precompiles on one VM, a call helper for each, and shortcuts for the setup the tests need. */
async function chain(config: OpenLedgerConfig = DEFAULT_OPENLEDGER) {
  const [datanets, models, scorer] = [datanetRegistry(config), modelRegistry(config), attribution(config)]
  const t = await bareVM([datanets, models, scorer])
  let contents = 0
  const datanet = (fn: string, args: readonly unknown[], caller = ALICE) => callPrecompile(t, datanets.address, iDatanetRegistryAbi, fn, args, { caller, gasLimit: 30_000_000n })
  const c = {
    t,
    precompiles: [datanets, models, scorer],
    datanet,
    score: (modelId: bigint, output: readonly bigint[], maxContributors = 32n, gasLimit = 30_000_000n) => callPrecompile(t, scorer.address, iAttributionAbi, 'score', [modelId, output, maxContributors], { gasLimit }),
    /** A new Datanet owned by ALICE (near duplicates refused only when wholly contained); its id. */
    async createDatanet(curated = false): Promise<bigint> {
      return (await datanet('createDatanet', ['D', '', 2, { curated, nearDuplicatePct: 100 }])).result
    },
    /** BOB's contribution (approved at once in an open Datanet); its id, or undefined if refused. */
    async contribute(datanetId: bigint, fingerprint: readonly bigint[]): Promise<bigint | undefined> {
      contents += 1
      return (await datanet('submitContribution', [datanetId, `0x${contents.toString(16).padStart(64, '0')}`, '', fingerprint], BOB)).result
    },
    async registerModel(datanetIds: readonly bigint[]): Promise<bigint> {
      return (await callPrecompile(t, models.address, iModelRegistryAbi, 'registerModel', ['m', '', '', ZERO_HASH, datanetIds, 0n])).result
    },
  }
  return c
}

/** Scores and returns the pairs (id, ppm), failing the test on a revert. */
async function weights(c: Awaited<ReturnType<typeof chain>>, modelId: bigint, output: readonly bigint[], maxContributors = 32n): Promise<[bigint, bigint][]> {
  const { result, error } = await c.score(modelId, output, maxContributors)
  expect(error).toBeUndefined()
  const [ids, ppm] = result as [bigint[], number[]]
  return ids.map((id, i) => [id, BigInt(ppm[i])])
}

/** mulberry32: a small seeded PRNG, so the generated cases are the same on every run. */
function prng(seed: number): (n: number) => number {
  let a = seed
  return (n) => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n)
  }
}

/** `count` distinct values of 1 … universe, in random order. */
function sample(random: (n: number) => number, universe: number, count: number): bigint[] {
  const values = range(1, universe)
  for (let i = values.length - 1; i > 0; i--) {
    const j = random(i + 1)
    ;[values[i], values[j]] = [values[j], values[i]]
  }
  return values.slice(0, count)
}

/**
 * The scoring rules of precompiles/attribution/README.md restated plainly, from the fingerprints the
 * test submitted (not from the chain's index): the oracle the generated cases are checked against.
 */
function expectedWeights(contributions: { id: bigint; fingerprint: readonly bigint[] }[], output: readonly bigint[], k: number, runCap: bigint): [bigint, bigint][] {
  const points = new Map<bigint, bigint>()
  const runs = new Map<bigint, bigint>()
  output.forEach((shingle) => {
    const holders = contributions.filter((c) => c.fingerprint.includes(shingle)).map((c) => c.id)
    for (const c of contributions) if (!holders.includes(c.id)) runs.set(c.id, 0n)
    for (const id of holders) {
      const run = (runs.get(id) ?? 0n) + 1n
      runs.set(id, run)
      points.set(id, (points.get(id) ?? 0n) + (PPM / BigInt(holders.length)) * (run < runCap ? run : runCap))
    }
  })
  const kept = contributions.map((c) => c.id).filter((id) => points.has(id)).sort((a, b) => Number(points.get(b)! - points.get(a)!) || Number(a - b)).slice(0, k)
  const total = kept.reduce((s, id) => s + points.get(id)!, 0n)
  const shares = kept.map((id) => ({ id, ppm: (points.get(id)! * PPM) / total, rest: (points.get(id)! * PPM) % total }))
  const leftover = PPM - shares.reduce((s, x) => s + x.ppm, 0n)
  ;[...shares].sort((a, b) => Number(b.rest - a.rest) || Number(a.id - b.id)).slice(0, Number(leftover)).forEach((x) => (x.ppm += 1n))
  return shares.sort((a, b) => Number(b.ppm - a.ppm) || Number(a.id - b.id)).map((x) => [x.id, x.ppm])
}

describe('Attribution on a bare VM', () => {
  it('gives an output copying one contribution to that contribution first, and one quoting nothing nothing', async () => {
    const c = await chain()
    const d = await c.createDatanet()
    const a = await c.contribute(d, range(100, 20))
    await c.contribute(d, range(200, 20))
    const overlapping = await c.contribute(d, [...range(100, 5), ...range(300, 15)])
    const model = await c.registerModel([d])
    const copied = await weights(c, model, range(100, 20))
    expect(copied.map(([id]) => id)).toEqual([a, overlapping])
    expect(copied[0][1]).toBeGreaterThan(copied[1][1])
    expect(copied.reduce((s, [, ppm]) => s + ppm, 0n)).toBe(PPM)
    expect(await weights(c, model, range(900, 10))).toEqual([])
    expect(await weights(c, model, [])).toEqual([])
  })

  it('weights a shingle found in few contributions more than a common one (rarity)', async () => {
    const c = await chain()
    const d = await c.createDatanet()
    const rare = await c.contribute(d, [1n, 10n])
    const common = [await c.contribute(d, [2n, 20n]), await c.contribute(d, [2n, 30n]), await c.contribute(d, [2n, 40n]), await c.contribute(d, [2n, 50n])]
    const model = await c.registerModel([d])
    // Shingle 1 is held by one contribution (1,000,000 points), shingle 2 by four (250,000 each):
    // counting every match alike would give five equal shares of 200,000.
    expect(await weights(c, model, [1n, 2n])).toEqual([[rare, 500_000n], ...common.map((id) => [id, 125_000n])])
  })

  it('rewards a contiguous matching run, up to runBonusCap times the rarity', async () => {
    const c = await chain()
    const d = await c.createDatanet()
    const contiguous = await c.contribute(d, range(1, 6))
    const scattered = await c.contribute(d, range(11, 6))
    const model = await c.registerModel([d])
    // Both match 6 unique shingles; in the output the first's form one run, the second's are apart.
    const output = [...range(1, 6), 11n, 90n, 12n, 91n, 13n, 92n, 14n, 93n, 15n, 94n, 16n]
    // Run bonus capped at 4: 1+2+3+4+4+4 = 18 against 6 (uncapped it would be 21 against 6; none, 6 against 6).
    expect(await weights(c, model, output)).toEqual([
      [contiguous, 750_000n],
      [scattered, 250_000n],
    ])
  })

  it('keeps the top maxContributors, breaking ties by the lower id, and gives leftover ppm to the lower id', async () => {
    const c = await chain()
    const d = await c.createDatanet()
    const ids = [await c.contribute(d, [3n, 30n]), await c.contribute(d, [1n, 10n]), await c.contribute(d, [2n, 20n])]
    const model = await c.registerModel([d])
    // Each matches one shingle alone: equal points, in the output in the reverse of id order.
    const output = [2n, 90n, 1n, 91n, 3n]
    expect(await weights(c, model, output, 2n)).toEqual([
      [ids[0], 500_000n],
      [ids[1], 500_000n],
    ])
    expect(await weights(c, model, output, 3n)).toEqual([
      [ids[0], 333_334n],
      [ids[1], 333_333n],
      [ids[2], 333_333n],
    ])
    expect(await weights(c, model, output, 1n)).toEqual([[ids[0], PPM]])
  })

  it('credits neither pending nor rejected contributions, nor those approved after the version the model was trained on', async () => {
    const c = await chain()
    const curated = await c.createDatanet(true)
    const open = await c.createDatanet()
    const approved = await c.contribute(curated, range(1, 5))
    await c.datanet('approve', [approved])
    const pending = await c.contribute(curated, range(11, 5))
    const rejected = await c.contribute(curated, range(21, 5))
    await c.datanet('reject', [rejected])
    const early = await c.contribute(open, range(31, 5))
    const model = await c.registerModel([curated, open])
    await c.datanet('approve', [pending])
    const late = await c.contribute(open, range(41, 5))
    const output = range(1, 45)
    expect((await weights(c, model, output)).map(([id]) => id)).toEqual([approved, early])
    // A model registered now was trained on them all but the rejected one.
    const later = await c.registerModel([open, curated])
    expect((await weights(c, later, output)).map(([id]) => id)).toEqual([approved, pending, early, late!])
  })

  it('gives weights summing to exactly 1,000,000 whenever anything matched, as the rules compute them (60 generated cases)', async () => {
    const random = prng(0x0a04)
    const c = await chain()
    let matchedCases = 0
    for (let n = 0; n < 60; n++) {
      const datanets = [await c.createDatanet(), await c.createDatanet()]
      const contributions: { id: bigint; fingerprint: bigint[] }[] = []
      for (let i = 0, count = 1 + random(8); i < count; i++) {
        const fingerprint = sample(random, 60, 1 + random(20))
        const id = await c.contribute(datanets[random(2)], fingerprint)
        if (id !== undefined) contributions.push({ id, fingerprint })
      }
      const model = await c.registerModel(datanets)
      const output = sample(random, 80, random(50))
      const k = 1 + random(6)
      const got = await weights(c, model, output, BigInt(k))
      expect(got).toEqual(expectedWeights(contributions, output, k, 4n))
      if (got.length === 0) continue
      matchedCases += 1
      expect(got.reduce((s, [, ppm]) => s + ppm, 0n)).toBe(PPM)
    }
    expect(matchedCases).toBeGreaterThan(45)
  })

  it('refuses an output over the cap, a repeated shingle and an out-of-range maxContributors before reading storage, and an unknown model', async () => {
    const c = await chain(withAttribution({ maxOutputShingles: 8, maxContributors: 4 }))
    const gets = vi.spyOn(c.t.state, 'getStorage')
    expect((await c.score(1n, range(1, 9))).error).toMatchObject({ errorName: 'OutputTooLong', args: [9n, 8n] })
    expect((await c.score(1n, [5n, 6n, 5n])).error).toMatchObject({ errorName: 'RepeatedShingle', args: [2n, 5n] })
    expect((await c.score(1n, [5n], 0n)).error).toMatchObject({ errorName: 'InvalidMaxContributors', args: [0n, 4n] })
    expect((await c.score(1n, [5n], 5n)).error).toMatchObject({ errorName: 'InvalidMaxContributors', args: [5n, 4n] })
    expect(gets).not.toHaveBeenCalled()
    expect((await c.score(1n, [5n], 4n)).error).toMatchObject({ errorName: 'ModelNotFound', args: [1n] })
  })

  it('reverts with PostingsCapExceeded once the postings it would read pass maxPostingsRead, before reading the rest of the list', async () => {
    const c = await chain(withAttribution({ maxPostingsRead: 6 }))
    const d = await c.createDatanet()
    // Shingles 1 and 2 each have 5 postings: 3 in the list's head slot, 2 in the next slot.
    for (let i = 0; i < 5; i++) await c.contribute(d, [1n, 2n, BigInt(10 + i)])
    const model = await c.registerModel([d])
    const gets = vi.spyOn(c.t.state, 'getStorage')
    expect((await weights(c, model, [1n])).length).toBe(5)
    const within = gets.mock.calls.length
    gets.mockClear()
    expect((await c.score(model, [1n, 2n])).error).toMatchObject({ errorName: 'PostingsCapExceeded', args: [10n, 6n] })
    // The same reads as for [1] (model, list 1, the approval versions) and the head of list 2 only.
    expect(gets.mock.calls.length).toBe(within + 1)
  })

  it('refuses an attacker-sized output (100,000 shingles) before decoding it, paying only for its calldata', async () => {
    const c = await chain()
    const gets = vi.spyOn(c.t.state, 'getStorage')
    const refused = await c.score(1n, range(1, 100_000))
    const calldataWords = 3n + 1n + 100_000n + 1n
    expect(refused.error).toMatchObject({ errorName: 'CalldataTooLong', args: [BigInt(4 + 32 * (3 + 1 + 100_000)), BigInt(4 + 32 * (3 + 1 + 2 * 1_024))] })
    expect(refused.gasUsed).toBeLessThan(GAS.call + GAS.abiWord * calldataWords + 1_000n)
    expect(gets).not.toHaveBeenCalled()
  })

  it('scores a 1,000-shingle output against a Datanet within a bounded gas, and halts out of gas without side effects when starved', async () => {
    const c = await chain()
    const d = await c.createDatanet()
    // Four contributions of 250 shingles, each sharing 50 with the next: 700 shingles held once, 150 twice, 150 by none.
    for (let i = 0; i < 4; i++) await c.contribute(d, range(1 + 200 * i, 250))
    const model = await c.registerModel([d])
    const output = range(1, 1_000)
    c.t.vm.evm.journal.cleanJournal()
    const scored = await c.score(model, output)
    expect([...scored.result[0]].sort()).toEqual([1n, 2n, 3n, 4n])
    // Per shingle a cold postings head (2,100 + its key 48), then per contribution its approval version:
    // 2,194,803 gas measured (attribution/README.md).
    expect(scored.gasUsed).toBeGreaterThan(1_000n * (GAS.coldSload + 48n))
    expect(scored.gasUsed).toBeLessThan(2_500_000n)
    c.t.vm.evm.journal.cleanJournal()
    const storage = () => Promise.all(c.precompiles.map((p) => c.t.state.dumpStorage(p.address)))
    const before = await storage()
    const starved = await c.score(model, output, 32n, scored.gasUsed / 2n)
    expect(starved.error?.errorName).toBe(EVMError.errorMessages.OUT_OF_GAS)
    expect(starved.gasUsed).toBe(scored.gasUsed / 2n)
    expect(await storage()).toEqual(before)
  })

  it('limits() returns the genesis caps', async () => {
    const c = await chain(withAttribution({ maxOutputShingles: 77, runBonusCap: 3 }))
    const { result } = await callPrecompile(c.t, attribution(DEFAULT_OPENLEDGER).address, iAttributionAbi, 'limits', [])
    expect(result).toEqual({ maxOutputShingles: 77, maxContributors: 32, maxPostingsRead: 65_536, runBonusCap: 3 })
  })

  it('shares its scoring errors with Rewards: same names, same selectors', () => {
    const scoring = ['ModelNotFound', 'OutputTooLong', 'RepeatedShingle', 'PostingsCapExceeded']
    const selectors = (abi: Abi) =>
      scoring.map((name) => {
        const error = abi.find((item) => item.type === 'error' && item.name === name)
        return error?.type === 'error' ? toFunctionSelector(`${name}(${error.inputs.map((input) => input.type).join(',')})`) : undefined
      })
    expect(selectors(iRewardsAbi)).toEqual(selectors(iAttributionAbi))
    expect(selectors(iAttributionAbi)).not.toContain(undefined)
  })
})
