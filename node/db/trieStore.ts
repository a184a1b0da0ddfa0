import { hexToBytes, unprefixedHexToBytes, type BatchDBOp, type DB, type EncodingOpts } from '@ethereumjs/util'
import { LRUCache } from 'lru-cache'
import { cryptoBackends } from '../crypto/backends.ts'
import { Bucket, bucketKey, bucketKeyFromHex } from './buckets.ts'
import type { KV, KVOp } from './kv.ts'
import { reachableHeldNodes } from './reachableNodes.ts'
import { hexKey } from '../util/hexKey.ts'

type TrieKey = string | Uint8Array
/** Values come as bytes (the trie is opened with ValueEncoding.Bytes); hex strings are accepted too. */
type TrieValue = string | Uint8Array

/** Memory for trie nodes kept once read or written: a node is named by its hash, so it never goes stale. */
const NODE_CACHE_BYTES = 40 * 1024 * 1024
/** A trie node's key: its 32-byte hash, in hex (code is held under a longer, prefixed key). */
const NODE_KEY_HEX = 64
/**
 * Memory for memoized trie reads (by root and key): accounts and storage slots, which are small. Only
 * reads at a root still read pay off (calls at the head, the next block), and each block moves the root.
 */
const READ_MEMO_BYTES = 8 * 1024 * 1024
/**
 * What an entry costs beside its value's bytes, from a heap snapshot after 100,000 transfers: its key
 * (a 64-character string, ~100 bytes), the Uint8Array and ArrayBuffer objects (~180), the value's
 * native backing store (~100) and the cache's own map and lists (~120). Counted as 100-200 bytes, the
 * two caches took about 170 MB for their 96 MB of budgets.
 */
const ENTRY_BYTES = 500

/**
 * The state trie's database (ethereumjs `DB`) over the node's KV, shared by every trie of the node.
 * Writes are held in memory until `drain()` hands them to the block's one atomic batch,
 * so state never reaches disk without the block that produced it.
 */
export class TrieStore implements DB<TrieKey, TrieValue> {
  private pending = new Map<string, Uint8Array | null>()
  /** Trie keys written since the last drain (hex), whose preimages go into the same batch. */
  private keysWritten = new Set<string>()
  /**
   * Whether a held node may have been superseded since the last drain, so that drain must find the nodes
   * the new root reaches. ethereumjs' put writes every node on the path of each key, so a block's puts
   * supersede one another's. putAll writes only the nodes of the new trie: it supersedes held nodes only
   * when it rewrites a trie whose root was itself written since the drain. The walk was 6 % of the node's
   * time taking transfers, for nothing to drop.
   */
  private mayHoldSuperseded = false
  private readonly cache = new LRUCache<string, Uint8Array>({ maxSize: NODE_CACHE_BYTES, sizeCalculation: (node) => node.length + ENTRY_BYTES })
  /** Values read from the tries over this store, by (root, key); see MemoizedTrie. */
  readonly reads = new LRUCache<string, Uint8Array>({ maxSize: READ_MEMO_BYTES, sizeCalculation: (value) => value.length + ENTRY_BYTES })

  constructor(private readonly kv: KV) {}

  async get(key: TrieKey, _opts?: EncodingOpts): Promise<Uint8Array | undefined> {
    const hex = keyId(key)
    const held = this.pending.get(hex)
    if (held !== undefined) return held ?? undefined
    const cached = this.cache.get(hex)
    if (cached) return cached
    const bytes = toBytes(key)
    const value = await this.kv.get(bucketKey(Bucket.state, bytes))
    // A key made here, flat: a string from elsewhere may be a rope of many pieces (see hexKey).
    if (value) this.cache.set(hexKey(bytes), value)
    return value
  }

  /** A node held or cached, without I/O; undefined when it would take a read, or it was deleted. */
  peek(key: Uint8Array): Uint8Array | undefined {
    const hex = hexKey(key)
    return this.pending.get(hex) ?? this.cache.get(hex)
  }

  async put(key: TrieKey, value: TrieValue, _opts?: EncodingOpts): Promise<void> {
    this.pending.set(keyId(key), toBytes(value))
  }

  async del(key: TrieKey, _opts?: EncodingOpts): Promise<void> {
    this.pending.set(keyId(key), null)
  }

  async batch(ops: BatchDBOp<TrieKey, TrieValue>[]): Promise<void> {
    for (const op of ops) {
      if (op.type === 'put') await this.put(op.key, op.value)
      else await this.del(op.key)
    }
  }

  /** Notes a key written to a trie that hashes its keys; `drain` stores its preimage. */
  notePreimage(key: Uint8Array): void {
    this.keysWritten.add(hexKey(key))
  }

  noteRewriteOf(root: Uint8Array): void {
    if (this.pending.has(hexKey(root))) this.mayHoldSuperseded = true
  }

  noteStepwiseWrite(): void {
    this.mayHoldSuperseded = true
  }

  /** The trie key (address or storage slot) whose keccak256 is `hashed`; undefined if never written. */
  async preimage(hashed: Uint8Array): Promise<Uint8Array | undefined> {
    return this.kv.get(bucketKey(Bucket.preimage, hashed))
  }

  shallowCopy(): DB<TrieKey, TrieValue> {
    return this
  }

  async open(): Promise<void> {}

  /**
   * The held writes as KV ops, emptied from memory: the caller puts them in its batch. Given the
   * state root being committed, trie nodes not reachable from it (superseded by later writes before
   * this commit) are dropped instead of stored; entries that are not trie nodes (code) always stay.
   */
  drain(root?: Uint8Array): KVOp[] {
    const reachable = root && this.mayHoldSuperseded && reachableHeldNodes(this.pending, root)
    const ops: KVOp[] = []
    for (const [key, value] of this.pending) {
      if (reachable && value !== null && key.length === NODE_KEY_HEX && !reachable.has(key)) continue
      const k = bucketKeyFromHex(Bucket.state, key)
      if (value === null) this.cache.delete(key)
      else this.cache.set(key, value)
      ops.push(value === null ? { type: 'del', key: k } : { type: 'put', key: k, value })
    }
    for (const key of this.keysWritten) {
      const preimage = unprefixedHexToBytes(key)
      ops.push({ type: 'put', key: bucketKey(Bucket.preimage, cryptoBackends.keccak256(preimage)), value: preimage })
    }
    this.forget()
    return ops
  }

  /** Forgets held writes (a block that failed to build leaves nothing behind). */
  discard(): void {
    this.forget()
  }

  private forget(): void {
    this.pending = new Map()
    this.keysWritten = new Set()
    this.mayHoldSuperseded = false
  }
}

/** A key as the maps hold it: lower-case hex without 0x. ethereumjs' CheckpointDB asks by hex, taken as it comes. */
function keyId(key: TrieKey): string {
  return typeof key === 'string' ? (key.startsWith('0x') ? key.slice(2) : key).toLowerCase() : hexKey(key)
}

function toBytes(key: string | Uint8Array): Uint8Array {
  return typeof key === 'string' ? hexToBytes(key.startsWith('0x') ? (key as `0x${string}`) : `0x${key}`) : key
}

