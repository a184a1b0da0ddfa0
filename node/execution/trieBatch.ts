import { equalsBytes, KECCAK256_RLP } from '@ethereumjs/util'
import { hexKey } from '../util/hexKey.ts'
import { encodeNodeList, loadNode, nibbles, sharedLength, type Node, type Ref } from './trieNodes.ts'

/** One write to a trie: `value` null (or empty) deletes the key. Keys as the trie stores them (hashed already, if it hashes). */
export interface TrieWrite {
  key: Uint8Array
  value: Uint8Array | null
}

/** Where the nodes live: read by hash, and the new nodes handed over in one batch at the end. */
export interface TrieNodeIO {
  load(hash: Uint8Array): Promise<Uint8Array | undefined>
  save(nodes: { hash: Uint8Array; encoded: Uint8Array }[]): Promise<void>
  keccak256(bytes: Uint8Array): Uint8Array
}

interface Op {
  path: Uint8Array
  value: Uint8Array | null
}

/**
 * Applies all `writes` to the trie under `root` and returns the new root. The same root as putting
 * them one by one into an MPT, but each node on the touched paths is loaded once and hashed once
 * (ethereumjs' put walks from the root and re-hashes the whole path on every write). Later writes
 * to a key win over earlier ones.
 */
export async function applyTrieWrites(root: Uint8Array, writes: readonly TrieWrite[], io: TrieNodeIO): Promise<Uint8Array> {
  if (writes.length === 0) return root
  const rewriter = new Rewriter(io)
  const top = await rewriter.update(equalsBytes(root, KECCAK256_RLP) ? null : root, sortedOps(writes), 0)
  if (top === null) return KECCAK256_RLP
  const { hash, saved } = seal(top, io.keccak256)
  await io.save(saved)
  return hash
}

/**
 * The root of a trie holding just `entries`, whose keys are distinct and values non-empty (an ordered
 * trie's: RLP(i) to an encoded transaction or receipt), built from the sorted keys in one pass: geth's
 * StackTrie. Nothing is stored. Distinct keys need no last-write-wins map (a hex key per entry).
 */
export function freshTrieRoot(entries: readonly { key: Uint8Array; value: Uint8Array }[], keccak256: (bytes: Uint8Array) => Uint8Array): Uint8Array {
  const items: Item[] = entries.map(({ key, value }) => ({ path: nibbles(key), value })).sort((a, b) => compareNibbles(a.path, b.path))
  const top = build(items, 0)
  return top === null ? KECCAK256_RLP : seal(top, keccak256).hash
}

/** The last write per key, in key order. */
function sortedOps(writes: readonly TrieWrite[]): Op[] {
  const last = new Map<string, Op>()
  for (const { key, value } of writes) last.set(hexKey(key), { path: nibbles(key), value: value !== null && value.length > 0 ? value : null })
  return [...last.values()].sort((a, b) => compareNibbles(a.path, b.path))
}

class Rewriter {
  constructor(private readonly io: TrieNodeIO) {}

  /** The subtrie at `ref` (at `depth` nibbles) with `ops` applied; all ops share the first `depth` nibbles. */
  async update(ref: Ref | null, ops: Op[], depth: number): Promise<Node | null> {
    const node = ref === null ? null : await this.load(ref)
    if (node === null) return build(ops.filter((op) => op.value !== null) as Item[], depth)
    if (node.kind === 'leaf') return build(mergeLeaf(node, ops, depth), depth)
    if (node.kind === 'extension') return this.updateExtension(node, ops, depth)
    return this.updateBranch(node.children, node.value, ops, depth)
  }

  private async updateExtension(node: Node & { kind: 'extension' }, ops: Op[], depth: number): Promise<Node | null> {
    const { path, child } = node
    const under = (op: Op) => sharedLength(op.path, depth, path) === path.length
    if (under(ops[0]) && under(ops[ops.length - 1])) {
      return this.withPrefix(path, await this.update(child, ops, depth + path.length))
    }
    // Some write leaves the extension's path: as a branch whose one child holds the rest of the path.
    const children: (Ref | null)[] = new Array(16).fill(null)
    children[path[0]] = path.length === 1 ? child : { kind: 'extension', path: path.subarray(1), child }
    return this.updateBranch(children, null, ops, depth)
  }

  private async updateBranch(old: (Ref | null)[], oldValue: Uint8Array | null, ops: Op[], depth: number): Promise<Node | null> {
    const children = old.slice()
    const { here, below } = byNibble(ops, depth)
    for (const [nibble, group] of below) children[nibble] = await this.update(children[nibble], group, depth + 1)
    return this.normalizeBranch(children, here === undefined ? oldValue : here.value)
  }

  /** A branch left with one child and no value becomes that child one nibble longer; with none, a leaf or nothing. */
  private async normalizeBranch(children: (Ref | null)[], value: Uint8Array | null): Promise<Node | null> {
    const used = children.flatMap((child, nibble) => (child === null ? [] : [nibble]))
    if (used.length === 0) return value === null ? null : { kind: 'leaf', path: new Uint8Array(0), value }
    if (used.length > 1 || value !== null) return { kind: 'branch', children, value }
    return this.withPrefix(Uint8Array.of(used[0]), await this.load(children[used[0]]!))
  }

  /** `node` under a path `prefix` longer: merged into a leaf or extension, or an extension over a branch. */
  private async withPrefix(prefix: Uint8Array, node: Node | null): Promise<Node | null> {
    if (node === null) return null
    if (node.kind === 'leaf') return { kind: 'leaf', path: concatNibbles(prefix, node.path), value: node.value }
    if (node.kind === 'extension') return { kind: 'extension', path: concatNibbles(prefix, node.path), child: node.child }
    return { kind: 'extension', path: prefix, child: node }
  }

  private load(ref: Ref): Promise<Node> {
    return loadNode(ref, (hash) => this.io.load(hash))
  }
}

const EMPTY = new Uint8Array(0)

/** Encodes the new nodes bottom-up: the root's hash, and every node of 32 bytes or more to store. */
function seal(top: Node, keccak256: (bytes: Uint8Array) => Uint8Array): { hash: Uint8Array; saved: { hash: Uint8Array; encoded: Uint8Array }[] } {
  const saved: { hash: Uint8Array; encoded: Uint8Array }[] = []
  const store = (encoded: Uint8Array): Uint8Array => {
    const hash = keccak256(encoded)
    saved.push({ hash, encoded })
    return hash
  }
  const encode = (node: Node): Uint8Array => {
    if (node.kind === 'leaf') return encodeNodeList([hexPrefix(node.path, true), node.value], LEAF_ITEMS)
    if (node.kind === 'extension') {
      const child = reference(node.child)
      return encodeNodeList([hexPrefix(node.path, false), child], [false, isInlined(child)])
    }
    const items: Uint8Array[] = new Array(17)
    const inlined: boolean[] = new Array(17)
    for (let i = 0; i < 16; i++) {
      const child = node.children[i]
      items[i] = child === null ? EMPTY : reference(child)
      inlined[i] = child !== null && isInlined(items[i])
    }
    items[16] = node.value ?? EMPTY
    inlined[16] = false
    return encodeNodeList(items, inlined)
  }
  const reference = (child: Ref): Uint8Array => {
    if (child instanceof Uint8Array) return child
    if (child.hash) return child.hash
    const encoded = encode(child)
    return encoded.length < 32 ? encoded : store(encoded)
  }
  return { hash: top.hash ?? store(encode(top)), saved }
}

const LEAF_ITEMS = [false, false]

/** A reference to a child is its 32-byte hash, or its own encoding when that is shorter (inlined in the parent). */
function isInlined(reference: Uint8Array): boolean {
  return reference.length < 32
}

interface Item {
  path: Uint8Array
  value: Uint8Array
}

/** The leaf's own key with the writes: a write to the same key replaces or deletes it. */
function mergeLeaf(leaf: Node & { kind: 'leaf' }, ops: Op[], depth: number): Item[] {
  const path = concatNibbles(ops[0].path.subarray(0, depth), leaf.path)
  const items = ops.filter((op) => op.value !== null) as Item[]
  if (ops.some((op) => compareNibbles(op.path, path) === 0)) return items
  return [...items, { path, value: leaf.value }].sort((a, b) => compareNibbles(a.path, b.path))
}

/** A fresh subtrie of sorted `items` (sharing their first `depth` nibbles), or null for none. */
function build(items: Item[], depth: number): Node | null {
  if (items.length === 0) return null
  if (items.length === 1) return { kind: 'leaf', path: items[0].path.subarray(depth), value: items[0].value }
  const shared = sharedLength(items[0].path, depth, items[items.length - 1].path.subarray(depth))
  if (shared > 0) return { kind: 'extension', path: items[0].path.subarray(depth, depth + shared), child: build(items, depth + shared)! }
  const children: (Ref | null)[] = new Array(16).fill(null)
  const { here, below } = byNibble(items, depth)
  for (const [nibble, group] of below) children[nibble] = build(group, depth + 1)
  const value = here?.value ?? null
  return { kind: 'branch', children, value }
}

/** Sorted entries sharing their first `depth` nibbles, split at a branch: the one ending here, and the runs by next nibble. */
function byNibble<T extends { path: Uint8Array }>(sorted: T[], depth: number): { here?: T; below: [number, T[]][] } {
  let i = 0
  const here = sorted[0].path.length === depth ? sorted[i++] : undefined
  const below: [number, T[]][] = []
  while (i < sorted.length) {
    const nibble = sorted[i].path[depth]
    let end = i + 1
    while (end < sorted.length && sorted[end].path[depth] === nibble) end++
    below.push([nibble, sorted.slice(i, end)])
    i = end
  }
  return { here, below }
}

/** The yellow paper's hex-prefix encoding of a path, flagged as a leaf's or an extension's. */
function hexPrefix(path: Uint8Array, leaf: boolean): Uint8Array {
  const odd = path.length % 2
  const out = new Uint8Array(1 + (path.length >> 1))
  out[0] = (((leaf ? 2 : 0) + odd) << 4) | (odd ? path[0] : 0)
  for (let i = odd; i < path.length; i += 2) out[1 + ((i - odd) >> 1)] = (path[i] << 4) | path[i + 1]
  return out
}

function concatNibbles(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

function compareNibbles(a: Uint8Array, b: Uint8Array): number {
  const end = Math.min(a.length, b.length)
  for (let i = 0; i < end; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}
