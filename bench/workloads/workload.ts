/** What run.ts needs from a workload: a label and one measurement against a freshly started node. */
import type { RpcClient } from '../client.ts'
import type { BenchConfig } from '../config.ts'

export interface Workload {
  name: string
  unit: string
  /** Sets up (untimed), measures, checks, and returns the figure in `unit`; throws if any check fails. */
  run(client: RpcClient, config: BenchConfig): Promise<number>
}
