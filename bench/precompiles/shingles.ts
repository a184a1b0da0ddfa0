/**
 * The benchmark's data: a model output of 1,000 shingles and the 100-shingle fingerprints of a
 * Datanet's contributions, built so the output draws on the Datanet as real text would.
 * Contribution i (0-based, in submission order) is, by its index alone (so a Datanet grown from 100
 * to 10,000 keeps its first contributions):
 * - every 100th, a source the output quotes at length: a run of 60 consecutive output shingles
 *   (its first 60 values, in output order), starting 37·(i/100) mod 940 into the output;
 * - every odd one, a document sharing a few common phrases with the output: 1 to 8 output shingles,
 *   drawn by a Zipf law (s = 1) over a fixed shuffle of the output, so a few phrases are in very
 *   many contributions (past 64, DatanetRegistry stops indexing them);
 * - the rest, unrelated documents.
 * Every other value is the contribution's own. No two contributions share 80 of their shingles
 * (sources overlap in at most 59), so none is refused as a near duplicate.
 * Values are splitmix64 outputs of distinct counters: deterministic, uniform, distinct in practice.
 */
import { keccak256, toHex } from 'viem'

export const OUTPUT_SHINGLES = 1_000
export const CONTRIBUTION_SHINGLES = 100
const SOURCE_EVERY = 100
const SOURCE_RUN = 60
const SOURCE_STRIDE = 37
const MAX_PHRASES = 8

const MASK = (1n << 64n) - 1n

function splitmix64(counter: bigint): bigint {
  let z = (counter * 0x9e3779b97f4a7c15n) & MASK
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK
  return z ^ (z >> 31n)
}

/** Counter domains: output shingles, and each Datanet's own shingles (`stream` tells Datanets apart). */
const value = (domain: bigint, a: number, b: number) => splitmix64((domain << 56n) | (BigInt(a) << 16n) | BigInt(b))

/** mulberry32: a small seeded PRNG for the choices (not the values). */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

export const outputFingerprint: bigint[] = Array.from({ length: OUTPUT_SHINGLES }, (_, i) => value(1n, 0, i))

/** Output positions by popularity (rank 0 the most common phrase), and the Zipf CDF over ranks. */
const byRank = (() => {
  const order = Array.from({ length: OUTPUT_SHINGLES }, (_, i) => i)
  const rand = prng(0x5eed)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order
})()
const zipfCdf = (() => {
  const w = byRank.map((_, r) => 1 / (r + 1))
  const total = w.reduce((a, b) => a + b, 0)
  let acc = 0
  return w.map((x) => (acc += x / total))
})()

function zipfPosition(u: number): number {
  let lo = 0
  let hi = zipfCdf.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (zipfCdf[mid] < u) lo = mid + 1
    else hi = mid
  }
  return byRank[lo]
}

function quoted(i: number): number[] {
  if (i % SOURCE_EVERY === 0) {
    const start = ((i / SOURCE_EVERY) * SOURCE_STRIDE) % (OUTPUT_SHINGLES - SOURCE_RUN)
    return Array.from({ length: SOURCE_RUN }, (_, k) => start + k)
  }
  if (i % 2 === 0) return []
  const rand = prng(i)
  const count = 1 + Math.floor(rand() * MAX_PHRASES)
  const picked = new Set<number>()
  while (picked.size < count) picked.add(zipfPosition(rand()))
  return [...picked]
}

/** Contribution i's fingerprint in Datanet stream `stream` (1, 2, …). */
export function contributionFingerprint(stream: number, i: number): bigint[] {
  const shared = quoted(i).map((p) => outputFingerprint[p])
  const own = Array.from({ length: CONTRIBUTION_SHINGLES - shared.length }, (_, j) => value(BigInt(1 + stream), i, j))
  return [...shared, ...own]
}

/** A distinct content hash per (stream, contribution). */
export function contentHash(stream: number, i: number): `0x${string}` {
  return keccak256(toHex(`olnode-bench-contribution-${stream}-${i}`))
}
