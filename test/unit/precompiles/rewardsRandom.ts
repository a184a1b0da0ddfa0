/** Seeded random fees, reward policies and attribution weights for the Rewards property tests. */
import type { SplitPolicy } from '../../../precompiles/rewards/split.ts'

const MASK64 = (1n << 64n) - 1n

export type RandomPolicy = SplitPolicy & { treasuryBps: number }

/** splitmix64 in bigints: the same stream for the same seed on every machine. */
export class Draw {
  private state: bigint

  constructor(seed: bigint) {
    this.state = seed & MASK64
  }

  next64(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK64
    let z = this.state
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64
    return z ^ (z >> 31n)
  }

  /** An integer in [0, n), n > 0 (modulo bias is irrelevant here). */
  below(n: bigint): bigint {
    let word = 0n
    for (let bits = 0n; 1n << bits < n << 64n; bits += 64n) word = (word << 64n) | this.next64()
    return word % n
  }

  int(n: number): number {
    return Number(this.below(BigInt(n)))
  }

  /** Small fees a third of the time (where rounding matters most), otherwise up to 2^128 at a random bit length. */
  fee(): bigint {
    if (this.int(3) === 0) return this.below(10_001n)
    return this.below((1n << BigInt(this.int(128) + 1)) + 1n)
  }

  /** Basis points summing to 10,000, from 3 random cuts of [0, 10,000] (zero shares included). */
  policy(): RandomPolicy {
    const [modelBps, agentBps, contributorsBps, treasuryBps] = this.parts(4, 10_000n).map(Number)
    return { modelBps, agentBps, contributorsBps, treasuryBps }
  }

  /** 1 to `max` weights in parts per million summing to exactly 1,000,000, or none (a fifth of the time). */
  weights(max = 16): bigint[] {
    if (this.int(5) === 0) return []
    return this.parts(1 + this.int(max), 1_000_000n)
  }

  /** `count` non-negative integers summing to `total`: the gaps between count - 1 sorted random cuts. */
  private parts(count: number, total: bigint): bigint[] {
    const cuts = Array.from({ length: count - 1 }, () => this.below(total + 1n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    return [...cuts, total].map((cut, i) => cut - (i === 0 ? 0n : cuts[i - 1]))
  }
}
