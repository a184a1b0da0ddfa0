/**
 * The ceilings section of `npm run bench`: on the rows where olnode trails its peers, the most its stack
 * allows (node:http, ethereumjs' interpreter) and the most its own parts do alone (the call executor, the
 * block sealer), measured on this machine, each set beside the row it bounds.
 */
import type { BenchConfig } from '../config.ts'
import type { WorkloadResult } from '../report.ts'
import { inProcessCallRate } from './callExecutorCeiling.ts'
import { bareHttpCeiling } from './httpCeiling.ts'
import { interpreterCeiling } from './interpreterCeiling.ts'
import { sealRate } from './sealCeiling.ts'

interface CeilingRow {
  name: string
  unit: string
  /** The name of the comparison row it bounds. */
  bounds: string
  /** A CPU cost: the smaller figure is the better. */
  lowerIsBetter?: boolean
}

/** One measurement, giving one figure per row. */
interface Ceiling {
  rows: CeilingRow[]
  measure(durationMs: number): Promise<number[]>
}

const cpuPerCall = (name: string, bounds: string): CeilingRow => ({ name: `${name}, CPU per call`, unit: 'µs', bounds: `${bounds}, node CPU per call`, lowerIsBetter: true })

const HTTP = 'Ceiling: bare node:http JSON-RPC server'
const INTERPRETER = "Ceiling: balanceOf in ethereumjs' interpreter alone, no trie, no RPC"

const CEILINGS: Ceiling[] = [
  {
    rows: [{ name: HTTP, unit: 'calls/s', bounds: 'eth_blockNumber' }, cpuPerCall(HTTP, 'eth_blockNumber')],
    measure: async (ms) => {
      const { rate, nodeCpuUs } = await bareHttpCeiling(ms)
      return [rate, nodeCpuUs]
    },
  },
  {
    rows: [{ name: INTERPRETER, unit: 'calls/s', bounds: 'eth_call (balanceOf)' }, cpuPerCall(INTERPRETER, 'eth_call (balanceOf)')],
    measure: async (ms) => {
      const { rate, cpuUs } = await interpreterCeiling(ms)
      return [rate, cpuUs]
    },
  },
  {
    rows: [{ name: "Ceiling: balanceOf through olnode's call executor, in process, no RPC", unit: 'calls/s', bounds: 'eth_call (balanceOf)' }],
    measure: async (ms) => [await inProcessCallRate(ms)],
  },
  {
    rows: [{ name: 'Ceiling: transfers sealed, in process, no RPC', unit: 'tx/s', bounds: 'Sustained transfers, --block-time 1' }],
    measure: async (ms) => [await sealRate(ms)],
  },
]

/** Each ceiling config.runs times, in turn, as rows of their own section (olnode's column holds the figure). */
export async function benchCeilings(config: BenchConfig): Promise<WorkloadResult[]> {
  const runs = CEILINGS.map((c) => c.rows.map(() => [] as number[]))
  for (let r = 0; r < config.runs; r++) {
    for (const [c, ceiling] of CEILINGS.entries()) {
      const figures = await ceiling.measure(config.loadDurationMs)
      for (const [i, row] of ceiling.rows.entries()) {
        runs[c][i].push(figures[i])
        console.log(`  ${row.name}, run ${r + 1}/${config.runs}: ${Math.round(figures[i])} ${row.unit}`)
      }
    }
  }
  return CEILINGS.flatMap((ceiling, c) =>
    ceiling.rows.map((row, i) => ({ name: row.name, unit: row.unit, lowerIsBetter: row.lowerIsBetter, section: 'ceilings' as const, bounds: row.bounds, outcomes: { olnode: { runs: runs[c][i] } } })),
  )
}
