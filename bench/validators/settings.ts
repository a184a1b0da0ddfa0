/** Sizes of the validators benchmark; the two long phases can be shortened from the environment for trials. */
import { positiveNumber } from '../config.ts'

export const VALIDATORS = 4
export const BLOCK_PERIOD_MS = 1_000
export const LATENCY_TXS = 200
export const LATENCY_RATE_PER_S = 10
/** Pre-signed per sender for the throughput window: more than any sender can get included in it. */
export const THROUGHPUT_TXS_PER_SENDER = 600

export interface ValidatorsSettings {
  throughputWindowMs: number
  /** The chain's height when the new node starts. */
  catchUpBlocks: number
}

export function readValidatorsSettings(): ValidatorsSettings {
  return {
    throughputWindowMs: positiveNumber('BENCH_TPS_WINDOW_S', 30) * 1_000,
    catchUpBlocks: Math.floor(positiveNumber('BENCH_CATCHUP_BLOCKS', 300)),
  }
}
