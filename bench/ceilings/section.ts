/**
 * The ceilings section of `npm run bench`: on the rows where olnode trails its peers, the most its stack
 * allows (node:http, ethereumjs' interpreter) and the most its own parts do alone (the call executor, the
 * block sealer), measured on this machine, each set beside the row it bounds.
 */
import type { BenchConfig } from '../config.ts'
import type { WorkloadResult } from '../report.ts'
import { inProcessCallRate } from './callExecutorCeiling.ts'
import { bareHttpRate } from './httpCeiling.ts'
import { interpreterCallRate } from './interpreterCeiling.ts'
import { sealRate } from './sealCeiling.ts'

interface Ceiling {
  name: string
  unit: string
  /** The name of the comparison row it bounds. */
  bounds: string
  measure(durationMs: number): Promise<number>
}

const CEILINGS: Ceiling[] = [
  { name: 'Ceiling: bare node:http JSON-RPC server', unit: 'calls/s', bounds: 'eth_blockNumber', measure: bareHttpRate },
  { name: "Ceiling: balanceOf in ethereumjs' interpreter alone, no trie, no RPC", unit: 'calls/s', bounds: 'eth_call (balanceOf)', measure: interpreterCallRate },
  { name: "Ceiling: balanceOf through olnode's call executor, in process, no RPC", unit: 'calls/s', bounds: 'eth_call (balanceOf)', measure: inProcessCallRate },
  { name: 'Ceiling: transfers sealed, in process, no RPC', unit: 'tx/s', bounds: 'Sustained transfers, --block-time 1', measure: sealRate },
]

/** Each ceiling config.runs times, in turn, as rows of their own section (olnode's column holds the figure). */
export async function benchCeilings(config: BenchConfig): Promise<WorkloadResult[]> {
  const runs = CEILINGS.map(() => [] as number[])
  for (let r = 0; r < config.runs; r++) {
    for (const [i, ceiling] of CEILINGS.entries()) {
      runs[i].push(await ceiling.measure(config.loadDurationMs))
      console.log(`  ${ceiling.name}, run ${r + 1}/${config.runs}: ${Math.round(runs[i][r])} ${ceiling.unit}`)
    }
  }
  return CEILINGS.map((c, i) => ({ name: c.name, unit: c.unit, section: 'ceilings', bounds: c.bounds, outcomes: { olnode: { runs: runs[i] } } }))
}
