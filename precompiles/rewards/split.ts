import type { RewardsParams } from '../../genesis/openledger.ts'

/** Basis points in a whole fee, and parts per million in a whole contributors' pool. */
export const BPS = 10_000n
export const PPM = 1_000_000n

export type SplitPolicy = Pick<RewardsParams, 'modelBps' | 'agentBps' | 'contributorsBps'>

/** One fee divided: the model's owner, the agent's owner, each weighted contribution, the treasury. */
export interface Split {
  model: bigint
  agent: bigint
  /** One share per weight, in the weights' order. */
  contributors: bigint[]
  treasury: bigint
}

/**
 * Splits `fee` by the policy's basis points, the contributors' pool by `weightsPpm` (summing to at
 * most 1,000,000), every division rounded down; the treasury takes the rest (its own basis points,
 * every remainder, and the whole pool when no weight is given), so the shares add up to `fee` exactly.
 */
export function splitFee(fee: bigint, policy: SplitPolicy, weightsPpm: readonly bigint[]): Split {
  if (fee < 0n) throw new RangeError(`negative fee ${fee}`)
  if (policy.modelBps + policy.agentBps + policy.contributorsBps > Number(BPS)) throw new RangeError('the policy gives away more than the whole fee')
  if (weightsPpm.some((w) => w < 0n) || sum(weightsPpm) > PPM) throw new RangeError(`weights must be non-negative and sum to at most ${PPM} ppm`)
  const model = bpsOf(fee, policy.modelBps)
  const agent = bpsOf(fee, policy.agentBps)
  const pool = bpsOf(fee, policy.contributorsBps)
  const contributors = weightsPpm.map((w) => (pool * w) / PPM)
  return { model, agent, contributors, treasury: fee - model - agent - sum(contributors) }
}

function bpsOf(fee: bigint, bps: number): bigint {
  return (fee * BigInt(bps)) / BPS
}

export function sum(values: readonly bigint[]): bigint {
  return values.reduce((total, v) => total + v, 0n)
}
