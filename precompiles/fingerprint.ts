import { keccak_256 } from '@noble/hashes/sha3.js'

/** Defaults of the canonical fingerprint; a chain's genesis may set other values. */
export const DEFAULT_SHINGLE_SIZE = 5
export const DEFAULT_MAX_SHINGLES = 512

export interface FingerprintOptions {
  /** Words per shingle (k). */
  shingleSize?: number
  /** The most shingle hashes kept; longer documents are winnowed down to at most this many. */
  maxShingles?: number
}

const encoder = new TextEncoder()

/**
 * The canonical fingerprint of `text` (README, "The canonical fingerprint"): the 64-bit hashes of its
 * word shingles, in document order, each kept once, winnowed to at most `maxShingles`.
 */
export function fingerprint(text: string, opts: FingerprintOptions = {}): bigint[] {
  const shingleSize = opts.shingleSize ?? DEFAULT_SHINGLE_SIZE
  const maxShingles = opts.maxShingles ?? DEFAULT_MAX_SHINGLES
  if (!Number.isSafeInteger(shingleSize) || shingleSize < 1) throw new RangeError(`shingleSize must be a positive integer, got ${shingleSize}`)
  if (!Number.isSafeInteger(maxShingles) || maxShingles < 1) throw new RangeError(`maxShingles must be a positive integer, got ${maxShingles}`)
  const hashes = shingleHashes(words(text), shingleSize)
  const all = firstOccurrences(hashes)
  if (all.length <= maxShingles) return all
  for (let window = initialWindow(all.length, maxShingles); ; window++) {
    const kept = firstOccurrences(winnow(hashes, window))
    if (kept.length <= maxShingles) return kept
  }
}

/** NFKC, lower case, then the maximal runs of non-whitespace. */
export function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().split(/\s+/u).filter((w) => w.length > 0)
}

/** keccak256 of each run of `k` words joined by one space, first 8 bytes big-endian; one shingle if fewer words. */
export function shingleHashes(ws: readonly string[], k: number): bigint[] {
  if (ws.length === 0) return []
  const count = Math.max(1, ws.length - k + 1)
  const out: bigint[] = new Array(count)
  for (let i = 0; i < count; i++) out[i] = hash64(ws.slice(i, i + k).join(' '))
  return out
}

/** The first 8 bytes of keccak256(UTF-8 of `shingle`), as an unsigned big-endian integer. */
export function hash64(shingle: string): bigint {
  const digest = keccak_256(encoder.encode(shingle))
  return new DataView(digest.buffer, digest.byteOffset, 8).getBigUint64(0)
}

/**
 * Robust winnowing (Schleimer, Wilkerson, Aiken 2003): the minimum of every window of `w` consecutive
 * hashes, the rightmost one on ties, each position recorded once, in position order.
 */
export function winnow(hashes: readonly bigint[], w: number): bigint[] {
  if (hashes.length <= w) return [hashes[rightmostMinimum(hashes, 0, hashes.length)]]
  const picked: bigint[] = []
  let last = -1
  // A deque of positions whose hashes increase strictly: its head is the window's rightmost minimum.
  const deque: number[] = []
  let head = 0
  for (let i = 0; i < hashes.length; i++) {
    while (deque.length > head && hashes[deque[deque.length - 1]] >= hashes[i]) deque.pop()
    deque.push(i)
    if (deque[head] <= i - w) head++
    if (i >= w - 1 && deque[head] !== last) {
      last = deque[head]
      picked.push(hashes[last])
    }
  }
  return picked
}

function rightmostMinimum(hashes: readonly bigint[], from: number, to: number): number {
  let best = from
  for (let i = from + 1; i < to; i++) if (hashes[i] <= hashes[best]) best = i
  return best
}

/** Winnowing keeps about 2/(w+1) of the hashes: start from the window that would keep `max`. */
function initialWindow(count: number, max: number): number {
  return Math.max(2, Math.floor((2 * count) / max) - 1)
}

function firstOccurrences(hashes: readonly bigint[]): bigint[] {
  const seen = new Set<bigint>()
  const out: bigint[] = []
  for (const h of hashes) {
    if (seen.has(h)) continue
    seen.add(h)
    out.push(h)
  }
  return out
}
