import type { Hex } from 'viem'
import type { Slots } from '../framework/context.ts'
import { LANES, appendCountedUint64, lane64, loadString, loadUint64s, storeString, storeUint64s, withLane64, nextId } from '../framework/storage.ts'

/**
 * DatanetRegistry's storage, in its own account (README.md of this folder has the table). Every
 * record's base slot is keccak256 of 32-byte words: a tag, then the record's key(s). Other precompiles
 * read it through `ctx.slotsOf(PRECOMPILE_ADDRESSES.datanetRegistry)` with these same functions.
 */
type Ctx = Slots

/** IDatanetRegistry.Status. */
export const Status = { None: 0, Pending: 1, Approved: 2, Rejected: 3 } as const
export type Status = (typeof Status)[keyof typeof Status]

const SLOT_DATANET_COUNT = 0n
const SLOT_CONTRIBUTION_COUNT = 1n
const TAG_DATANET = 1n
const TAG_CURATOR = 2n
const TAG_CONTRIBUTION = 3n
const TAG_FINGERPRINT = 4n
const TAG_CONTENT = 5n
const TAG_BY_CONTRIBUTOR = 6n
const TAG_POSTINGS = 7n

const ADDRESS_MASK = (1n << 160n) - 1n
const U64 = (1n << 64n) - 1n
/** The postings head keeps the list's length in its top lane and the first 3 ids below it. */
const HEAD_IDS = 3

export interface DatanetRecord {
  owner: bigint
  shingleSize: number
  curated: boolean
  nearDuplicatePct: number
  version: bigint
  contributionCount: bigint
  approvedCount: bigint
  commitment: bigint
}

export interface ContributionRecord {
  contributor: bigint
  datanetId: bigint
  status: Status
  fingerprintLength: number
  contentHash: bigint
  approvedVersion: bigint
}

export function nextDatanetId(ctx: Ctx): Promise<bigint> {
  return nextId(ctx, SLOT_DATANET_COUNT)
}

export function datanetCount(ctx: Ctx): Promise<bigint> {
  return ctx.load(SLOT_DATANET_COUNT)
}

export function nextContributionId(ctx: Ctx): Promise<bigint> {
  return nextId(ctx, SLOT_CONTRIBUTION_COUNT)
}

/** The Datanet, or undefined if no Datanet has this id (owner 0: ids start at 1 and owners are callers). */
export async function loadDatanet(ctx: Ctx, id: bigint): Promise<DatanetRecord | undefined> {
  const base = ctx.hashWords(TAG_DATANET, id)
  const head = await ctx.load(base)
  if (head === 0n) return undefined
  const counters = await ctx.load(base + 1n)
  return {
    owner: head & ADDRESS_MASK,
    shingleSize: Number((head >> 160n) & 0xffn),
    curated: ((head >> 168n) & 1n) === 1n,
    nearDuplicatePct: Number((head >> 176n) & 0xffn),
    version: counters & U64,
    contributionCount: (counters >> 64n) & U64,
    approvedCount: (counters >> 128n) & U64,
    commitment: await ctx.load(base + 2n),
  }
}

export async function storeDatanet(ctx: Ctx, id: bigint, d: DatanetRecord): Promise<void> {
  const base = ctx.hashWords(TAG_DATANET, id)
  await ctx.store(base, d.owner | (BigInt(d.shingleSize) << 160n) | ((d.curated ? 1n : 0n) << 168n) | (BigInt(d.nearDuplicatePct) << 176n))
  await ctx.store(base + 1n, d.version | (d.contributionCount << 64n) | (d.approvedCount << 128n))
  await ctx.store(base + 2n, d.commitment)
}

export async function storeDatanetTexts(ctx: Ctx, id: bigint, name: string, metadataURI: string): Promise<void> {
  const base = ctx.hashWords(TAG_DATANET, id)
  await storeString(ctx, base + 3n, name)
  await storeString(ctx, base + 4n, metadataURI)
}

export async function loadDatanetTexts(ctx: Ctx, id: bigint): Promise<{ name: string; metadataURI: string }> {
  const base = ctx.hashWords(TAG_DATANET, id)
  return { name: await loadString(ctx, base + 3n), metadataURI: await loadString(ctx, base + 4n) }
}

export async function isCuratorFlag(ctx: Ctx, datanetId: bigint, account: bigint): Promise<boolean> {
  return (await ctx.load(ctx.hashWords(TAG_CURATOR, datanetId, account))) === 1n
}

export async function setCuratorFlag(ctx: Ctx, datanetId: bigint, account: bigint, on: boolean): Promise<void> {
  await ctx.store(ctx.hashWords(TAG_CURATOR, datanetId, account), on ? 1n : 0n)
}

export async function loadContribution(ctx: Ctx, id: bigint): Promise<ContributionRecord | undefined> {
  const base = ctx.hashWords(TAG_CONTRIBUTION, id)
  const head = await ctx.load(base)
  if (head === 0n) return undefined
  return {
    contributor: head & ADDRESS_MASK,
    datanetId: (head >> 160n) & U64,
    status: Number((head >> 224n) & 0xffn) as Status,
    fingerprintLength: Number((head >> 232n) & 0xffffn),
    contentHash: await ctx.load(base + 1n),
    approvedVersion: await ctx.load(base + 2n),
  }
}

/** Only the Datanet version a contribution's approval made (slot C + 2; 0 unless approved). */
export function loadApprovedVersion(ctx: Ctx, id: bigint): Promise<bigint> {
  return ctx.load(ctx.hashWords(TAG_CONTRIBUTION, id) + 2n)
}

export async function storeContribution(ctx: Ctx, id: bigint, c: ContributionRecord): Promise<void> {
  const base = ctx.hashWords(TAG_CONTRIBUTION, id)
  await ctx.store(base, c.contributor | (c.datanetId << 160n) | (BigInt(c.status) << 224n) | (BigInt(c.fingerprintLength) << 232n))
  await ctx.store(base + 1n, c.contentHash)
  await ctx.store(base + 2n, c.approvedVersion)
}

export async function storeContributionUri(ctx: Ctx, id: bigint, uri: string): Promise<void> {
  await storeString(ctx, ctx.hashWords(TAG_CONTRIBUTION, id) + 3n, uri)
}

export async function loadContributionUri(ctx: Ctx, id: bigint): Promise<string> {
  return loadString(ctx, ctx.hashWords(TAG_CONTRIBUTION, id) + 3n)
}

export async function storeFingerprint(ctx: Ctx, id: bigint, fingerprint: readonly bigint[]): Promise<void> {
  await storeUint64s(ctx, ctx.hashWords(TAG_FINGERPRINT, id), fingerprint)
}

export async function loadFingerprint(ctx: Ctx, id: bigint, length: number): Promise<bigint[]> {
  return loadUint64s(ctx, ctx.hashWords(TAG_FINGERPRINT, id), length)
}

/** The contribution holding `contentHash` in the Datanet (pending or approved), 0 if none. */
export async function contributionWithContent(ctx: Ctx, datanetId: bigint, contentHash: Hex | bigint): Promise<bigint> {
  return ctx.load(ctx.hashWords(TAG_CONTENT, datanetId, BigInt(contentHash)))
}

export async function setContributionWithContent(ctx: Ctx, datanetId: bigint, contentHash: bigint, id: bigint): Promise<void> {
  await ctx.store(ctx.hashWords(TAG_CONTENT, datanetId, contentHash), id)
}

/** Appends to a contributor's list, a counted uint64 list: its length at the base slot, the ids packed 4 a slot from base + 1. */
export async function appendContributionOf(ctx: Ctx, contributor: bigint, id: bigint): Promise<void> {
  await appendCountedUint64(ctx, ctx.hashWords(TAG_BY_CONTRIBUTOR, contributor), id)
}

export async function contributionCountOf(ctx: Ctx, contributor: bigint): Promise<bigint> {
  return ctx.load(ctx.hashWords(TAG_BY_CONTRIBUTOR, contributor))
}

export async function contributionsOf(ctx: Ctx, contributor: bigint, offset: bigint, limit: bigint): Promise<bigint[]> {
  const base = ctx.hashWords(TAG_BY_CONTRIBUTOR, contributor)
  const count = await ctx.load(base)
  const end = offset + limit < count ? offset + limit : count
  const out: bigint[] = []
  for (let i = offset; i < end; i++) out.push(lane64(await ctx.load(base + 1n + i / BigInt(LANES)), Number(i % BigInt(LANES))))
  return out
}

/**
 * The approved contributions of a Datanet whose fingerprint holds `shingle`. Head slot: the count in
 * bits 192..255, ids in lanes 0..2; then ids packed 4 a slot from head + 1 (id i >= 3 at
 * head + 1 + floor((i - 3) / 4), lane (i - 3) % 4). `admit` sees the count once the head is read,
 * before the rest of the list is: a reader with a budget can refuse (throw) without paying for it.
 */
export async function loadPostings(ctx: Ctx, datanetId: bigint, shingle: bigint, admit?: (count: number) => void): Promise<bigint[]> {
  const head = ctx.hashWords(TAG_POSTINGS, datanetId, shingle)
  const word = await ctx.load(head)
  const count = Number(word >> 192n)
  admit?.(count)
  const ids: bigint[] = []
  for (let i = 0; i < Math.min(count, HEAD_IDS); i++) ids.push(lane64(word, i))
  if (count > HEAD_IDS) ids.push(...(await loadUint64s(ctx, head + 1n, count - HEAD_IDS)))
  return ids
}

/** Adds `id` to the shingle's postings unless it already holds `max` (too common a shingle to index). */
export async function appendPosting(ctx: Ctx, datanetId: bigint, shingle: bigint, id: bigint, max: number): Promise<void> {
  const head = ctx.hashWords(TAG_POSTINGS, datanetId, shingle)
  const word = await ctx.load(head)
  const count = Number(word >> 192n)
  if (count >= max) return
  const counted = (word & ((1n << 192n) - 1n)) | (BigInt(count + 1) << 192n)
  if (count < HEAD_IDS) {
    await ctx.store(head, withLane64(counted, count, id))
    return
  }
  const slot = head + 1n + BigInt(Math.floor((count - HEAD_IDS) / LANES))
  await ctx.store(slot, withLane64(await ctx.load(slot), (count - HEAD_IDS) % LANES, id))
  await ctx.store(head, counted)
}
