import { RLP } from '@ethereumjs/rlp'
import type { TypedTransaction } from '@ethereumjs/tx'
import { cryptoBackends } from '../crypto/backends.ts'
import { freshTrieRoot } from './trieBatch.ts'

/**
 * The root of the Merkle-Patricia trie that maps RLP(i) to `values[i]`: a block's transactions and
 * receipts roots (geth's DeriveSha). Built in one pass over the sorted keys, hashing each node once:
 * putting the items into an MPT one by one re-hashes the path of every insert, which made these two
 * tries most of a large block's trie work. Values must be non-empty (encoded transactions and
 * receipts always are; an MPT treats an empty value as a delete).
 */
export function orderedTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  return freshTrieRoot(values.map((value, i) => ({ key: RLP.encode(i), value })), cryptoBackends.keccak256)
}

/** The transactions root of a block holding `txs`, in order. */
export function transactionsRoot(txs: readonly TypedTransaction[]): Uint8Array {
  return orderedTrieRoot(txs.map((tx) => tx.serialize()))
}
