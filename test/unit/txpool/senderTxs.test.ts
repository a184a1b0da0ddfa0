import { describe, expect, it } from 'vitest'
import { SenderTxs } from '../../../node/txpool/senderTxs.ts'
import type { PoolEntry } from '../../../node/txpool/types.ts'

function entry(nonce: bigint, cost: bigint): PoolEntry {
  return { nonce, cost } as PoolEntry
}

/** The pending run computed from scratch: consecutive nonces from `base`. */
function reference(entries: Map<bigint, PoolEntry>, base: bigint): { count: number; cost: bigint } {
  let count = 0
  let cost = 0n
  for (let e = entries.get(base); e !== undefined; e = entries.get(base + BigInt(count))) {
    count++
    cost += e.cost
  }
  return { count, cost }
}

/** A deterministic stream of numbers in [0, n): xorshift32. */
function stream(seed: number): (n: number) => number {
  let x = seed
  return (n) => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) % n
  }
}

describe('SenderTxs', () => {
  it('keeps the pending run and its cost equal to a from-scratch count through puts, replacements, removals and rebases', () => {
    const next = stream(12345)
    const txs = new SenderTxs({ nonce: 0n, balance: 0n }, 30_000_000n)
    const mirror = new Map<bigint, PoolEntry>()
    let base = 0n
    for (let step = 0; step < 5_000; step++) {
      const op = next(10)
      const nonce = base + BigInt(next(12)) - 2n
      if (op < 6) {
        const e = entry(nonce, BigInt(1 + next(1_000)))
        txs.put(e)
        mirror.set(nonce, e)
      } else if (op < 8) {
        txs.remove(nonce)
        mirror.delete(nonce)
      } else if (op < 9) {
        base += BigInt(next(3))
        txs.rebase(base)
        for (const n of [...mirror.keys()]) if (n < base) mirror.delete(n)
      } else {
        const limit = next(4)
        const trimmed = txs.trimQueue(limit)
        for (const e of trimmed) mirror.delete(e.nonce)
      }
      const want = reference(mirror, base)
      expect(txs.pendingCount()).toBe(want.count)
      expect(txs.pendingCost()).toBe(want.cost)
      expect(txs.queuedCount()).toBe(mirror.size - want.count)
      expect(txs.pending().map((e) => e.nonce)).toEqual(Array.from({ length: want.count }, (_, i) => base + BigInt(i)))
    }
  })

  it('lists the entries a gap-filling put promoted, from the run length before it', () => {
    const txs = new SenderTxs({ nonce: 5n, balance: 0n }, 30_000_000n)
    txs.put(entry(5n, 1n))
    txs.put(entry(7n, 1n))
    txs.put(entry(8n, 1n))
    const before = txs.pendingCount()
    txs.put(entry(6n, 1n))
    expect(before).toBe(1)
    expect(txs.pendingFrom(before).map((e) => e.nonce)).toEqual([6n, 7n, 8n])
    expect(txs.pendingCost()).toBe(4n)
  })
})
