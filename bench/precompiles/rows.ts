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

const UNITS: Record<string, string> = {
  [ROW.populate]: 's',
  [ROW.openGas]: 'gas',
  [ROW.dbBytes]: 'bytes',
  [ROW.submitMs]: 'ms',
  [ROW.submitGas]: 'gas',
  [ROW.approveMs]: 'ms',
  [ROW.approveGas]: 'gas',
  [ROW.scoreMs]: 'ms',
  [ROW.scoreGas]: 'gas',
  [ROW.payMs]: 'ms',
  [ROW.payGas]: 'gas',
}

/** One size's figure: its samples (or why it failed), a note, and when and on which commit it was measured. */
export type Figure = Outcome & { note?: string; measured?: string }

export interface PrecompileRow {
  section: 'precompiles'
  name: string
  unit: string
  /** By Datanet size (contributions, as a decimal string). */
  figures: Record<string, Figure>
}

export class Rows {
  private readonly rows: PrecompileRow[] = []
  /** The Datanet size being grown or measured: where a failure of the whole section is recorded. */
  stage = 0

  private row(name: string): PrecompileRow {
    let row = this.rows.find((r) => r.name === name)
    if (!row) this.rows.push((row = { section: 'precompiles', name, unit: UNITS[name], figures: {} }))
    return row
  }

  add(name: string, size: number, runs: number[], note?: string): void {
    this.row(name).figures[String(size)] = { runs, ...(note ? { note } : {}) }
  }

  fail(name: string, size: number, error: unknown): void {
    this.row(name).figures[String(size)] = { runs: [], error: error instanceof Error ? error.message : String(error) }
  }

  /** Marks every row the current stage has no figure for as failed with `error`. */
  failStage(error: unknown): void {
    for (const name of Object.values(ROW)) if (!this.row(name).figures[String(this.stage)]) this.fail(name, this.stage, error)
  }

  all(): PrecompileRow[] {
    return this.rows.filter((r) => Object.keys(r.figures).length > 0)
  }
}

export function isPrecompileRow(r: object): r is PrecompileRow {
  return 'section' in r && r.section === 'precompiles'
}
