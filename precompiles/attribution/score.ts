import { createAddressFromString, type Address } from '@ethereumjs/util'
import type { AttributionParams } from '../../genesis/openledger.ts'
import { PRECOMPILE_ADDRESSES } from '../addresses.ts'
import { loadApprovedVersion, loadPostings } from '../datanetRegistry/layout.ts'
import type { Slots } from '../framework/context.ts'
import { firstRepeat } from '../framework/checks.ts'
import { GAS } from '../framework/gas.ts'
import { loadModelHead, loadTrainedOn, type TrainedOn } from '../modelRegistry/layout.ts'

/** The contributions an output drew on, by weight (highest first, ties by lower id), and their weights in ppm. */
export interface Attribution {
  contributionIds: bigint[]
  weightsPpm: bigint[]
}

/**
 * What scoring needs of a precompile's call context: reads of the registries' storage, gas, and the
 * four scoring errors. Attribution's CallContext fits, and so does Rewards': IRewards declares the
 * same errors with the same selectors, so the revert data is the same whoever scores (the compiler
 * does not see a missing error through CallContext's generic revert; a unit test compares the ABIs).
 */
export interface ScoringContext {
  slotsOf(account: Address): Slots
  charge(amount: bigint): void
  revert(name: 'ModelNotFound', args: readonly [bigint]): never
  revert(name: 'OutputTooLong', args: readonly [bigint, bigint]): never
  revert(name: 'RepeatedShingle', args: readonly [bigint, bigint]): never
  revert(name: 'PostingsCapExceeded', args: readonly [bigint, bigint]): never
}

/** Weights are parts per million; rarity is SCALE / (eligible postings of the shingle), floored. */
const PPM = 1_000_000n
const SCALE = 1_000_000n

const DATANET_REGISTRY = createAddressFromString(PRECOMPILE_ADDRESSES.datanetRegistry)
const MODEL_REGISTRY = createAddressFromString(PRECOMPILE_ADDRESSES.modelRegistry)

/** One contribution credited by a score: its points and the contiguous run it is on. */
interface Tally {
  id: bigint
  points: bigint
  run: bigint
  /** The output position it last matched at. */
  position: number
}

/**
 * Proof of Attribution (README.md of this folder has the rules): which approved contributions of the
 * model's Datanets, approved by the version the model was trained on, `output` drew on, the top
 * `maxContributors` of them (1 or more: the caller checks), with weights summing to exactly 1,000,000
 * ppm; empty when nothing matched. Integer arithmetic only, and no outcome depends on a Map's order.
 */
export async function scoreOutput(ctx: ScoringContext, params: AttributionParams, modelId: bigint, output: readonly bigint[], maxContributors: number): Promise<Attribution> {
  checkOutput(ctx, output, params.maxOutputShingles)
  if (output.length === 0) return { contributionIds: [], weightsPpm: [] }
  const datanets = await trainedDatanets(ctx, modelId)
  const tallies = await tallied(ctx, params, datanets, output)
  return weighted(ranked(tallies).slice(0, maxContributors))
}

/** At most `max` shingles, each once: checked before any storage is read. */
export function checkOutput(ctx: ScoringContext, output: readonly bigint[], max: number): void {
  if (output.length > max) ctx.revert('OutputTooLong', [BigInt(output.length), BigInt(max)])
  const repeat = firstRepeat(output)
  if (repeat >= 0) ctx.revert('RepeatedShingle', [BigInt(repeat), output[repeat]])
}

/**
 * The model's (Datanet, version) pairs from ModelRegistry's storage, less those trained at version 0
 * (no approval of theirs can count, so their postings are not read).
 */
async function trainedDatanets(ctx: ScoringContext, modelId: bigint): Promise<TrainedOn[]> {
  const models = ctx.slotsOf(MODEL_REGISTRY)
  const head = (await loadModelHead(models, modelId)) ?? ctx.revert('ModelNotFound', [modelId])
  const trainedOn = await loadTrainedOn(models, modelId, head.datanetCount)
  return trainedOn.filter((d) => d.version > 0n)
}

/**
 * Every eligible contribution with its points, in the order first credited: at each output position,
 * each eligible posting earns the shingle's rarity times its run (capped at runBonusCap).
 */
async function tallied(ctx: ScoringContext, params: AttributionParams, datanets: readonly TrainedOn[], output: readonly bigint[]): Promise<Tally[]> {
  const index = new IndexReader(ctx, params.maxPostingsRead)
  const tallies: Tally[] = []
  const byId = new Map<bigint, Tally>()
  const runCap = BigInt(params.runBonusCap)
  for (let position = 0; position < output.length; position++) {
    const matched = await index.eligible(datanets, output[position])
    if (matched.length === 0) continue
    const rarity = SCALE / BigInt(matched.length)
    for (const id of matched) {
      let tally = byId.get(id)
      if (!tally) {
        ctx.charge(GAS.attributionCandidate)
        tally = { id, points: 0n, run: 0n, position: -1 }
        byId.set(id, tally)
        tallies.push(tally)
      }
      tally.run = tally.position === position - 1 ? tally.run + 1n : 1n
      tally.position = position
      tally.points += rarity * (tally.run < runCap ? tally.run : runCap)
    }
  }
  return tallies
}

/**
 * DatanetRegistry's shingle index as one score reads it: every posting counted against
 * maxPostingsRead and charged, each contribution's approval version read once.
 */
class IndexReader {
  private readonly registry: Slots
  private read = 0
  /** Lookups only: nothing iterates it. */
  private readonly approvedVersions = new Map<bigint, bigint>()

  constructor(
    private readonly ctx: ScoringContext,
    private readonly maxPostingsRead: number,
  ) {
    this.registry = ctx.slotsOf(DATANET_REGISTRY)
  }

  /** The contributions holding `shingle` in the model's Datanets, approved by the version it was trained on. */
  async eligible(datanets: readonly TrainedOn[], shingle: bigint): Promise<bigint[]> {
    const out: bigint[] = []
    for (const { datanetId, version } of datanets) {
      const postings = await loadPostings(this.registry, datanetId, shingle, (count) => this.admit(count))
      for (const id of postings) if ((await this.approvedVersion(id)) <= version) out.push(id)
    }
    return out
  }

  /** Counts and charges `count` postings before they are read; over the cap, the score reverts. */
  private admit(count: number): void {
    this.read += count
    if (this.read > this.maxPostingsRead) this.ctx.revert('PostingsCapExceeded', [BigInt(this.read), BigInt(this.maxPostingsRead)])
    this.ctx.charge(GAS.attributionPosting * BigInt(count))
  }

  private async approvedVersion(id: bigint): Promise<bigint> {
    const known = this.approvedVersions.get(id)
    if (known !== undefined) return known
    const version = await loadApprovedVersion(this.registry, id)
    this.approvedVersions.set(id, version)
    return version
  }
}

/** By points, highest first, then by lower id: a total order, so the ranking is the same on every node. */
function ranked(tallies: readonly Tally[]): Tally[] {
  return [...tallies].sort(descendingThenById((t) => t.points))
}

/** A total order on records with distinct ids: `key` highest first, then lower id first. */
function descendingThenById<T extends { id: bigint }>(key: (item: T) => bigint): (a: T, b: T) => number {
  return (a, b) => {
    const [ka, kb] = [key(a), key(b)]
    if (ka !== kb) return ka > kb ? -1 : 1
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  }
}

/**
 * Largest-remainder shares of 1,000,000 ppm in proportion to the points: each gets the floor of its
 * exact share, and the ppm left over go one each to the largest remainders (lower id first among
 * equals). Ordered by weight, highest first, then by lower id.
 */
function weighted(kept: readonly Tally[]): Attribution {
  if (kept.length === 0) return { contributionIds: [], weightsPpm: [] }
  const total = kept.reduce((sum, t) => sum + t.points, 0n)
  const shares = kept.map((t) => ({ id: t.id, ppm: (t.points * PPM) / total, remainder: (t.points * PPM) % total }))
  const leftover = Number(PPM - shares.reduce((sum, s) => sum + s.ppm, 0n))
  for (const share of [...shares].sort(descendingThenById((s) => s.remainder)).slice(0, leftover)) share.ppm += 1n
  const ordered = shares.sort(descendingThenById((s) => s.ppm))
  return { contributionIds: ordered.map((s) => s.id), weightsPpm: ordered.map((s) => s.ppm) }
}
