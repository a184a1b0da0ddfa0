/** What run.ts needs from a workload: what it measures, on which nodes, and one measurement on a fresh node. */
import type { RpcClient } from '../client.ts'
import type { BenchConfig } from '../config.ts'
import type { StartOptions } from '../nodeCommand.ts'
import type { NodeKind } from '../nodeKind.ts'
import type { BenchNode } from '../nodes.ts'

/** One row of the table. */
export interface Measure {
  name: string
  unit: string
  /** A time or a size: the smaller figure wins. */
  lowerIsBetter?: boolean
}

export interface Workload {
  /** One figure per measure from each run; BENCH_WORKLOADS fragments are matched against their names. */
  measures: Measure[]
  /** The nodes it is run on; unset, every selected node. */
  only?: NodeKind[]
  /** Nodes that lack a method it calls, and which: shown as n/a, not run. */
  unsupportedBy?: Partial<Record<NodeKind, string>>
  /** How the node is started for it; unset, each node's defaults (automine). */
  start?: StartOptions
  /** How long one RPC request may go unanswered, when the client's default (30 s) is too short. */
  requestTimeoutMs?: number
  /** Bound on one run when BENCH_TIMEOUT_S is not the right one (the run's length depends on a knob). */
  timeoutMs?(config: BenchConfig): number
  /** Sets up (untimed), measures, checks, and returns one figure per measure; throws if any check fails. */
  run(client: RpcClient, config: BenchConfig, node: BenchNode): Promise<number[]>
}
