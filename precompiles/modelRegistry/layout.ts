import type { Slots } from '../framework/context.ts'
import { appendCountedUint64, loadCountedUint64s, loadString, loadUint64s, storeString, storeUint64s, nextId } from '../framework/storage.ts'

/**
 * ModelRegistry's storage, in its own account (README.md of this folder has the table). Record base
 * slots are keccak256 of 32-byte words: a tag, then the key. AgentRegistry reads models through
 * `ctx.slotsOf(PRECOMPILE_ADDRESSES.modelRegistry)` with these same functions.
 */
type Ctx = Slots

const SLOT_MODEL_COUNT = 0n
const TAG_MODEL = 1n
const TAG_DATANETS = 2n
const TAG_BY_OWNER = 3n

const ADDRESS_MASK = (1n << 160n) - 1n
const DEPRECATED_BIT = 160n
const DATANET_COUNT_SHIFT = 168n

export interface ModelRecord {
  owner: bigint
  deprecated: boolean
  datanetCount: number
  adapterHash: bigint
  feePerCall: bigint
}

export interface ModelTexts {
  name: string
  uri: string
  baseModel: string
}

export interface TrainedOn {
  datanetId: bigint
  version: bigint
}

export function nextModelId(ctx: Ctx): Promise<bigint> {
  return nextId(ctx, SLOT_MODEL_COUNT)
}

export function modelCount(ctx: Ctx): Promise<bigint> {
  return ctx.load(SLOT_MODEL_COUNT)
}

/** The model, or undefined if no model has this id (its head holds the owner, never zero). */
export async function loadModel(ctx: Ctx, id: bigint): Promise<ModelRecord | undefined> {
  const base = ctx.hashWords(TAG_MODEL, id)
  const head = await ctx.load(base)
  if (head === 0n) return undefined
  return {
    ...headFields(head),
    adapterHash: await ctx.load(base + 1n),
    feePerCall: await ctx.load(base + 2n),
  }
}

/** Only the head slot (owner, deprecated flag, number of Datanets): what an agent's model check and a score need. */
export async function loadModelHead(ctx: Ctx, id: bigint): Promise<Pick<ModelRecord, 'owner' | 'deprecated' | 'datanetCount'> | undefined> {
  const head = await ctx.load(ctx.hashWords(TAG_MODEL, id))
  if (head === 0n) return undefined
  return headFields(head)
}

function headFields(head: bigint): Pick<ModelRecord, 'owner' | 'deprecated' | 'datanetCount'> {
  return { owner: head & ADDRESS_MASK, deprecated: ((head >> DEPRECATED_BIT) & 1n) === 1n, datanetCount: Number((head >> DATANET_COUNT_SHIFT) & 0xffffn) }
}

export async function storeModel(ctx: Ctx, id: bigint, m: ModelRecord): Promise<void> {
  const base = ctx.hashWords(TAG_MODEL, id)
  await ctx.store(base, m.owner | ((m.deprecated ? 1n : 0n) << DEPRECATED_BIT) | (BigInt(m.datanetCount) << DATANET_COUNT_SHIFT))
  await ctx.store(base + 1n, m.adapterHash)
  await ctx.store(base + 2n, m.feePerCall)
}

export async function storeModelTexts(ctx: Ctx, id: bigint, texts: ModelTexts): Promise<void> {
  const base = ctx.hashWords(TAG_MODEL, id)
  await storeString(ctx, base + 3n, texts.name)
  await storeString(ctx, base + 4n, texts.uri)
  await storeString(ctx, base + 5n, texts.baseModel)
}

export async function loadModelTexts(ctx: Ctx, id: bigint): Promise<ModelTexts> {
  const base = ctx.hashWords(TAG_MODEL, id)
  return { name: await loadString(ctx, base + 3n), uri: await loadString(ctx, base + 4n), baseModel: await loadString(ctx, base + 5n) }
}

/** The Datanets trained on, as a packed uint64 list of (datanetId, version) pairs. */
export async function storeTrainedOn(ctx: Ctx, id: bigint, datanets: readonly TrainedOn[]): Promise<void> {
  await storeUint64s(ctx, ctx.hashWords(TAG_DATANETS, id), datanets.flatMap((d) => [d.datanetId, d.version]))
}

export async function loadTrainedOn(ctx: Ctx, id: bigint, count: number): Promise<TrainedOn[]> {
  const flat = await loadUint64s(ctx, ctx.hashWords(TAG_DATANETS, id), 2 * count)
  return Array.from({ length: count }, (_, i) => ({ datanetId: flat[2 * i], version: flat[2 * i + 1] }))
}

export async function appendModelOf(ctx: Ctx, owner: bigint, id: bigint): Promise<void> {
  await appendCountedUint64(ctx, ctx.hashWords(TAG_BY_OWNER, owner), id)
}

export async function modelsOf(ctx: Ctx, owner: bigint): Promise<bigint[]> {
  return loadCountedUint64s(ctx, ctx.hashWords(TAG_BY_OWNER, owner))
}
