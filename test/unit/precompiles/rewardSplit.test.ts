/** Rewards' fee split (precompiles/rewards/split.ts): exact examples and a seeded property test. */
import { describe, expect, it } from 'vitest'
import { DEFAULT_OPENLEDGER } from '../../../genesis/openledger.ts'
import { BPS, splitFee, sum, type Split } from '../../../precompiles/rewards/split.ts'
import { Draw } from './rewardsRandom.ts'

const SEED = BigInt(process.env.REWARDS_SEED ?? 20261126)
const policy = DEFAULT_OPENLEDGER.rewards

const total = (s: Split) => s.model + s.agent + sum(s.contributors) + s.treasury

describe('splitFee', () => {
  it('splits by basis points, then the pool by weights, the treasury taking every remainder', () => {
    // 20% / 10% / 60% of 1,000,003 wei, floored: 200,000 / 100,000 / 600,001; the pool by 50/30/20%.
    expect(splitFee(1_000_003n, policy, [500_000n, 300_000n, 200_000n])).toEqual({ model: 200_000n, agent: 100_000n, contributors: [300_000n, 180_000n, 120_000n], treasury: 100_003n })
    // 16 wei: 3.2 / 1.6 / 9.6 floored to 3 / 1 / 9; the pool's third and two thirds floored to 3 and 5;
    // the treasury gets the 4 left, its own 1.6 among them.
    expect(splitFee(16n, policy, [333_334n, 666_666n])).toEqual({ model: 3n, agent: 1n, contributors: [3n, 5n], treasury: 4n })
  })

  it('gives the whole pool to the treasury when no contribution matched, and everything below 1 share to it', () => {
    expect(splitFee(1_000n, policy, [])).toEqual({ model: 200n, agent: 100n, contributors: [], treasury: 700n })
    expect(splitFee(4n, policy, [1_000_000n])).toEqual({ model: 0n, agent: 0n, contributors: [2n], treasury: 2n })
    expect(splitFee(0n, policy, [1_000_000n])).toEqual({ model: 0n, agent: 0n, contributors: [0n], treasury: 0n })
  })

  it('gives the agent share to the treasury when the policy passed has no agent share', () => {
    expect(splitFee(1_000n, { ...policy, agentBps: 0 }, [1_000_000n])).toEqual({ model: 200n, agent: 0n, contributors: [600n], treasury: 200n })
  })

  it('refuses inputs that would pay out more than the fee', () => {
    expect(() => splitFee(100n, policy, [600_000n, 400_001n])).toThrow(RangeError)
    expect(() => splitFee(100n, policy, [-1n])).toThrow(RangeError)
    expect(() => splitFee(100n, { ...policy, modelBps: 4_001 }, [])).toThrow(RangeError)
    expect(() => splitFee(-1n, policy, [])).toThrow(RangeError)
  })

  it(`adds up to the fee exactly over 10,000 random fees, policies and weights (seed ${SEED})`, () => {
    const draw = new Draw(SEED)
    let largest = 0n
    for (let i = 0; i < 10_000; i++) {
      const [fee, p, weights] = [draw.fee(), draw.policy(), draw.weights()]
      const s = splitFee(fee, p, weights)
      const context = `case ${i}: fee ${fee}, policy ${JSON.stringify(p)}, weights ${weights}`
      expect(total(s), context).toBe(fee)
      expect([s.model, s.agent, s.treasury, ...s.contributors].every((x) => x >= 0n), context).toBe(true)
      expect(s.contributors, context).toHaveLength(weights.length)
      const treasuryOwn = (fee * BigInt(p.treasuryBps)) / BPS
      expect(s.treasury >= treasuryOwn, context).toBe(true)
      // What the treasury takes beyond its own share is the rounding (under 1 wei per division) or the unmatched pool.
      const extra = s.treasury - treasuryOwn
      const bound = weights.length === 0 ? (fee * BigInt(p.contributorsBps)) / BPS + 4n : BigInt(weights.length) + 4n
      expect(extra < bound, context).toBe(true)
      if (fee > largest) largest = fee
    }
    expect(largest > 1n << 120n).toBe(true)
  })
})
