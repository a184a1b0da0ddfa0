import { MerklePatriciaTrie, type MPTOpts } from '@ethereumjs/mpt'
import { bytesToUnprefixedHex } from '@ethereumjs/util'
import type { LRUCache } from 'lru-cache'

/** A memoized absent key (LRUCache holds no null). */
const ABSENT = new Uint8Array(0)

/** Values read from tries, by trie root and key. */
export type TrieReads = LRUCache<string, Uint8Array>

/** Where the keys written to hashed tries are noted, so that their preimages are kept (TrieStore). */
export interface PreimageNotes {
  notePreimage(key: Uint8Array): void
}

/**
 * A trie whose reads are memoized by (root, key). A root fixes every value under it, so an entry
 * never goes stale: the calls, views and blocks reading the same state skip the walk from the root
 * down (eth_call's reverted checkpoint would otherwise throw its reads away every call).
 * Copies (the storage tries) share the memo. Keys written are noted for their preimages (anvil_dumpState).
 */
export class MemoizedTrie extends MerklePatriciaTrie {
  constructor(
    opts: MPTOpts,
    private readonly reads: TrieReads,
    private readonly preimages: PreimageNotes,
  ) {
    super(opts)
  }

  override async put(key: Uint8Array, value: Uint8Array | null, skipKeyTransform = false): Promise<void> {
    if (this._opts.useKeyHashing && !skipKeyTransform && value !== null && value.length > 0) this.preimages.notePreimage(key)
    return super.put(key, value, skipKeyTransform)
  }

  override async get(key: Uint8Array, throwIfMissing = false): Promise<Uint8Array | null> {
    const id = bytesToUnprefixedHex(this.root()) + bytesToUnprefixedHex(key)
    const known = this.reads.get(id)
    if (known !== undefined) return known === ABSENT ? null : known
    const value = await super.get(key, throwIfMissing)
    this.reads.set(id, value ?? ABSENT)
    return value
  }

  /** As MerklePatriciaTrie.shallowCopy, but the copy is memoized too, in the same memo. */
  override shallowCopy(includeCheckpoints = true, opts?: MPTOpts): MemoizedTrie {
    const trie = new MemoizedTrie({ ...this._opts, db: this._db.db.shallowCopy(), root: this.root(), cacheSize: 0, ...(opts ?? {}) }, this.reads, this.preimages)
    if (includeCheckpoints && this.hasCheckpoints()) trie._db.setCheckpoints(this._db.checkpoints)
    return trie
  }
}
