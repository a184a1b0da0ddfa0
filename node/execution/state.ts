import type { Common } from '@ethereumjs/common'
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { ValueEncoding } from '@ethereumjs/util'
import type { TrieStore } from '../db/trieStore.ts'
import { MemoizedTrie } from './memoizedTrie.ts'

/** ethereumjs' Merkle state manager, with its count of open checkpoints made readable. */
export class ChainStateManager extends MerkleStateManager {
  /** Open checkpoints: the count the state manager keeps (the EVM journal's own is reset by runTx's cleanup). */
  get checkpointDepth(): number {
    return this._checkpointCount
  }
}

/**
 * A Merkle state manager over the node's trie store, positioned at `root`. Account and storage
 * caches pay off for a VM that writes; read-only views go without (the store caches trie nodes).
 */
export function createStateManager(common: Common, store: TrieStore, root?: Uint8Array, opts: { caches?: boolean } = {}): ChainStateManager {
  const trie = new MemoizedTrie({ db: store, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes, common, root }, store.reads, store)
  return new ChainStateManager({ common, trie, caches: opts.caches === false ? undefined : new Caches() })
}
