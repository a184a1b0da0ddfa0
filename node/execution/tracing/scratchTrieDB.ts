import { bytesToUnprefixedHex, hexToBytes, type BatchDBOp, type DB } from '@ethereumjs/util'
import type { TrieStore } from '../../db/trieStore.ts'

type TrieKey = string | Uint8Array
type TrieValue = string | Uint8Array

/**
 * The trace VM's trie database: reads fall through to the node's trie store, writes stay here until
 * `clear()`. ethereumjs writes storage-trie nodes to the database outside any checkpoint, so a
 * reverted trace on the shared store would still leave nodes for the next sealed block's batch.
 */
export class ScratchTrieDB implements DB<TrieKey, TrieValue> {
  private writes = new Map<string, Uint8Array | null>()

  constructor(private readonly store: TrieStore) {}

  async get(key: TrieKey): Promise<Uint8Array | undefined> {
    const written = this.writes.get(hexOf(key))
    if (written !== undefined) return written ?? undefined
    return this.store.get(key)
  }

  async put(key: TrieKey, value: TrieValue): Promise<void> {
    this.writes.set(hexOf(key), bytesOf(value))
  }

  async del(key: TrieKey): Promise<void> {
    this.writes.set(hexOf(key), null)
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

  /** Drops everything the last trace wrote. */
  clear(): void {
    this.writes = new Map()
  }
}

function bytesOf(value: TrieKey): Uint8Array {
  return typeof value === 'string' ? hexToBytes(value.startsWith('0x') ? (value as `0x${string}`) : `0x${value}`) : value
}

function hexOf(key: TrieKey): string {
  return bytesToUnprefixedHex(bytesOf(key))
}
