import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { bytesToHex, KECCAK256_RLP } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { describe, expect, it } from 'vitest'
import { applyTrieWrites, type TrieNodeIO } from '../../../node/execution/trieBatch.ts'
import { MalformedTrieNodeError, MissingTrieNodeError } from '../../../node/execution/trieNodes.ts'
import { readTrieValue } from '../../../node/execution/trieRead.ts'

/** Deterministic randomness (xorshift), so a failure reproduces. */
function rng(seed: number) {
  let x = seed
  return () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0)
}

const bytes = (next: () => number, length: number) => Uint8Array.from({ length }, () => next() & 0xff)

/** Nodes by hash in a Map, as the trie store holds them. */
function mapIO(): TrieNodeIO & { nodes: Map<string, Uint8Array> } {
  const nodes = new Map<string, Uint8Array>()
  return {
    nodes,
    load: async (hash) => nodes.get(bytesToHex(hash)),
    save: async (saved) => saved.forEach(({ hash, encoded }) => nodes.set(bytesToHex(hash), encoded)),
    keccak256: keccak_256,
  }
}

/** A trie of `count` keys of `keyLength` bytes (or 1-3 bytes, so some keys end at branches), in ethereumjs' MPT and in `io`. */
async function bothTries(seed: number, keyLength: number | 'mixed', count: number) {
  const next = rng(seed)
  const mpt = new MerklePatriciaTrie()
  const io = mapIO()
  const keys: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    const key = bytes(next, keyLength === 'mixed' ? 1 + (next() % 3) : keyLength)
    // Short values are inlined in their parent node, long ones stored under their own hash.
    const value = bytes(next, next() % 3 === 0 ? 1 + (next() % 4) : 33 + (next() % 40))
    keys.push(key)
    await mpt.put(key, value)
  }
  const entries = await Promise.all(keys.map(async (key) => ({ key, value: await mpt.get(key) })))
  const root = await applyTrieWrites(KECCAK256_RLP, entries, io)
  expect(bytesToHex(root)).toBe(bytesToHex(mpt.root()))
  return { mpt, io, root, keys, next }
}

describe('readTrieValue', () => {
  for (const keyLength of [32, 'mixed'] as const) {
    it(`reads what ethereumjs' MPT reads, for every key held and for keys absent (keys of ${keyLength} bytes)`, async () => {
      const { mpt, io, root, keys, next } = await bothTries(keyLength === 32 ? 5 : 6, keyLength, 300)
      // Absent keys: random ones, and ones sharing a long prefix with a held key (they end inside a leaf or extension).
      const absent = Array.from({ length: 200 }, (_, i) => {
        const key = i % 2 === 0 ? bytes(next, keyLength === 32 ? 32 : 1 + (next() % 3)) : Uint8Array.from(keys[i % keys.length])
        if (i % 2 === 1) key[key.length - 1] ^= 1 + (i % 255)
        return key
      })
      let found = 0
      for (const key of [...keys, ...absent]) {
        const expected = await mpt.get(key)
        const got = await readTrieValue(root, key, io.load)
        expect(got === null ? null : bytesToHex(got), bytesToHex(key)).toBe(expected === null ? null : bytesToHex(expected))
        if (got !== null) found++
      }
      expect(found).toBeGreaterThanOrEqual(new Set(keys.map((k) => bytesToHex(k))).size)
    })
  }

  it('takes the nodes peek has at hand without loading them, and loads the rest, with the same answers', async () => {
    const { mpt, io, root, keys } = await bothTries(8, 32, 300)
    const held = [...io.nodes.keys()].filter((_, i) => i % 2 === 0)
    const atHand = new Map(held.map((hex) => [hex, io.nodes.get(hex)!]))
    let loads = 0
    const load = (hash: Uint8Array) => (loads++, io.load(hash))
    const peek = (hash: Uint8Array) => atHand.get(bytesToHex(hash))
    for (const key of keys) {
      const got = await readTrieValue(root, key, load, peek)
      const expected = await mpt.get(key)
      expect(got === null ? null : bytesToHex(got)).toBe(expected === null ? null : bytesToHex(expected))
    }
    expect(loads).toBeGreaterThan(0)
    // With every node at hand, nothing is loaded.
    loads = 0
    for (const key of keys) await readTrieValue(root, key, load, (hash) => io.nodes.get(bytesToHex(hash)))
    expect(loads).toBe(0)
  })

  it('reads nothing from the empty trie', async () => {
    expect(await readTrieValue(KECCAK256_RLP, new Uint8Array(32), async () => undefined)).toBeNull()
  })

  it('refuses a trie with a node missing from the store, naming the node', async () => {
    const { io, root, keys } = await bothTries(7, 32, 50)
    io.nodes.delete(bytesToHex(root))
    await expect(readTrieValue(root, keys[0], io.load)).rejects.toThrow(MissingTrieNodeError)
    await expect(readTrieValue(root, keys[0], io.load)).rejects.toThrow(bytesToHex(root).slice(2))
  })

  it('refuses a corrupt node with a typed error: not a list, cut short, 3 items, trailing bytes, an empty path, a list for a value, a bad inlined node', async () => {
    const root = new Uint8Array(32).fill(7)
    const corrupt = [
      Uint8Array.of(0x83, 1, 2, 3),
      Uint8Array.of(0xc4, 0x82, 0x20),
      Uint8Array.of(0xc3, 1, 2, 3),
      Uint8Array.of(0xc2, 0x20, 1, 0xff),
      Uint8Array.of(0xc2, 0x80, 1),
      new Uint8Array(0),
      // A leaf whose value is a list; an extension to an inlined node of one item.
      Uint8Array.of(0xc2, 0x20, 0xc0),
      Uint8Array.of(0xc3, 0x00, 0xc1, 0x01),
    ]
    for (const node of corrupt) {
      await expect(readTrieValue(root, new Uint8Array(32), async () => node), bytesToHex(node)).rejects.toThrow(MalformedTrieNodeError)
    }
  })
})
