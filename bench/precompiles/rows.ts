/** The precompile section's results: one row per measurement, one figure per Datanet size. */
import type { Outcome } from '../report.ts'

/** The section's rows, in the order BENCHMARKS.md shows them. */
export const ROW = {
  populate: 'Growing the open Datanet to this size',
  openGas: 'Submission to the open Datanet (submit + approve in one call), 100 shingles',
  dbBytes: 'Datadir bytes per contribution added (compacted LevelDB)',
  submitMs: 'submitContribution, curated Datanet, 100 shingles',
  submitGas: 'submitContribution gas, curated Datanet',
  approveMs: 'approve, curated Datanet, 100 shingles',
  approveGas: 'approve gas, curated Datanet',
  scoreMs: 'score(), 1,000-shingle output, eth_call',
  scoreGas: 'score() gas (eth_estimateGas)',
  payMs: 'payInference(), 1,000-shingle output, send to receipt',
  payGas: 'payInference() gas',
}

export interface PrecompileRow {
  section: 'precompiles'
  name: string
  unit: string
  /** By Datanet size (contributions, as a decimal string), in the order measured. */
  figures: Record<string, Outcome & { note?: string }>
  /** When and on which commit it was measured (set when the result is recorded). */
  measured?: string
}

export class Rows {
  private readonly rows: PrecompileRow[] = []

  private row(name: string, unit: string): PrecompileRow {
    let row = this.rows.find((r) => r.name === name)
    if (!row) this.rows.push((row = { section: 'precompiles', name, unit, figures: {} }))
    return row
  }

  add(name: string, unit: string, size: number, runs: number[], note?: string): void {
    this.row(name, unit).figures[String(size)] = { runs, ...(note ? { note } : {}) }
  }

  fail(name: string, unit: string, size: number, error: unknown): void {
    this.row(name, unit).figures[String(size)] = { runs: [], error: error instanceof Error ? error.message : String(error) }
  }

  all(): PrecompileRow[] {
    return this.rows
  }
}

export function isPrecompileRow(r: object): r is PrecompileRow {
  return 'section' in r && r.section === 'precompiles'
}
