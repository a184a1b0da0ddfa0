import { bytesToUnprefixedHex, type BatchDBOp, type DB } from '@ethereumjs/util'
import type { TrieStore } from '../db/trieStore.ts'
import type { TrieReads } from './memoizedTrie.ts'

type TrieKey = string | Uint8Array
type TrieValue = string | Uint8Array

/**
 * The trie database of the call VM: reads fall through to the node's store, writes stay here.
 * Calls never commit, but storage tries are copied without the account trie's checkpoints and
 * write straight to their database when the state manager flushes (a reverted call, a simulated
 * block's state root); those nodes must not reach the next sealed block's batch.
 */
export class ScratchStore implements DB<TrieKey, TrieValue> {
  private written = new Map<string, TrieValue | undefined>()

  constructor(private readonly store: TrieStore) {}

  /** The store's memo of trie reads: valid here too, a root fixes every value under it. */
  get reads(): TrieReads {
    return this.store.reads
  }

  /** Scratch writes are thrown away, and so are the preimages of their keys and what is known of them. */
  notePreimage(): void {}
  noteRewriteOf(): void {}
  noteStepwiseWrite(): void {}

  async get(key: TrieKey): Promise<Uint8Array | undefined> {
    const id = toId(key)
    if (this.written.has(id)) return this.written.get(id) as Uint8Array | undefined
    return this.store.get(key)
  }

  /** A node written here or at hand in the store; undefined for one deleted here (or written as hex), which get answers. */
  peek(key: Uint8Array): Uint8Array | undefined {
    const id = toId(key)
    if (!this.written.has(id)) return this.store.peek(key)
    const value = this.written.get(id)
    return value instanceof Uint8Array ? value : undefined
  }

  async put(key: TrieKey, value: TrieValue): Promise<void> {
    this.written.set(toId(key), value)
  }

  async del(key: TrieKey): Promise<void> {
    this.written.set(toId(key), undefined)
  }

  async batch(ops: BatchDBOp<TrieKey, TrieValue>[]): Promise<void> {
    for (const op of ops) {
      if (op.type === 'put') await this.put(op.key, op.value)
      else await this.del(op.key)
    }
  }

  shallowCopy(): DB<TrieKey, TrieValue> {
    return this
  }

  async open(): Promise<void> {}

  /** Forgets every write; true if there were any. */
  clear(): boolean {
    if (this.written.size === 0) return false
    this.written = new Map()
    return true
  }
}

function toId(key: TrieKey): string {
  return typeof key === 'string' ? key.replace(/^0x/, '') : bytesToUnprefixedHex(key)
}
