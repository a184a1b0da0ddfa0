import { MerklePatriciaTrie, type MPTOpts } from '@ethereumjs/mpt'
import { concatBytes } from '@ethereumjs/util'
import type { LRUCache } from 'lru-cache'
import { hexKey } from '../util/hexKey.ts'
import { applyTrieWrites, type TrieNodeIO, type TrieWrite } from './trieBatch.ts'
import { readTrieValue } from './trieRead.ts'

/** A memoized absent key (LRUCache holds no null). */
const ABSENT = new Uint8Array(0)

/** Values read from tries, by trie root and key. */
export type TrieReads = LRUCache<string, Uint8Array>

/**
 * What the store under a trie is told about writes (TrieStore): the keys written to hashed tries, so that
 * their preimages are kept, and whether held nodes may have been superseded before the next drain.
 */
export interface TrieWriteNotes {
  notePreimage(key: Uint8Array): void
  /** putAll is about to rewrite the trie at `root`: writes only the nodes of the new trie. */
  noteRewriteOf(root: Uint8Array): void
  /** ethereumjs' put or del: writes every node on the path, so earlier nodes on it are superseded. */
  noteStepwiseWrite(): void
}

/** The store under a trie as reads see it: a node it holds or caches, without I/O; undefined is "ask get". */
export interface NodesAtHand {
  peek(key: Uint8Array): Uint8Array | undefined
}

/**
 * A trie whose reads are memoized by (root, key) and walk the key's path directly (readTrieValue).
 * A root fixes every value under it, so an entry never goes stale: the calls, views and blocks reading
 * the same state skip the walk from the root down (eth_call's reverted checkpoint would otherwise throw
 * its reads away every call).
 * Copies (the storage tries) share the memo. Keys written are noted for their preimages (anvil_dumpState).
 */
export class MemoizedTrie extends MerklePatriciaTrie {
  constructor(
    opts: MPTOpts,
    private readonly reads: TrieReads,
    private readonly store: TrieWriteNotes & NodesAtHand,
  ) {
    super(opts)
  }

  override async put(key: Uint8Array, value: Uint8Array | null, skipKeyTransform = false): Promise<void> {
    if (this._opts.useKeyHashing && !skipKeyTransform && value !== null && value.length > 0) this.store.notePreimage(key)
    this.store.noteStepwiseWrite()
    return super.put(key, value, skipKeyTransform)
  }

  override async del(key: Uint8Array, skipKeyTransform = false): Promise<void> {
    this.store.noteStepwiseWrite()
    return super.del(key, skipKeyTransform)
  }

  /**
   * A node missing from the store throws MissingTrieNodeError, `throwIfMissing` or not: ethereumjs'
   * MPT reads it as no value, which let a damaged store pass absent accounts off as state.
   */
  override async get(key: Uint8Array): Promise<Uint8Array | null> {
    const id = hexKey(concatBytes(this.root(), key))
    const known = this.reads.get(id)
    if (known !== undefined) return known === ABSENT ? null : known
    const value = await readTrieValue(this.root(), this.appliedKey(key), this.load, this.peek)
    this.reads.set(id, value ?? ABSENT)
    return value
  }

  /**
   * Puts (or, for a null or empty value, deletes) every entry at once: the same root as putting
   * them one by one, with each touched node loaded and hashed once (applyTrieWrites).
   */
  async putAll(entries: readonly TrieWrite[]): Promise<void> {
    // A state manager flushes on every outermost commit or revert, most often with nothing to write (eth_call).
    if (entries.length === 0) return
    const writes = entries.map(({ key, value }) => {
      if (this._opts.useKeyHashing && value !== null && value.length > 0) this.store.notePreimage(key)
      return { key: this.appliedKey(key), value }
    })
    await this._lock.acquire()
    try {
      this.store.noteRewriteOf(this.root())
      this.root(await applyTrieWrites(this.root(), writes, this.nodeIO()))
    } finally {
      this._lock.release()
    }
  }

  /**
   * A node as the store has it, past this trie's CheckpointDB: a node is named by its hash, so whatever
   * a checkpoint holds under that name is the same bytes, and without pruning no node is ever deleted.
   */
  private readonly peek = (hash: Uint8Array): Uint8Array | undefined => (this._opts.useNodePruning ? undefined : this.store.peek(this._getDbKey(hash)))

  private readonly load = async (hash: Uint8Array): Promise<Uint8Array | undefined> => (await this._db.get(this._getDbKey(hash))) as Uint8Array | undefined

  private nodeIO(): TrieNodeIO {
    return {
      load: this.load,
      save: (nodes) => this._db.batch(nodes.map(({ hash, encoded }) => ({ type: 'put' as const, key: this._getDbKey(hash), value: encoded }))),
      keccak256: (bytes) => this.hash(bytes),
    }
  }

  /** As MerklePatriciaTrie.shallowCopy, but the copy is memoized too, in the same memo. */
  override shallowCopy(includeCheckpoints = true, opts?: MPTOpts): MemoizedTrie {
    const trie = new MemoizedTrie({ ...this._opts, db: this._db.db.shallowCopy(), root: this.root(), cacheSize: 0, ...(opts ?? {}) }, this.reads, this.store)
    if (includeCheckpoints && this.hasCheckpoints()) trie._db.setCheckpoints(this._db.checkpoints)
    return trie
  }
}
