import { effectiveTip } from './fees.ts'
import { Heap } from './heap.ts'
import type { PoolEntry } from './types.ts'

/** A sender's next transaction to offer: `run[index]`. */
interface Cursor {
  run: PoolEntry[]
  index: number
  tip: bigint
}

/**
 * geth's NewTransactionsByPriceAndNonce: repeatedly take the best-paying transaction among the
 * senders' lowest remaining nonces, so no sender's nonce n+1 comes before its nonce n. Best =
 * highest effective tip at `baseFee`, then earliest arrival: a total order, the same on every run.
 * Each run must be one sender's transactions in nonce order. Stops after `limit` transactions.
 */
export function byPriceAndNonce(runs: PoolEntry[][], baseFee: bigint, limit = Infinity): PoolEntry[] {
  const heap = new Heap<Cursor>(
    (a, b) => a.tip > b.tip || (a.tip === b.tip && a.run[a.index].seq < b.run[b.index].seq),
  )
  const cursor = (run: PoolEntry[], index: number): Cursor => ({ run, index, tip: effectiveTip(run[index], baseFee) })
  for (const run of runs) if (run.length > 0) heap.push(cursor(run, 0))
  const out: PoolEntry[] = []
  for (let next = heap.pop(); next !== undefined && out.length < limit; next = heap.pop()) {
    out.push(next.run[next.index])
    if (next.index + 1 < next.run.length) heap.push(cursor(next.run, next.index + 1))
  }
  return out
}
