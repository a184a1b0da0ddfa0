import type { Slots } from '../framework/context.ts'
import { appendCountedUint64, loadCountedUint64s, loadString, loadUint64s, storeString, storeUint64s, nextId } from '../framework/storage.ts'

/** AgentRegistry's storage, in its own account (README.md of this folder has the table). */
type Ctx = Slots

const SLOT_AGENT_COUNT = 0n
const TAG_AGENT = 1n
const TAG_MODELS = 2n
const TAG_BY_OWNER = 3n

const ADDRESS_MASK = (1n << 160n) - 1n
const MODEL_COUNT_SHIFT = 160n

export interface AgentRecord {
  owner: bigint
  modelCount: number
  feePerCall: bigint
}

export function nextAgentId(ctx: Ctx): Promise<bigint> {
  return nextId(ctx, SLOT_AGENT_COUNT)
}

export function agentCount(ctx: Ctx): Promise<bigint> {
  return ctx.load(SLOT_AGENT_COUNT)
}

/** The agent, or undefined if no agent has this id (its head holds the owner, never zero). */
export async function loadAgent(ctx: Ctx, id: bigint): Promise<AgentRecord | undefined> {
  const base = ctx.hashWords(TAG_AGENT, id)
  const head = await ctx.load(base)
  if (head === 0n) return undefined
  return { owner: head & ADDRESS_MASK, modelCount: Number((head >> MODEL_COUNT_SHIFT) & 0xffffn), feePerCall: await ctx.load(base + 1n) }
}

export async function storeAgent(ctx: Ctx, id: bigint, a: AgentRecord): Promise<void> {
  const base = ctx.hashWords(TAG_AGENT, id)
  await ctx.store(base, a.owner | (BigInt(a.modelCount) << MODEL_COUNT_SHIFT))
  await ctx.store(base + 1n, a.feePerCall)
}

export async function storeAgentName(ctx: Ctx, id: bigint, name: string): Promise<void> {
  await storeString(ctx, ctx.hashWords(TAG_AGENT, id) + 2n, name)
}

export async function loadAgentName(ctx: Ctx, id: bigint): Promise<string> {
  return loadString(ctx, ctx.hashWords(TAG_AGENT, id) + 2n)
}

/** Replaces the URI; slots of a longer earlier URI past the new length are left, unread. */
export async function storeAgentUri(ctx: Ctx, id: bigint, uri: string): Promise<void> {
  await storeString(ctx, ctx.hashWords(TAG_AGENT, id) + 3n, uri)
}

export async function loadAgentUri(ctx: Ctx, id: bigint): Promise<string> {
  return loadString(ctx, ctx.hashWords(TAG_AGENT, id) + 3n)
}

/** Writes the agent's model list (its length lives in the head); slots past a shorter list are left, unread. */
export async function storeAgentModels(ctx: Ctx, id: bigint, modelIds: readonly bigint[]): Promise<void> {
  await storeUint64s(ctx, ctx.hashWords(TAG_MODELS, id), modelIds)
}

export async function loadAgentModels(ctx: Ctx, id: bigint, count: number): Promise<bigint[]> {
  return loadUint64s(ctx, ctx.hashWords(TAG_MODELS, id), count)
}

export async function appendAgentOf(ctx: Ctx, owner: bigint, id: bigint): Promise<void> {
  await appendCountedUint64(ctx, ctx.hashWords(TAG_BY_OWNER, owner), id)
}

export async function agentsOf(ctx: Ctx, owner: bigint): Promise<bigint[]> {
  return loadCountedUint64s(ctx, ctx.hashWords(TAG_BY_OWNER, owner))
}
