/** geth's statsReportLimit: a progress line at most every 8 seconds while it runs. */
const REPORT_EVERY_MS = 8_000

/** Progress lines of a long command (import, export): at intervals, and one at the end. */
export class Progress {
  private readonly started = performance.now()
  private reported = this.started

  constructor(private readonly line: () => string) {}

  /** Prints the line if the last one is old enough. */
  tick(): void {
    const now = performance.now()
    if (now - this.reported < REPORT_EVERY_MS) return
    this.reported = now
    console.log(this.line())
  }

  done(): void {
    console.log(this.line())
  }

  /** "N blocks/s, M tx/s in S s" since the start. */
  rates(blocks: number, txs: number): string {
    const seconds = Math.max((performance.now() - this.started) / 1000, 0.001)
    return `${Math.round(blocks / seconds)} blocks/s, ${Math.round(txs / seconds)} tx/s in ${seconds.toFixed(1)} s`
  }
}
