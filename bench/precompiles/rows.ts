/** The precompile section's results: one row per measurement, one figure per Datanet size. */
import type { Outcome } from '../report.ts'

export interface RowKind {
  name: string
  unit: string
}

/** The section's rows, in the order BENCHMARKS.md shows them. */
export const ROW = {
  populate: { name: 'Growing the open Datanet to this size', unit: 's' },
  openGas: { name: 'Submission to the open Datanet (submit + approve in one call), 100 shingles', unit: 'gas' },
  dbBytes: { name: 'Datadir bytes per contribution added (compacted LevelDB)', unit: 'bytes' },
  submitMs: { name: 'submitContribution, curated Datanet, 100 shingles', unit: 'ms' },
  submitGas: { name: 'submitContribution gas, curated Datanet', unit: 'gas' },
  approveMs: { name: 'approve, curated Datanet, 100 shingles', unit: 'ms' },
  approveGas: { name: 'approve gas, curated Datanet', unit: 'gas' },
  scoreMs: { name: 'score(), 1,000-shingle output, eth_call', unit: 'ms' },
  scoreGas: { name: 'score() gas (eth_estimateGas)', unit: 'gas' },
  payMs: { name: 'payInference(), 1,000-shingle output, send to receipt', unit: 'ms' },
  payGas: { name: 'payInference() gas', unit: 'gas' },
} satisfies Record<string, RowKind>

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
  /** Whether that size was grown by an earlier run (BENCH_DATANET_FIXTURE): its growth rows are not this run's. */
  stageReused = false

  private row(kind: RowKind): PrecompileRow {
    let row = this.rows.find((r) => r.name === kind.name)
    if (!row) this.rows.push((row = { section: 'precompiles', ...kind, figures: {} }))
    return row
  }

  add(kind: RowKind, size: number, runs: number[], note?: string): void {
    this.row(kind).figures[String(size)] = { runs, ...(note ? { note } : {}) }
  }

  fail(kind: RowKind, size: number, error: unknown): void {
    this.row(kind).figures[String(size)] = { runs: [], error: error instanceof Error ? error.message : String(error) }
  }

  /** Marks every row of the current stage that has no figure (and that this run measures) as failed with `error`. */
  failStage(error: unknown): void {
    const growthRows: RowKind[] = [ROW.populate, ROW.openGas, ROW.dbBytes]
    for (const kind of Object.values(ROW)) {
      if (this.stageReused && growthRows.includes(kind)) continue
      if (!this.row(kind).figures[String(this.stage)]) this.fail(kind, this.stage, error)
    }
  }

  all(): PrecompileRow[] {
    return this.rows.filter((r) => Object.keys(r.figures).length > 0)
  }
}

export function isPrecompileRow(r: object): r is PrecompileRow {
  return 'section' in r && r.section === 'precompiles'
}
