/** A decoded trie node; `hash` is set only on a node loaded from the store and not changed. */
export type Node =
  | { kind: 'leaf'; path: Uint8Array; value: Uint8Array; hash?: Uint8Array }
  | { kind: 'extension'; path: Uint8Array; child: Ref; hash?: Uint8Array }
  | { kind: 'branch'; children: (Ref | null)[]; value: Uint8Array | null; hash?: Uint8Array }

/** A child: a stored node not loaded yet (its hash), or a node in memory. */
export type Ref = Uint8Array | Node

/**
 * The store cannot give a node of the trie: a fault of this node's database, never of a transaction or
 * a block. Whatever runs the EVM lets it through, rather than calling a transaction or block invalid.
 */
export abstract class TrieFaultError extends Error {
  abstract readonly code: string
}

/** A node the root refers to is not in the store: the trie can be neither read nor updated there. */
export class MissingTrieNodeError extends TrieFaultError {
  readonly code = 'MISSING_TRIE_NODE'
  constructor(hash: Uint8Array) {
    super(`trie node ${Buffer.from(hash).toString('hex')} is missing from the store`)
  }
}

/** A stored trie node that is not a well-formed RLP trie node (a corrupt store). */
export class MalformedTrieNodeError extends TrieFaultError {
  readonly code = 'MALFORMED_TRIE_NODE'
  constructor(reason: string) {
    super(`malformed trie node: ${reason}`)
  }
}

/** The node `ref` names: decoded from the store if it is a hash (MissingTrieNodeError if the store has none). */
export async function loadNode(ref: Ref, load: (hash: Uint8Array) => Promise<Uint8Array | undefined>): Promise<Node> {
  if (!(ref instanceof Uint8Array)) return ref
  const encoded = await load(ref)
  if (encoded === undefined) throw new MissingTrieNodeError(ref)
  const node = decodeNode(encoded)
  node.hash = ref
  return node
}

/**
 * A node from its RLP encoding; children inlined in it (under 32 bytes) are decoded too. Paths, values
 * and child hashes are views into `encoded`, which stored nodes never change: @ethereumjs/rlp copied
 * every item, and its copies were most of the cost of a state read.
 */
export function decodeNode(encoded: Uint8Array): Node {
  const bytes = plainBytes(encoded)
  const list = listAt(bytes, 0)
  if (list.end !== bytes.length) throw new MalformedTrieNodeError('bytes after the node')
  return nodeOf(bytes, list)
}

/** Views of a Buffer (LevelDB's values) would be Buffers, whose slice() does not copy. */
function plainBytes(encoded: Uint8Array): Uint8Array {
  return Buffer.isBuffer(encoded) ? new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength) : encoded
}

interface Span {
  start: number
  end: number
  isList: boolean
}

/** Where a read goes from one stored node: on to the stored node `hash` at `depth`, or done with `value`. */
export type ReadStep = { hash: Uint8Array; depth: number } | { hash: undefined; value: Uint8Array | null }

/**
 * One stored node's part of a read down `path` from `depth` (and of the nodes inlined in it): only the
 * items on the path are taken out, where decodeNode would make a view of all 17 of a branch's, and a
 * read through a state of 100,000 accounts passes five or six branches.
 */
export function readStep(encoded: Uint8Array, path: Uint8Array, depth: number): ReadStep {
  const bytes = plainBytes(encoded)
  let list = listAt(bytes, 0)
  if (list.end !== bytes.length) throw new MalformedTrieNodeError('bytes after the node')
  for (;;) {
    const count = itemCount(bytes, list)
    if (count === 17) {
      const item = nthItem(bytes, list, depth === path.length ? 16 : path[depth])
      if (depth === path.length) {
        const value = stringOf(bytes, item)
        return { hash: undefined, value: value.length > 0 ? value : null }
      }
      depth++
      if (item.isList) {
        list = item
        continue
      }
      if (item.end === item.start) return { hash: undefined, value: null }
      return { hash: bytes.subarray(item.start, item.end), depth }
    }
    if (count !== 2) throw new MalformedTrieNodeError(`a trie node has 2 or 17 items, not ${count}`)
    const encodedPath = nthItem(bytes, list, 0)
    if (encodedPath.isList) throw new MalformedTrieNodeError('a list where bytes belong')
    if (encodedPath.end === encodedPath.start) throw new MalformedTrieNodeError('an empty path')
    const matched = matchPath(bytes, encodedPath, path, depth)
    if (matched < 0) return { hash: undefined, value: null }
    depth += matched
    const second = nthItem(bytes, list, 1)
    if (bytes[encodedPath.start] & 0x20) {
      const value = stringOf(bytes, second)
      return { hash: undefined, value: depth === path.length ? value : null }
    }
    if (second.isList) {
      list = second
      continue
    }
    if (second.end === second.start) throw new MalformedTrieNodeError('an extension without a child')
    return { hash: bytes.subarray(second.start, second.end), depth }
  }
}

function itemCount(bytes: Uint8Array, list: Span): number {
  let count = 0
  for (let at = list.start; at < list.end; count++) at = itemEnd(bytes, at, list.end)
  return count
}

function nthItem(bytes: Uint8Array, list: Span, n: number): Span {
  let at = list.start
  for (let i = 0; i < n; i++) at = itemEnd(bytes, at, list.end)
  return itemAt(bytes, at, list.end)
}

/**
 * How many nibbles a leaf's or extension's hex-prefix path (`encodedPath`, its flag nibble first) takes
 * of `path` from `depth`; -1 if `path` does not go on through all of them.
 */
function matchPath(bytes: Uint8Array, encodedPath: Span, path: Uint8Array, depth: number): number {
  const first = encodedPath.start * 2 + ((bytes[encodedPath.start] >> 4) & 1 ? 1 : 2)
  const length = encodedPath.end * 2 - first
  if (depth + length > path.length) return -1
  for (let i = 0; i < length; i++) {
    const at = first + i
    const nibble = at & 1 ? bytes[at >> 1] & 0x0f : bytes[at >> 1] >> 4
    if (nibble !== path[depth + i]) return -1
  }
  return length
}

function nodeOf(bytes: Uint8Array, list: Span): Node {
  const items: Span[] = []
  let at = list.start
  while (at < list.end) {
    const item = itemAt(bytes, at, list.end)
    items.push(item)
    at = item.end
  }
  if (items.length === 17) {
    const children = new Array<Ref | null>(16)
    for (let i = 0; i < 16; i++) children[i] = childRef(bytes, items[i])
    const value = stringOf(bytes, items[16])
    return { kind: 'branch', children, value: value.length > 0 ? value : null }
  }
  if (items.length !== 2) throw new MalformedTrieNodeError(`a trie node has 2 or 17 items, not ${items.length}`)
  const encodedPath = stringOf(bytes, items[0])
  if (encodedPath.length === 0) throw new MalformedTrieNodeError('an empty path')
  const flag = encodedPath[0] >> 4
  const path = nibbles(encodedPath).subarray(flag & 1 ? 1 : 2)
  if (flag & 2) return { kind: 'leaf', path, value: stringOf(bytes, items[1]) }
  const child = childRef(bytes, items[1])
  if (child === null) throw new MalformedTrieNodeError('an extension without a child')
  return { kind: 'extension', path, child }
}

function childRef(bytes: Uint8Array, item: Span): Ref | null {
  if (item.isList) return nodeOf(bytes, item)
  return item.end === item.start ? null : bytes.subarray(item.start, item.end)
}

function stringOf(bytes: Uint8Array, item: Span): Uint8Array {
  if (item.isList) throw new MalformedTrieNodeError('a list where bytes belong')
  return bytes.subarray(item.start, item.end)
}

function listAt(bytes: Uint8Array, at: number): Span {
  const item = itemAt(bytes, at, bytes.length)
  if (!item.isList) throw new MalformedTrieNodeError('not an RLP list')
  return item
}

/** The RLP item at `at` (its payload's span), which must end by `limit`. */
function itemAt(bytes: Uint8Array, at: number, limit: number): Span {
  const end = itemEnd(bytes, at, limit)
  const first = bytes[at]
  if (first < 0x80) return { start: at, end, isList: false }
  const short = first >= 0xc0 ? first - 0xc0 : first - 0x80
  return { start: short > 55 ? at + 1 + short - 55 : at + 1, end, isList: first >= 0xc0 }
}

/** Where the RLP item at `at` ends, which must be by `limit`. */
function itemEnd(bytes: Uint8Array, at: number, limit: number): number {
  if (at >= limit) throw new MalformedTrieNodeError('an item runs past its list')
  const first = bytes[at]
  if (first < 0x80) return at + 1
  const short = first >= 0xc0 ? first - 0xc0 : first - 0x80
  let start = at + 1
  let length = short
  if (short > 55) {
    const lengthBytes = short - 55
    length = 0
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + (bytes[start + i] ?? 0)
    start += lengthBytes
  }
  const end = start + length
  if (end > limit) throw new MalformedTrieNodeError('an item runs past its list')
  return end
}

/**
 * The RLP list of `items` in one allocation: each item a string to encode, or, where `encoded[i]`, an
 * inlined node's own encoding. @ethereumjs/rlp encoded every item apart and concatenated them level by
 * level: the root of 5,000 receipt-sized values took 40 ms with it, 24 ms with this.
 */
export function encodeNodeList(items: readonly Uint8Array[], encoded: readonly boolean[]): Uint8Array {
  let payload = 0
  for (let i = 0; i < items.length; i++) payload += encoded[i] ? items[i].length : stringLength(items[i])
  const out = new Uint8Array(headerLength(payload) + payload)
  let at = writeHeader(out, 0, payload, 0xc0)
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if (!encoded[i] && !(item.length === 1 && item[0] < 0x80)) at = writeHeader(out, at, item.length, 0x80)
    out.set(item, at)
    at += item.length
  }
  return out
}

/** A single byte under 0x80 is its own encoding; other strings take a header. */
function stringLength(item: Uint8Array): number {
  return item.length === 1 && item[0] < 0x80 ? 1 : headerLength(item.length) + item.length
}

function headerLength(length: number): number {
  return length < 56 ? 1 : 1 + byteCount(length)
}

function byteCount(length: number): number {
  let n = 0
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) n++
  return n
}

/** Writes the header of a string (`base` 0x80) or list (0xc0) of `length` bytes at `at`; returns where its payload starts. */
function writeHeader(out: Uint8Array, at: number, length: number, base: number): number {
  if (length < 56) {
    out[at] = base + length
    return at + 1
  }
  const n = byteCount(length)
  out[at] = base + 55 + n
  for (let i = n, rest = length; i > 0; i--, rest = Math.floor(rest / 256)) out[at + i] = rest % 256
  return at + 1 + n
}

/** How many nibbles of `path` from `depth` on match the start of `prefix`. */
export function sharedLength(path: Uint8Array, depth: number, prefix: Uint8Array): number {
  const end = Math.min(path.length - depth, prefix.length)
  let i = 0
  while (i < end && path[depth + i] === prefix[i]) i++
  return i
}

/** A key's nibbles, the path it takes down a trie. */
export function nibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2)
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i] >> 4
    out[2 * i + 1] = key[i] & 0x0f
  }
  return out
}

