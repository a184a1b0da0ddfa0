import { describe, expect, it } from 'vitest'
import { byPriceAndNonce } from '../../../node/txpool/ordering.ts'
import type { PoolEntry } from '../../../node/txpool/types.ts'

/** Only the fields the ordering reads; the rest of an entry does not matter here. */
function entry(sender: number, nonce: number, feeCap: bigint, tipCap: bigint, seq: number): PoolEntry {
  return { nonce: BigInt(nonce), feeCap, tipCap, seq, hash: `0x${sender}-${nonce}` } as unknown as PoolEntry
}

/** The obvious quadratic merge: at each step the best of the senders' next transactions. */
function naive(runs: PoolEntry[][], baseFee: bigint): PoolEntry[] {
  const tip = (e: PoolEntry) => (e.tipCap < e.feeCap - baseFee ? e.tipCap : e.feeCap - baseFee)
  const heads = runs.map(() => 0)
  const out: PoolEntry[] = []
  for (;;) {
    let best = -1
    for (const [i, run] of runs.entries()) {
      const e = run[heads[i]]
      if (e === undefined) continue
      const b = best === -1 ? undefined : runs[best][heads[best]]
      if (b === undefined || tip(e) > tip(b) || (tip(e) === tip(b) && e.seq < b.seq)) best = i
    }
    if (best === -1) return out
    out.push(runs[best][heads[best]++])
  }
}

describe('byPriceAndNonce', () => {
  it('matches the quadratic merge on a large mixed pool', () => {
    let seed = 42
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n)
    let seq = 0
    const runs = Array.from({ length: 60 }, (_, s) =>
      Array.from({ length: 1 + random(8) }, (_, n) => {
        const feeCap = BigInt(10 + random(40))
        return entry(s, n, feeCap, BigInt(random(Number(feeCap) + 1)), seq++)
      }),
    )
    const baseFee = 20n
    const affordable = runs.map((run) => run.filter((e) => e.feeCap >= baseFee))
    expect(byPriceAndNonce(affordable, baseFee)).toEqual(naive(affordable, baseFee))
  })

  it('returns nothing for no runs or empty runs', () => {
    expect(byPriceAndNonce([], 1n)).toEqual([])
    expect(byPriceAndNonce([[], []], 1n)).toEqual([])
  })
})
