import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { bytesToHex, KECCAK256_RLP, MapDB } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { describe, expect, it } from 'vitest'
import { applyTrieWrites, type TrieNodeIO, type TrieWrite } from '../../../node/execution/trieBatch.ts'
import { MissingTrieNodeError } from '../../../node/execution/trieNodes.ts'

/** Deterministic randomness (xorshift), so a failure reproduces. */
function rng(seed: number) {
  let x = seed
  return () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0)
}

function bytes(next: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => next() & 0xff)
}

/** A node store in a Map, as the trie store holds nodes: by hash. */
function mapIO() {
  const nodes = new Map<string, Uint8Array>()
  const io: TrieNodeIO = {
    load: async (hash) => nodes.get(bytesToHex(hash)),
    save: async (saved) => saved.forEach(({ hash, encoded }) => nodes.set(bytesToHex(hash), encoded)),
    keccak256: keccak_256,
  }
  return { io, nodes }
}

/** Batches of writes: new keys, rewrites and deletes of earlier keys, values short (inlined nodes) and long. */
function batches(seed: number, keyLength: number | 'mixed', count: number, size: number): TrieWrite[][] {
  const next = rng(seed)
  const keys: Uint8Array[] = []
  return Array.from({ length: count }, () =>
    Array.from({ length: size }, () => {
      const roll = next() % 10
      const key = roll < 5 || keys.length === 0 ? bytes(next, keyLength === 'mixed' ? 1 + (next() % 3) : keyLength) : keys[next() % keys.length]
      if (roll < 5) keys.push(key)
      const value = roll === 9 ? null : bytes(next, next() % 3 === 0 ? 1 + (next() % 4) : 1 + (next() % 80))
      return { key, value }
    }),
  )
}

/** The reference: the same writes put (or deleted) one by one into ethereumjs' MPT. */
async function reference(trie: MerklePatriciaTrie, writes: TrieWrite[]): Promise<string> {
  for (const { key, value } of writes) {
    if (value === null) await trie.del(key)
    else await trie.put(key, value)
  }
  return bytesToHex(trie.root())
}

/**
 * The root of `contents` put into a fresh MPT. For keys of mixed lengths this is the reference:
 * ethereumjs' delete can leave a branch uncollapsed when values sit in branches, so its root
 * after deletes depends on history there (never in hashed tries, whose keys are all 32 bytes).
 */
async function freshRoot(contents: Map<string, Uint8Array>): Promise<string> {
  const trie = new MerklePatriciaTrie()
  for (const [key, value] of contents) await trie.put(Buffer.from(key.slice(2), 'hex'), value)
  return bytesToHex(trie.root())
}

function applyTo(contents: Map<string, Uint8Array>, writes: TrieWrite[]): void {
  for (const { key, value } of writes) {
    if (value === null) contents.delete(bytesToHex(key))
    else contents.set(bytesToHex(key), value)
  }
}

describe('applyTrieWrites', () => {
  it.each([
    ['32-byte keys (hashed tries)', 32, 11],
    ['short keys (extensions and leaves split often)', 2, 12],
    ['one-byte keys', 1, 13],
  ])('gives the root of MPT puts and deletes after every batch: %s', async (_name, keyLength, seed) => {
    const { io } = mapIO()
    const trie = new MerklePatriciaTrie()
    let root: Uint8Array = KECCAK256_RLP
    for (const batch of batches(seed, keyLength, 12, 60)) {
      root = await applyTrieWrites(root, batch, io)
      expect(bytesToHex(root)).toBe(await reference(trie, batch))
    }
  })

  it('gives the root of the contents after every batch when keys differ in length (values held in branches)', async () => {
    const { io } = mapIO()
    const contents = new Map<string, Uint8Array>()
    let root: Uint8Array = KECCAK256_RLP
    for (const batch of batches(14, 'mixed', 12, 60)) {
      root = await applyTrieWrites(root, batch, io)
      applyTo(contents, batch)
      expect(bytesToHex(root)).toBe(await freshRoot(contents))
    }
  })

  it('stores every node of the new trie: an MPT over its store reads every value back', async () => {
    const { io, nodes } = mapIO()
    const writes = batches(5, 32, 1, 300)[0]
    const root = await applyTrieWrites(KECCAK256_RLP, writes, io)
    const db = new MapDB<string, Uint8Array>()
    for (const [hash, encoded] of nodes) await db.put(hash.slice(2), encoded)
    const reader = new MerklePatriciaTrie({ db, root })
    const last = new Map(writes.map((w) => [bytesToHex(w.key), w.value]))
    for (const [key, value] of last) expect(await reader.get(Buffer.from(key.slice(2), 'hex')), key).toEqual(value ?? null)
  })

  it('deletes down to the empty trie, collapsing branches on the way', async () => {
    const { io } = mapIO()
    const writes = batches(9, 32, 1, 40)[0].filter((w) => w.value !== null)
    const root = await applyTrieWrites(KECCAK256_RLP, writes, io)
    const half = writes.slice(0, 20).map((w) => ({ key: w.key, value: null }))
    const trie = new MerklePatriciaTrie()
    await reference(trie, writes)
    const afterHalf = await applyTrieWrites(root, half, io)
    expect(bytesToHex(afterHalf)).toBe(await reference(trie, half))
    const rest = writes.map((w) => ({ key: w.key, value: null }))
    expect(await applyTrieWrites(afterHalf, rest, io)).toEqual(KECCAK256_RLP)
  })

  it('lets the last write to a key win', async () => {
    const { io } = mapIO()
    const key = new Uint8Array(32).fill(7)
    const root = await applyTrieWrites(KECCAK256_RLP, [{ key, value: Uint8Array.of(1) }, { key, value: Uint8Array.of(2) }], io)
    const trie = new MerklePatriciaTrie()
    await trie.put(key, Uint8Array.of(2))
    expect(root).toEqual(trie.root())
  })

  it('refuses with a typed error when the root refers to a node the store does not hold', async () => {
    const { io, nodes } = mapIO()
    const root = await applyTrieWrites(KECCAK256_RLP, batches(3, 32, 1, 50)[0], io)
    nodes.delete(bytesToHex(root))
    await expect(applyTrieWrites(root, [{ key: new Uint8Array(32), value: Uint8Array.of(1) }], io)).rejects.toBeInstanceOf(MissingTrieNodeError)
  })
})
