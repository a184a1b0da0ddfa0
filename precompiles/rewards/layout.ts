import type { Slots } from '../framework/context.ts'

/**
 * Rewards' storage, in its own account (README.md of this folder has the table). Every slot is
 * keccak256 of 32-byte words: a tag, then the key.
 */
type Ctx = Slots

const TAG_SETTLED = 1n

/** The running totals of what was paid, each keyed by what it counts (its tag is the slot's first word). */
export const Earned = {
  /** Everything credited to an account, in every role. */
  ByAccount: 2n,
  ByContribution: 3n,
  /** Paid to the model's owner for the model's inferences. */
  ByModel: 4n,
  /** Paid to the agent's owner for inferences through the agent. */
  ByAgent: 5n,
} as const
export type Earned = (typeof Earned)[keyof typeof Earned]

export async function isSettled(ctx: Ctx, inferenceId: bigint): Promise<boolean> {
  return (await ctx.load(ctx.hashWords(TAG_SETTLED, inferenceId))) === 1n
}

export async function markSettled(ctx: Ctx, inferenceId: bigint): Promise<void> {
  await ctx.store(ctx.hashWords(TAG_SETTLED, inferenceId), 1n)
}

export function loadEarned(ctx: Ctx, kind: Earned, key: bigint): Promise<bigint> {
  return ctx.load(ctx.hashWords(kind, key))
}

export async function addEarned(ctx: Ctx, kind: Earned, key: bigint, amount: bigint): Promise<void> {
  const slot = ctx.hashWords(kind, key)
  await ctx.store(slot, (await ctx.load(slot)) + amount)
}
