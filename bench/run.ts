/**
 * `npm run bench`: every workload against each node (fresh process per run), the median of BENCH_RUNS
 * runs, printed as a side-by-side table and written to BENCHMARKS.md.
 * Env: BENCH_RUNS (3), BENCH_ONLY (olnode, anvil, hardhat, comma-separated), BENCH_WORKLOADS (comma-separated
 * name fragments), BENCH_DURATION_S (5), BENCH_SUSTAIN_S (60), BENCH_MEMORY_TXS (100000), BENCH_TIMEOUT_S (300
 * per run, longer for the sustained and memory workloads); the validators section also reads
 * BENCH_TPS_WINDOW_S (30) and BENCH_CATCHUP_BLOCKS (300). The ceilings section (BENCH_WORKLOADS name `ceilings`)
 * measures what node:http, the EVM and block sealing allow at most, with BENCH_DURATION_S.
 * The OpenLedger precompile section (olnode only, BENCH_WORKLOADS name `attribution`) runs after the
 * comparison: BENCH_DATANET_SIZES (100,1000,10000), BENCH_SAMPLES (20), BENCH_PRECOMPILE_TIMEOUT_S
 * (3600), BENCH_DATANET_FIXTURE (a directory keeping the grown Datanets for later runs).
 */
import { benchCeilings } from './ceilings/section.ts'
import { createRpcClient } from './client.ts'
import { LOAD_CONCURRENCY, readConfig, type BenchConfig } from './config.ts'
import type { NodeKind } from './nodeKind.ts'
import { killNodesOnExit, startNode } from './nodes.ts'
import { benchAttribution } from './precompiles/attribution.ts'
import { precompileTable } from './precompiles/report.ts'
import { Rows, type PrecompileRow } from './precompiles/rows.ts'
import { table, writeReport, type Outcome, type WorkloadResult } from './report.ts'
import { withTimeout } from './timeout.ts'
import { blockNumber } from './workloads/blockNumber.ts'
import { erc20Transfers } from './workloads/erc20Transfers.ts'
import { ethCall } from './workloads/ethCall.ts'
import { getLogs } from './workloads/getLogs.ts'
import { getProof } from './workloads/getProof.ts'
import { memoryAndRestart } from './workloads/memoryRestart.ts'
import { sustained } from './workloads/sustained.ts'
import { traceTransaction } from './workloads/traceTransaction.ts'
import { benchValidators } from './validators/section.ts'
import { transfers } from './workloads/transfers.ts'
import type { Workload } from './workloads/workload.ts'

const workloads = (config: BenchConfig): Workload[] => [
  transfers,
  erc20Transfers,
  ethCall,
  blockNumber,
  traceTransaction,
  getLogs,
  getProof,
  sustained,
  memoryAndRestart(config.memoryTxs),
]

const describe = (w: Workload) => w.measures.map((m) => m.name).join(' + ')

/** One measurement on a fresh node; the node and client are torn down whatever happens. */
async function runOnce(workload: Workload, kind: NodeKind, config: BenchConfig): Promise<number[]> {
  const node = await startNode(kind, workload.start)
  const client = createRpcClient(node.url, LOAD_CONCURRENCY, workload.requestTimeoutMs)
  try {
    const timeoutMs = workload.timeoutMs?.(config) ?? config.runTimeoutMs
    return await withTimeout(workload.run(client, config, node), timeoutMs, `${describe(workload)} on ${kind}`)
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    throw new Error(`${msg}\n--- ${kind} output (tail) ---\n${node.outputTail()}`)
  } finally {
    // Closing the client first ends any loop still running after a timeout.
    client.close()
    await node.stop()
  }
}

const runLine = (w: Workload, figures: number[]) => figures.map((f, i) => `${Math.round(f)} ${w.measures[i].unit}`).join(', ')

/** One result per measure of the workload, with every run's figures on each node it applies to. */
async function benchWorkload(workload: Workload, config: BenchConfig): Promise<WorkloadResult[]> {
  const applies = config.nodes.filter((k) => !workload.only || workload.only.includes(k))
  const nodes = applies.filter((k) => !workload.unsupportedBy?.[k])
  const outcomes = workload.measures.map(() => ({}) as Partial<Record<NodeKind, Outcome>>)
  const fail = (kind: NodeKind, error: string) => outcomes.forEach((o) => (o[kind] = { runs: o[kind]?.runs ?? [], error }))
  for (const kind of applies) outcomes.forEach((o) => (o[kind] = { runs: [], unsupported: workload.unsupportedBy?.[kind] }))
  for (let r = 0; r < config.runs; r++) {
    // Alternate which node goes first, so a drift in the shared machine's load hits all alike.
    const order = r % 2 === 0 ? nodes : [...nodes].reverse()
    for (const kind of order) {
      if (outcomes[0][kind]!.error) continue // one failure ends that node's runs of this workload
      const label = `  ${describe(workload)}, ${kind}, run ${r + 1}/${config.runs}`
      try {
        const figures = await runOnce(workload, kind, config)
        figures.forEach((f, i) => outcomes[i][kind]!.runs.push(f))
        console.log(`${label}: ${runLine(workload, figures)}`)
      } catch (err) {
        fail(kind, err instanceof Error ? err.message : String(err))
        console.error(`${label} FAILED: ${outcomes[0][kind]!.error}`)
      }
    }
  }
  return workload.measures.map((m, i) => ({ ...m, outcomes: outcomes[i] }))
}

const selected = (config: BenchConfig, ...names: string[]) =>
  config.workloads.length === 0 || config.workloads.some((f) => names.some((name) => name.toLowerCase().includes(f)))

/** An olnode-only section (BENCH_WORKLOADS name `name`), when selected; a failure keeps its earlier figures and fails the run. */
async function olnodeSection(config: BenchConfig, name: string, title: string, bench: () => Promise<WorkloadResult[]>): Promise<WorkloadResult[]> {
  if (!config.nodes.includes('olnode') || !selected(config, name)) return []
  console.log(`${title}:`)
  try {
    return await bench()
  } catch (err) {
    console.error(`  ${name} FAILED: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = 1
    return []
  }
}

/** The precompile section; a failure (or its time limit) is recorded at the Datanet size it stopped at. */
async function benchPrecompiles(config: BenchConfig): Promise<PrecompileRow[]> {
  if (!selected(config, 'attribution') || !config.nodes.includes('olnode')) return []
  console.log('OpenLedger precompiles (olnode only):')
  const rows = new Rows()
  try {
    await withTimeout(benchAttribution(config, rows), config.precompileTimeoutMs, 'the precompile section')
  } catch (err) {
    console.error(`  FAILED at ${rows.stage} contributions: ${err instanceof Error ? err.stack : String(err)}`)
    rows.failStage(err)
  }
  return rows.all()
}

async function main(): Promise<void> {
  killNodesOnExit()
  const config = readConfig()
  console.log(`Benchmarking ${config.nodes.join(', ')}, ${config.runs} run(s) per workload`)
  const results: WorkloadResult[] = []
  for (const w of workloads(config).filter((w) => selected(config, ...w.measures.map((m) => m.name)))) {
    console.log(`${describe(w)}:`)
    results.push(...(await benchWorkload(w, config)))
  }
  results.push(...(await olnodeSection(config, 'validators', 'Validators', benchValidators)))
  results.push(...(await olnodeSection(config, 'ceilings', "Ceilings of olnode's stack", () => benchCeilings(config))))
  const precompiles = await benchPrecompiles(config)
  console.log(`\n${table(results)}\n`)
  if (precompiles.length > 0) console.log(`${precompileTable(precompiles)}\n`)
  console.log(`Wrote ${writeReport(results, precompiles, config)}`)
  const failed = [...results.map((r) => r.outcomes), ...precompiles.map((r) => r.figures)].some((o) => Object.values(o).some((x) => x.error))
  if (failed) process.exitCode = 1
  // The precompile section's node is in this process: its sockets would keep it alive.
  process.exit()
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
