/**
 * `npm run bench`: every workload against each node (fresh process per run), the median of BENCH_RUNS
 * runs, printed as a side-by-side table and written to BENCHMARKS.md.
 * Env: BENCH_RUNS (3), BENCH_ONLY=olnode|anvil, BENCH_WORKLOADS (comma-separated name fragments),
 * BENCH_DURATION_S (5), BENCH_TIMEOUT_S (300 per run); the validators section also reads BENCH_TPS_WINDOW_S (30)
 * and BENCH_CATCHUP_BLOCKS (300).
 */
import type { DevnetKind } from '../test/support/devnetProcess.ts'
import { createRpcClient } from './client.ts'
import { LOAD_CONCURRENCY, readConfig, type BenchConfig } from './config.ts'
import { killNodesOnExit, startNode } from './nodes.ts'
import { table, writeReport, type Outcome, type WorkloadResult } from './report.ts'
import { blockNumber } from './workloads/blockNumber.ts'
import { erc20Transfers } from './workloads/erc20Transfers.ts'
import { ethCall } from './workloads/ethCall.ts'
import { getLogs } from './workloads/getLogs.ts'
import { getProof } from './workloads/getProof.ts'
import { traceTransaction } from './workloads/traceTransaction.ts'
import { benchValidators } from './validators/section.ts'
import { transfers } from './workloads/transfers.ts'
import type { Workload } from './workloads/workload.ts'

const WORKLOADS: Workload[] = [transfers, erc20Transfers, ethCall, blockNumber, traceTransaction, getLogs, getProof]

function withTimeout<T>(work: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} exceeded ${ms / 1_000} s`)), ms)
  })
  return Promise.race([work, expired]).finally(() => clearTimeout(timer))
}

/** One measurement on a fresh node; the node and client are torn down whatever happens. */
async function runOnce(workload: Workload, kind: DevnetKind, config: BenchConfig): Promise<number> {
  const node = await startNode(kind)
  const client = createRpcClient(node.url, LOAD_CONCURRENCY)
  try {
    return await withTimeout(workload.run(client, config), config.runTimeoutMs, `${workload.name} on ${kind}`)
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    throw new Error(`${msg}\n--- ${kind} output (tail) ---\n${node.outputTail()}`)
  } finally {
    // Closing the client first ends any loop still running after a timeout.
    client.close()
    await node.stop()
  }
}

async function benchWorkload(workload: Workload, config: BenchConfig): Promise<WorkloadResult> {
  const outcomes: Partial<Record<DevnetKind, Outcome>> = {}
  for (const kind of config.nodes) outcomes[kind] = { runs: [] }
  for (let r = 0; r < config.runs; r++) {
    // Alternate which node goes first, so a drift in the shared machine's load hits both alike.
    const order = r % 2 === 0 ? config.nodes : [...config.nodes].reverse()
    for (const kind of order) {
      const o = outcomes[kind]!
      if (o.error) continue // one failure ends that node's runs of this workload
      try {
        o.runs.push(await runOnce(workload, kind, config))
        console.log(`  ${workload.name}, ${kind}, run ${r + 1}/${config.runs}: ${Math.round(o.runs.at(-1)!)} ${workload.unit}`)
      } catch (err) {
        o.error = err instanceof Error ? err.message : String(err)
        console.error(`  ${workload.name}, ${kind}, run ${r + 1}/${config.runs} FAILED: ${o.error}`)
      }
    }
  }
  return { name: workload.name, unit: workload.unit, outcomes }
}

/** The validators section, when selected; a failure keeps its earlier figures and fails the run. */
async function validatorsSection(config: BenchConfig): Promise<WorkloadResult[]> {
  if (!config.nodes.includes('olnode') || !(config.workloads.length === 0 || config.workloads.some((f) => 'validators'.includes(f)))) return []
  console.log('Validators:')
  try {
    return await benchValidators()
  } catch (err) {
    console.error(`  validators FAILED: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = 1
    return []
  }
}

async function main(): Promise<void> {
  killNodesOnExit()
  const config = readConfig()
  console.log(`Benchmarking ${config.nodes.join(' and ')}, ${config.runs} run(s) per workload`)
  const results: WorkloadResult[] = []
  for (const w of WORKLOADS.filter((w) => config.workloads.length === 0 || config.workloads.some((f) => w.name.toLowerCase().includes(f)))) {
    console.log(`${w.name}:`)
    results.push(await benchWorkload(w, config))
  }
  results.push(...(await validatorsSection(config)))
  console.log(`\n${table(results)}\n`)
  console.log(`Wrote ${writeReport(results, config)}`)
  if (results.some((r) => Object.values(r.outcomes).some((o) => o.error))) process.exitCode = 1
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
