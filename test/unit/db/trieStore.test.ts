import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { Address, KECCAK256_RLP, ValueEncoding, bytesToHex, createAccount, setLengthLeft } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Bucket, bucketKey, bucketRange } from '../../../node/db/buckets.ts'
import { openKV, type KV } from '../../../node/db/kv.ts'
import { TrieStore } from '../../../node/db/trieStore.ts'
import { createChainCommon } from '../../../node/execution/common.ts'
import { createStateManager, memoizedStateTrie } from '../../../node/execution/state.ts'
import { devnetGenesis } from '../../../genesis/genesis.ts'
import { tempDir } from '../support/harness.ts'

const bytes = (...b: number[]) => Uint8Array.from(b)
const text = (s: string) => new TextEncoder().encode(s)
/** Values compare as text: the levels hand back Buffers, which toEqual tells apart from Uint8Arrays. */
const str = (v: Uint8Array | undefined) => (v === undefined ? undefined : new TextDecoder().decode(v))

async function count(kv: KV): Promise<number> {
  let n = 0
  for await (const _ of kv.values(bucketRange(Bucket.state))) n++
  return n
}

describe('TrieStore', () => {
  let kv: KV
  let remove: () => Promise<void>

  beforeEach(async () => {
    const t = await tempDir('olnode-trie-')
    remove = t.remove
    kv = await openKV({ path: t.dir })
  })
  afterEach(async () => {
    await kv.close()
    await remove()
  })

  it('holds writes in memory until drain(): the KV is unchanged before, has them after', async () => {
    const store = new TrieStore(kv)
    await store.put(bytes(0xaa, 1), text('one'))
    await store.batch([
      { type: 'put', key: bytes(0xaa, 2), value: text('two') },
      { type: 'put', key: bytes(0xaa, 3), value: text('three') },
    ])
    expect(await kv.get(bucketKey(Bucket.state, bytes(0xaa, 1)))).toBeUndefined()
    expect(await count(kv)).toBe(0)

    const ops = store.drain()
    expect(ops).toHaveLength(3)
    for (const op of ops) expect(op.key[0]).toBe(Bucket.state)
    expect(await count(kv)).toBe(0)
    await kv.batch(ops)
    expect(str(await kv.get(bucketKey(Bucket.state, bytes(0xaa, 1))))).toBe('one')
    expect(str(await kv.get(bucketKey(Bucket.state, bytes(0xaa, 3))))).toBe('three')
    expect(store.drain()).toEqual([])
    // Drained writes are read from the KV now.
    expect(str(await store.get(bytes(0xaa, 2)))).toBe('two')
  })

  it('get() sees pending puts and deletes over what the KV holds', async () => {
    await kv.batch([{ type: 'put', key: bucketKey(Bucket.state, bytes(1)), value: text('on disk') }])
    const store = new TrieStore(kv)
    expect(str(await store.get(bytes(1)))).toBe('on disk')
    await store.put(bytes(1), text('pending'))
    expect(str(await store.get(bytes(1)))).toBe('pending')
    await store.del(bytes(1))
    expect(await store.get(bytes(1))).toBeUndefined()
    expect(str(await kv.get(bucketKey(Bucket.state, bytes(1))))).toBe('on disk')
    // The delete reaches the KV with the drain.
    const ops = store.drain()
    expect(ops).toEqual([{ type: 'del', key: bucketKey(Bucket.state, bytes(1)) }])
    await kv.batch(ops)
    expect(await kv.get(bucketKey(Bucket.state, bytes(1)))).toBeUndefined()
  })

  it('treats hex-string keys (with or without 0x) and byte keys as the same key', async () => {
    const store = new TrieStore(kv)
    await store.put('abcd', text('v'))
    expect(str(await store.get(bytes(0xab, 0xcd)))).toBe('v')
    expect(str(await store.get('0xabcd'))).toBe('v')
    await store.put(bytes(0xab, 0xcd), '0x0102')
    expect(bytesToHex((await store.get('abcd'))!)).toBe('0x0102')
    expect(store.drain()).toEqual([{ type: 'put', key: bucketKey(Bucket.state, bytes(0xab, 0xcd)), value: bytes(1, 2) }])
  })

  it('answers a hex-string get (as ethereumjs asks) from pending writes, the node cache and the KV, in any case', async () => {
    await kv.batch([{ type: 'put', key: bucketKey(Bucket.state, bytes(0xab, 0x01)), value: text('on disk') }])
    const store = new TrieStore(kv)
    await store.put(bytes(0xcd, 0x02), text('pending'))
    expect(str(await store.get('cd02'))).toBe('pending')
    expect(str(await store.get('0xCD02'))).toBe('pending')
    expect(str(await store.get('AB01'))).toBe('on disk')
    // Now cached: the KV no longer has it, the store still answers.
    await kv.batch([{ type: 'del', key: bucketKey(Bucket.state, bytes(0xab, 0x01)) }])
    expect(str(await store.get('0xab01'))).toBe('on disk')
    await store.del(bytes(0xcd, 0x02))
    expect(await store.get('cd02')).toBeUndefined()
  })

  it('peek() answers without I/O from pending writes and the node cache, and leaves the rest (disk, deletes) to get()', async () => {
    await kv.batch([
      { type: 'put', key: bucketKey(Bucket.state, bytes(0xab, 0x01)), value: text('on disk') },
      { type: 'put', key: bucketKey(Bucket.state, bytes(0xab, 0x02)), value: text('deleted') },
    ])
    const store = new TrieStore(kv)
    expect(store.peek(bytes(0xab, 0x01))).toBeUndefined()
    expect(str(await store.get(bytes(0xab, 0x01)))).toBe('on disk')
    expect(str(store.peek(bytes(0xab, 0x01)))).toBe('on disk')
    await store.put(bytes(0xcd, 0x02), text('pending'))
    expect(str(store.peek(bytes(0xcd, 0x02)))).toBe('pending')
    await store.del(bytes(0xab, 0x02))
    expect(store.peek(bytes(0xab, 0x02))).toBeUndefined()
    expect(await store.get(bytes(0xab, 0x02))).toBeUndefined()
  })

  it('discard() forgets the pending writes and leaves the KV alone', async () => {
    await kv.batch([{ type: 'put', key: bucketKey(Bucket.state, bytes(2)), value: text('kept') }])
    const store = new TrieStore(kv)
    await store.put(bytes(3), text('new'))
    await store.del(bytes(2))
    store.discard()
    expect(await store.get(bytes(3))).toBeUndefined()
    expect(str(await store.get(bytes(2)))).toBe('kept')
    expect(store.drain()).toEqual([])
  })

  it('backs a Merkle trie: nodes reach disk only through drain, and a new store reads the trie back', async () => {
    const store = new TrieStore(kv)
    const trie = new MerklePatriciaTrie({ db: store, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes })
    for (let i = 0; i < 50; i++) await trie.put(text(`key-${i}`), text(`value-${i}`))
    const root = trie.root()
    expect(await count(kv)).toBe(0)
    // Before the drain another store over the same KV cannot see the trie.
    const blind = new MerklePatriciaTrie({ db: new TrieStore(kv), useKeyHashing: true, valueEncoding: ValueEncoding.Bytes })
    expect(await blind.checkRoot(root)).toBe(false)

    await kv.batch(store.drain())
    expect(await count(kv)).toBeGreaterThan(0)
    const reader = new MerklePatriciaTrie({ db: new TrieStore(kv), useKeyHashing: true, valueEncoding: ValueEncoding.Bytes, root })
    expect(await reader.checkRoot(root)).toBe(true)
    for (const i of [0, 17, 49]) expect(str((await reader.get(text(`key-${i}`))) ?? undefined)).toBe(`value-${i}`)
    expect(bytesToHex(reader.root())).toBe(bytesToHex(root))
  })

  it('drain(root) stores only the nodes the new state needs: every account, slot and code reads back, fewer nodes written', async () => {
    const common = createChainCommon(devnetGenesis())
    const address = (i: number) => new Address(keccak_256(Uint8Array.of(i)).subarray(12))
    const slot = (j: number) => setLengthLeft(Uint8Array.of(j + 1), 32)
    let root = KECCAK256_RLP
    let all = 0
    let kept = 0
    // Two "blocks" on one KV, each many updates on the same paths (as a block's transactions make).
    for (const block of [1n, 2n]) {
      const store = new TrieStore(kv)
      const state = createStateManager(common, store, root, { caches: false })
      for (let i = 0; i < 40; i++) {
        await state.putAccount(address(i), createAccount({ nonce: block, balance: BigInt(i) * block }))
        if (i % 4 === 0) for (let j = 0; j < 10; j++) await state.putStorage(address(i), slot(j), Uint8Array.of(i + 1, j, Number(block)))
        if (i === 8) await state.putCode(address(i), Uint8Array.of(0x60, 0x00, Number(block)))
      }
      root = await state.getStateRoot()
      const held = [...(store as unknown as { pending: Map<string, unknown> }).pending.keys()].length
      const ops = store.drain(root)
      all += held
      kept += ops.filter((op) => op.key[0] === Bucket.state).length
      await kv.batch(ops)
    }
    expect(kept).toBeLessThan(all * 0.7)

    const reader = createStateManager(common, new TrieStore(kv), root, { caches: false })
    for (let i = 0; i < 40; i++) {
      expect((await reader.getAccount(address(i)))?.balance).toBe(BigInt(i) * 2n)
      if (i % 4 === 0) for (let j = 0; j < 10; j++) expect(await reader.getStorage(address(i), slot(j))).toEqual(Uint8Array.of(i + 1, j, 2))
    }
    expect([...(await reader.getCode(address(8)))]).toEqual([0x60, 0x00, 2])
    // Every node of the account trie is on disk (a walk would throw on a missing one).
    const trie = new MerklePatriciaTrie({ db: new TrieStore(kv), useKeyHashing: true, valueEncoding: ValueEncoding.Bytes, root })
    let nodes = 0
    await trie.walkAllNodes(async () => void nodes++)
    expect(nodes).toBeGreaterThan(40)
  })

  it('drain(root) keeps every node of one putAll per trie, and drops what a second putAll on the same trie superseded', async () => {
    const common = createChainCommon(devnetGenesis())
    const store = new TrieStore(kv)
    const held = () => (store as unknown as { pending: Map<string, unknown> }).pending.size
    const stateNodes = (ops: { key: Uint8Array }[]) => ops.filter((op) => op.key[0] === Bucket.state).length
    // Account-shaped values: drain's walk follows each account leaf into its storage trie.
    const account = (round: number, i: number) => createAccount({ nonce: BigInt(round), balance: BigInt(i) }).serialize()
    const writes = (round: number) => Array.from({ length: 30 }, (_, i) => ({ key: text(`key-${i}`), value: account(round, i) }))
    const trie = memoizedStateTrie(common, store)

    await trie.putAll(writes(1))
    const first = held()
    expect(stateNodes(store.drain(trie.root()))).toBe(first)
    await trie.putAll(writes(2))
    const firstRoot = trie.root()
    await trie.putAll(writes(3))
    const bothHeld = held()
    const ops = store.drain(trie.root())
    // The second rewrite replaced every node of the first: a branch and its leaves, all held.
    expect(stateNodes(ops)).toBeLessThan(bothHeld)
    expect(stateNodes(ops)).toBe(first)
    expect(ops.some((op) => bytesToHex(op.key).endsWith(bytesToHex(firstRoot).slice(2)))).toBe(false)
    await kv.batch(ops)

    const reader = memoizedStateTrie(common, new TrieStore(kv), trie.root())
    for (const i of [0, 13, 29]) expect(await reader.get(text(`key-${i}`))).toEqual(account(3, i))
    let nodes = 0
    await reader.walkAllNodes(async () => void nodes++)
    expect(nodes).toBe(first)
  })
})
