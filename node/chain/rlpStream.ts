import { ChainFileError } from './errors.ts'

/** One top-level RLP list of a stream, with where it starts. */
export interface StreamItem {
  bytes: Uint8Array
  /** Position in the stream, from 0. */
  index: number
  /** Byte offset of its first byte in the (uncompressed) stream. */
  offset: number
}

/** No block comes near this: an item announcing more is corruption, not a reason to buffer it. */
export const MAX_ITEM_BYTES = 64 * 1024 * 1024

/**
 * Splits a byte stream of concatenated RLP lists (geth's chain file format) into the lists, holding
 * at most one item plus one chunk in memory. Only the framing is checked here: a list header in
 * canonical form and the whole item present; what is inside is the decoder's business.
 */
export async function* rlpItems(source: AsyncIterable<Uint8Array>, maxItemBytes = MAX_ITEM_BYTES): AsyncGenerator<StreamItem> {
  const buffer = new ChunkBuffer()
  let index = 0
  for await (const chunk of source) {
    buffer.push(chunk)
    for (;;) {
      const size = itemSize(buffer.peek(9), buffer.offset, maxItemBytes)
      if (size === undefined || buffer.length < size) break
      const offset = buffer.offset
      yield { bytes: buffer.take(size), index: index++, offset }
    }
  }
  if (buffer.length > 0) {
    const size = itemSize(buffer.peek(9), buffer.offset, maxItemBytes)
    const need = size === undefined ? 'its length' : `${size} bytes`
    throw new ChainFileError('TRUNCATED', `truncated: item ${index} (at byte ${buffer.offset}) needs ${need}, only ${buffer.length} bytes remain`)
  }
}

/** Total size of the list whose header starts `head`; undefined while the header itself is incomplete. */
function itemSize(head: Uint8Array, offset: number, maxItemBytes: number): number | undefined {
  if (head.length === 0) return undefined
  const first = head[0]
  if (first < 0xc0) throw new ChainFileError('CORRUPT', `corrupt: expected an RLP list at byte ${offset}, found 0x${first.toString(16).padStart(2, '0')}`)
  if (first <= 0xf7) return 1 + first - 0xc0
  const lengthBytes = first - 0xf7
  if (head.length < 1 + lengthBytes) return undefined
  if (head[1] === 0) throw new ChainFileError('CORRUPT', `corrupt: non-canonical RLP length at byte ${offset} (leading zero)`)
  let length = 0
  for (let i = 1; i <= lengthBytes; i++) length = length * 256 + head[i]
  if (length < 56) throw new ChainFileError('CORRUPT', `corrupt: non-canonical RLP length at byte ${offset} (${length} fits the short form)`)
  const size = 1 + lengthBytes + length
  if (size > maxItemBytes) throw new ChainFileError('CORRUPT', `corrupt: the item at byte ${offset} claims ${size} bytes, more than the ${maxItemBytes} a block may have`)
  return size
}

/** Chunks as they came, read from the front; items spanning chunks are joined only once complete. */
class ChunkBuffer {
  private chunks: Uint8Array[] = []
  /** Bytes buffered. */
  length = 0
  /** Stream offset of the first buffered byte. */
  offset = 0

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    this.chunks.push(chunk)
    this.length += chunk.length
  }

  /** Up to `n` bytes from the front, without consuming them. */
  peek(n: number): Uint8Array {
    const first = this.chunks[0]
    if (!first || first.length >= n || this.chunks.length === 1) return first?.subarray(0, n) ?? new Uint8Array()
    return this.join(Math.min(n, this.length)).subarray(0, n)
  }

  /** The first `n` bytes (n <= length), consumed. */
  take(n: number): Uint8Array {
    const joined = this.join(n)
    const item = joined.subarray(0, n)
    const rest = joined.subarray(n)
    this.chunks.splice(0, 1, ...(rest.length > 0 ? [rest] : []))
    this.length -= n
    this.offset += n
    return item
  }

  /** Joins the front chunks until the first holds at least `n` bytes, and returns it. */
  private join(n: number): Uint8Array {
    let count = 0
    let bytes = 0
    while (bytes < n) bytes += this.chunks[count++].length
    if (count === 1) return this.chunks[0]
    const joined = new Uint8Array(bytes)
    let at = 0
    for (const chunk of this.chunks.slice(0, count)) {
      joined.set(chunk, at)
      at += chunk.length
    }
    this.chunks.splice(0, count, joined)
    return joined
  }
}
