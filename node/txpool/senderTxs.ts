import type { PoolEntry } from './types.ts'

/**
 * One sender's pooled transactions, by nonce. Which are pending is derived, never stored: the run
 * of consecutive nonces starting at the account's state nonce (`base`), however long (as in geth,
 * where a sender's pending run is cut back only when the whole pool overflows). Everything else is queued. So filling a gap promotes the run behind it, and removing a
 * transaction demotes everything after it, with no bookkeeping to get out of step. The run's length
 * and cost are remembered between changes, since every admission asks for them: appending to the run
 * extends them, any other change forgets them.
 */
export class SenderTxs {
  private readonly byNonce = new Map<bigint, PoolEntry>()
  private run: { count: number; cost: bigint } | undefined
  /** The sender's nonce in the state the pool last checked against. */
  public base: bigint
  private checkedBalance: bigint
  private checkedGasLimit: bigint

  constructor(account: { nonce: bigint; balance: bigint }, gasLimit: bigint) {
    this.base = account.nonce
    this.checkedBalance = account.balance
    this.checkedGasLimit = gasLimit
  }

  /** Records the account state and gas limit every entry was last found valid against. */
  checkedAgainst(account: { balance: bigint }, gasLimit: bigint): void {
    this.checkedBalance = account.balance
    this.checkedGasLimit = gasLimit
  }

  /**
   * Whether nothing that could drop or demote an entry has changed since the last check: same
   * nonce, no less balance, no lower gas limit. A block that did not touch this sender leaves it so.
   */
  stillValidFor(account: { nonce: bigint; balance: bigint }, gasLimit: bigint): boolean {
    return account.nonce === this.base && account.balance >= this.checkedBalance && gasLimit >= this.checkedGasLimit
  }

  get size(): number {
    return this.byNonce.size
  }

  get(nonce: bigint): PoolEntry | undefined {
    return this.byNonce.get(nonce)
  }

  /** Stores the entry at its nonce; returns the entry it replaced, if any. */
  put(entry: PoolEntry): PoolEntry | undefined {
    const old = this.byNonce.get(entry.nonce)
    const appends = old === undefined && this.run !== undefined && entry.nonce === this.base + BigInt(this.run.count) && !this.byNonce.has(entry.nonce + 1n)
    this.run = appends ? { count: this.run!.count + 1, cost: this.run!.cost + entry.cost } : undefined
    this.byNonce.set(entry.nonce, entry)
    return old
  }

  remove(nonce: bigint): void {
    this.run = undefined
    this.byNonce.delete(nonce)
  }

  pendingCount(): number {
    return this.pendingRun().count
  }

  private pendingRun(): { count: number; cost: bigint } {
    if (this.run !== undefined) return this.run
    let count = 0
    let cost = 0n
    for (let entry = this.byNonce.get(this.base); entry !== undefined; entry = this.byNonce.get(this.base + BigInt(count))) {
      count++
      cost += entry.cost
    }
    return (this.run = { count, cost })
  }

  queuedCount(): number {
    return this.size - this.pendingCount()
  }

  isPending(nonce: bigint): boolean {
    return nonce >= this.base && nonce < this.base + BigInt(this.pendingCount())
  }

  /** Pending entries, in nonce order. */
  pending(): PoolEntry[] {
    return this.pendingFrom(0)
  }

  /** Pending entries from the `first`-th on, in nonce order. */
  pendingFrom(first: number): PoolEntry[] {
    const count = this.pendingCount()
    const out: PoolEntry[] = []
    for (let i = first; i < count; i++) out.push(this.byNonce.get(this.base + BigInt(i))!)
    return out
  }

  /** Queued entries, in nonce order. */
  queued(): PoolEntry[] {
    const end = this.base + BigInt(this.pendingCount())
    return this.sorted().filter((entry) => entry.nonce < this.base || entry.nonce >= end)
  }

  /** What the pending transactions can take from the balance together (geth's totalcost). */
  pendingCost(): bigint {
    return this.pendingRun().cost
  }

  /** The first nonce from `from` on that no pooled transaction uses: the next one to send. */
  nextNonce(from: bigint): bigint {
    let nonce = from
    while (this.byNonce.has(nonce)) nonce++
    return nonce
  }

  /** Moves `base` to a new state nonce; returns the entries that became stale (nonce below it). */
  rebase(stateNonce: bigint): PoolEntry[] {
    this.base = stateNonce
    this.run = undefined
    return this.removeWhere((entry) => entry.nonce < stateNonce)
  }

  /** Removes and returns the entries `doomed` selects, in nonce order. */
  removeWhere(doomed: (entry: PoolEntry) => boolean): PoolEntry[] {
    const removed = this.sorted().filter(doomed)
    for (const entry of removed) this.remove(entry.nonce)
    return removed
  }

  /** Drops the highest-nonce queued entries beyond `limit` (geth's queue Cap); returns them. */
  trimQueue(limit: number): PoolEntry[] {
    const excess = this.queued().slice(limit)
    for (const entry of excess) this.remove(entry.nonce)
    return excess
  }

  /** All entries, in nonce order. */
  sorted(): PoolEntry[] {
    return [...this.byNonce.values()].sort((a, b) => (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0))
  }
}
