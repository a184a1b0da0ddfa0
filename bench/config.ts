/** Benchmark settings: fixed workload sizes, plus the few knobs read from the environment. */
import type { DevnetKind } from '../test/support/devnetProcess.ts'

export interface BenchConfig {
  runs: number
  nodes: DevnetKind[]
  /** Lower-case name fragments from BENCH_WORKLOADS; empty runs every workload. */
  workloads: string[]
  /** Measured window of the eth_call / eth_blockNumber loads, ms. */
  loadDurationMs: number
  /** Upper bound on one run of a workload, node start and setup included, ms. */
  runTimeoutMs: number
}

/** Sizes shared by every node so the figures compare like with like. */
export const SENDERS = 8
export const TXS_PER_SENDER = 250
export const LOAD_CONCURRENCY = 32
/** Unmeasured load before the window: opens the sockets and warms both sides' JITs. */
export const LOAD_WARMUP_MS = 1_000
export const NODE_START_TIMEOUT_MS = 60_000
export const CHAIN_ID = 1337
/**
 * anvil 1.7.1's automine livelocks (100% CPU, no more blocks) once its backlog of ready transactions
 * reaches --max-transactions (default 1,000), which 8 concurrent senders reach within seconds. Raising
 * the cap above any backlog we create keeps it mining; blocks below the default cap are unchanged.
 */
export const ANVIL_MAX_BLOCK_TXS = 10 * SENDERS * TXS_PER_SENDER

export function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`)
  return n
}

function selectedNodes(): DevnetKind[] {
  const only = process.env.BENCH_ONLY
  if (only === undefined || only === '') return ['olnode', 'anvil']
  if (only === 'olnode' || only === 'anvil') return [only]
  throw new Error(`BENCH_ONLY must be olnode or anvil, got ${only}`)
}

export function readConfig(): BenchConfig {
  return {
    runs: Math.floor(positiveNumber('BENCH_RUNS', 3)),
    nodes: selectedNodes(),
    workloads: (process.env.BENCH_WORKLOADS ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
    loadDurationMs: positiveNumber('BENCH_DURATION_S', 5) * 1_000,
    runTimeoutMs: positiveNumber('BENCH_TIMEOUT_S', 300) * 1_000,
  }
}
