import { RLP, type Input } from '@ethereumjs/rlp'
import type { TypedTransaction } from '@ethereumjs/tx'
import { KECCAK256_RLP } from '@ethereumjs/util'
import { cryptoBackends } from '../crypto/backends.ts'

/**
 * The root of the Merkle-Patricia trie that maps RLP(i) to `values[i]`: a block's transactions and
 * receipts roots (geth's DeriveSha). Built in one pass over the sorted keys, hashing each node once,
 * as geth's StackTrie does: putting the items into an MPT one by one re-hashes the path of every
 * insert, which made these two tries most of a large block's trie work. Values must be non-empty
 * (encoded transactions and receipts always are; an MPT treats an empty value as a delete).
 */
export function orderedTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  if (values.length === 0) return KECCAK256_RLP
  const items = values.map((value, i) => ({ path: nibbles(RLP.encode(i)), value })).sort((a, b) => compareBytes(a.path, b.path))
  return cryptoBackends.keccak256(RLP.encode(subtrie(items, 0, items.length, 0)))
}

/** The transactions root of a block holding `txs`, in order. */
export function transactionsRoot(txs: readonly TypedTransaction[]): Uint8Array {
  return orderedTrieRoot(txs.map((tx) => tx.serialize()))
}

interface Item {
  path: Uint8Array
  value: Uint8Array
}

/** The node holding items[lo, hi) (sorted, sharing their first `depth` nibbles), as RLP input. */
function subtrie(items: Item[], lo: number, hi: number, depth: number): Input {
  if (hi - lo === 1) return [hexPrefix(items[lo].path.subarray(depth), true), items[lo].value]
  const shared = sharedLength(items[lo].path, items[hi - 1].path, depth)
  if (shared > 0) return [hexPrefix(items[lo].path.subarray(depth, depth + shared), false), reference(subtrie(items, lo, hi, depth + shared))]
  return branch(items, lo, hi, depth)
}

/** A branch at `depth`: one child per next nibble, and the value of the key that ends here (sorted first). */
function branch(items: Item[], lo: number, hi: number, depth: number): Input {
  const slots: Input[] = new Array(17).fill(Uint8Array.of())
  if (items[lo].path.length === depth) slots[16] = items[lo++].value
  while (lo < hi) {
    const nibble = items[lo].path[depth]
    let end = lo + 1
    while (end < hi && items[end].path[depth] === nibble) end++
    slots[nibble] = reference(subtrie(items, lo, end, depth + 1))
    lo = end
  }
  return slots
}

/** How a parent refers to a child: by hash, or inline when its encoding is under 32 bytes. */
function reference(node: Input): Input {
  const encoded = RLP.encode(node)
  return encoded.length < 32 ? node : cryptoBackends.keccak256(encoded)
}

/** How many nibbles `a` and `b` share from `depth` on. */
function sharedLength(a: Uint8Array, b: Uint8Array, depth: number): number {
  const end = Math.min(a.length, b.length)
  let i = depth
  while (i < end && a[i] === b[i]) i++
  return i - depth
}

/** The yellow paper's hex-prefix encoding of a path, flagged as a leaf's or an extension's. */
function hexPrefix(path: Uint8Array, leaf: boolean): Uint8Array {
  const odd = path.length % 2
  const out = new Uint8Array(1 + (path.length >> 1))
  out[0] = (((leaf ? 2 : 0) + odd) << 4) | (odd ? path[0] : 0)
  for (let i = odd; i < path.length; i += 2) out[1 + ((i - odd) >> 1)] = (path[i] << 4) | path[i + 1]
  return out
}

function nibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2)
  key.forEach((byte, i) => {
    out[2 * i] = byte >> 4
    out[2 * i + 1] = byte & 0x0f
  })
  return out
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const end = Math.min(a.length, b.length)
  for (let i = 0; i < end; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}
