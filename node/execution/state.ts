import type { Common } from '@ethereumjs/common'
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { ValueEncoding, type DB } from '@ethereumjs/util'
import { MemoizedTrie, type TrieReads } from './memoizedTrie.ts'

/** A trie database that carries the memo of trie reads (the TrieStore, or a scratch layer over it). */
export type StateDB = DB<string | Uint8Array, string | Uint8Array> & { reads: TrieReads }

/**
 * A Merkle state manager over the node's trie store, positioned at `root`. Account and storage
 * caches pay off for a VM that writes; read-only views go without (the store caches trie nodes).
 */
export function createStateManager(common: Common, store: StateDB, root?: Uint8Array, opts: { caches?: boolean } = {}): MerkleStateManager {
  const trie = new MemoizedTrie({ db: store, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes, common, root }, store.reads)
  return new MerkleStateManager({ common, trie, caches: opts.caches === false ? undefined : new Caches() })
}
