/** Benchmark settings: fixed workload sizes, plus the few knobs read from the environment. */
import { isNodeKind, NODE_KINDS, type NodeKind } from './nodeKind.ts'

export interface BenchConfig {
  runs: number
  nodes: NodeKind[]
  /** Lower-case name fragments from BENCH_WORKLOADS; empty runs every workload. */
  workloads: string[]
  /** Measured window of the eth_call / eth_blockNumber loads, ms. */
  loadDurationMs: number
  /** Measured window of the sustained interval-mining load, ms. */
  sustainMs: number
  /** Transactions sent before the olnode memory and restart measures. */
  memoryTxs: number
  /** Upper bound on one run of a workload, node start and setup included, ms. */
  runTimeoutMs: number
  /** The precompile section: Datanet sizes grown through, in contributions, ascending. */
  datanetSizes: number[]
  /** Timed repetitions of each precompile operation per Datanet size. */
  precompileSamples: number
  /** Upper bound on the whole precompile section, population included, ms. */
  precompileTimeoutMs: number
  /** BENCH_DATANET_FIXTURE: where grown Datanets are kept and reused; unset, a temporary directory. */
  datanetFixture?: string
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

function ascendingSizes(): number[] {
  const raw = process.env.BENCH_DATANET_SIZES ?? '100,1000,10000'
  const sizes = raw.split(',').map((s) => Number(s.trim()))
  if (sizes.some((n, i) => !Number.isInteger(n) || n <= (sizes[i - 1] ?? 0))) throw new Error(`BENCH_DATANET_SIZES must be ascending positive integers, got ${raw}`)
  return sizes
}

/** BENCH_ONLY: a comma-separated subset of the nodes, kept in their usual order. */
function selectedNodes(): NodeKind[] {
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = only.filter((s) => !isNodeKind(s))
  if (unknown.length > 0) throw new Error(`BENCH_ONLY takes ${NODE_KINDS.join(', ')} (comma-separated), got ${unknown.join(', ')}`)
  return only.length === 0 ? [...NODE_KINDS] : NODE_KINDS.filter((k) => only.includes(k))
}

export function readConfig(): BenchConfig {
  return {
    runs: Math.floor(positiveNumber('BENCH_RUNS', 3)),
    nodes: selectedNodes(),
    workloads: (process.env.BENCH_WORKLOADS ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
    loadDurationMs: positiveNumber('BENCH_DURATION_S', 5) * 1_000,
    sustainMs: positiveNumber('BENCH_SUSTAIN_S', 60) * 1_000,
    memoryTxs: Math.floor(positiveNumber('BENCH_MEMORY_TXS', 100_000)),
    runTimeoutMs: positiveNumber('BENCH_TIMEOUT_S', 300) * 1_000,
    datanetSizes: ascendingSizes(),
    precompileSamples: Math.floor(positiveNumber('BENCH_SAMPLES', 20)),
    precompileTimeoutMs: positiveNumber('BENCH_PRECOMPILE_TIMEOUT_S', 3_600) * 1_000,
    datanetFixture: process.env.BENCH_DATANET_FIXTURE || undefined,
  }
}
