import type { Common, StateManagerInterface } from '@ethereumjs/common'
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { ValueEncoding, type DB } from '@ethereumjs/util'
import { MemoizedTrie, type PreimageNotes, type TrieReads } from './memoizedTrie.ts'

/**
 * A trie database that carries the memo of trie reads and notes the preimages of the keys written
 * (the TrieStore, or a scratch layer over it).
 */
export type StateDB = DB<string | Uint8Array, string | Uint8Array> & PreimageNotes & { reads: TrieReads }

/** ethereumjs' Merkle state manager, with its count of open checkpoints made readable. */
export class ChainStateManager extends MerkleStateManager {
  /** Open checkpoints: the count the state manager keeps (the EVM journal's own is reset by runTx's cleanup). */
  get checkpointDepth(): number {
    return this._checkpointCount
  }

  /**
   * Reverts every checkpoint opened since the count was `depth`. ethereumjs reverts only its own: an
   * exception from inside the EVM (a precompile, a failed read) leaves the message's checkpoint open.
   */
  async revertTo(depth: number): Promise<void> {
    while (this._checkpointCount > depth) await this.revert()
  }
}

/**
 * A Merkle state manager over the node's trie store, positioned at `root`. Account and storage
 * caches pay off for a VM that writes; read-only views go without (the store caches trie nodes).
 */
export function createStateManager(common: Common, store: StateDB, root?: Uint8Array, opts: { caches?: boolean } = {}): ChainStateManager {
  return new ChainStateManager({ common, trie: memoizedStateTrie(common, store, root), caches: opts.caches === false ? undefined : new Caches() })
}

/** The account trie of a state manager over `store`, its reads memoized. */
export function memoizedStateTrie(common: Common, store: StateDB, root?: Uint8Array): MemoizedTrie {
  return new MemoizedTrie({ db: store, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes, common, root }, store.reads, store)
}

/**
 * Runs a block's transactions under one checkpoint of `state`: ethereumjs writes the accounts and
 * slots it caches into the tries when the outermost checkpoint commits, so this hashes each touched
 * trie path once per block instead of once per transaction. On a throw the checkpoint stays open:
 * the caller resets the state to the head (Execution.resetToHead reverts every checkpoint).
 */
export async function underOneCheckpoint<T>(state: StateManagerInterface, run: () => Promise<T>): Promise<T> {
  await state.checkpoint()
  const out = await run()
  await state.commit()
  return out
}
