import type { Common } from '@ethereumjs/common'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { ValueEncoding } from '@ethereumjs/util'
import type { TrieStore } from '../db/trieStore.ts'

/** A Merkle state manager over the node's trie store, positioned at `root`. */
export function createStateManager(common: Common, store: TrieStore, root?: Uint8Array): MerkleStateManager {
  const trie = new MerklePatriciaTrie({ db: store, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes, common, root })
  return new MerkleStateManager({ common, trie, caches: new Caches() })
}
