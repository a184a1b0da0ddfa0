import type { Block } from '@ethereumjs/block'
import { bytesToHex, createAddressFromString, equalsBytes } from '@ethereumjs/util'
import { ClassicLevel } from 'classic-level'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { devnetGenesis } from '../../../genesis/genesis.ts'
import { ChainStore } from '../../../node/chain/chainStore.ts'
import { GenesisMismatchError, MissingStateError } from '../../../node/chain/errors.ts'
import type { NewHead } from '../../../node/chain/events.ts'
import { Bucket, MetaKey, bucketKey, bucketRange, metaKey, numberKey } from '../../../node/db/buckets.ts'
import { openKV } from '../../../node/db/kv.ts'
import { TrieStore } from '../../../node/db/trieStore.ts'
import { createStateManager } from '../../../node/execution/state.ts'
import {
  ADDR_A,
  C,
  KEY_A,
  KEY_B,
  WatchedKV,
  contractsGenesis,
  mineOn,
  openChainParts,
  openExecution,
  tempDir,
  tx1559,
  txLegacy,
  word,
  type ExecParts,
} from '../support/harness.ts'

const hex = bytesToHex

describe('ChainStore', () => {
  let dir: string
  let remove: () => Promise<void>
  beforeEach(async () => ({ dir, remove } = await tempDir('olnode-chain-')))
  afterEach(() => remove())

  /** A block with a 1559 transfer, a legacy transfer, a call that logs and a call that reverts. */
  async function mineMixedBlock(parts: ExecParts) {
    const c = parts.common
    const txs = [
      tx1559(c, KEY_A, 0n, { value: 1000n }),
      txLegacy(c, KEY_B, 0n, { value: 2000n }),
      tx1559(c, KEY_A, 1n, { to: C.storeAndLog, data: word(0xbeefn), gasLimit: 100_000n }),
      tx1559(c, KEY_B, 1n, { to: C.revertString, gasLimit: 100_000n }),
    ]
    const sealed = await mineOn(parts, txs)
    expect(sealed.rejected).toEqual([])
    expect(sealed.block.transactions).toHaveLength(4)
    return { txs, sealed }
  }

  it('commits block, canonical index, tx index, receipts, state and head in one batch', async () => {
    let watched!: WatchedKV
    const parts = await openExecution({ dir, genesis: contractsGenesis(), wrap: (kv) => (watched = new WatchedKV(kv)) })
    try {
      expect(watched.batches).toHaveLength(1) // block 0
      const heads: NewHead[] = []
      parts.chain.events.on('head', (h) => heads.push(h))
      const { txs, sealed } = await mineMixedBlock(parts)
      expect(watched.batches).toHaveLength(2)
      const keys = new Set(watched.batches[1].map((op) => hex(op.key)))
      const hash = sealed.block.hash()
      expect(keys).toContain(hex(bucketKey(Bucket.block, hash)))
      expect(keys).toContain(hex(bucketKey(Bucket.canonical, numberKey(1n))))
      expect(keys).toContain(hex(bucketKey(Bucket.receipts, hash)))
      for (const tx of txs) expect(keys).toContain(hex(bucketKey(Bucket.txIndex, tx.hash())))
      expect(keys).toContain(hex(metaKey(MetaKey.head)))
      expect(keys).not.toContain(hex(metaKey(MetaKey.genesis)))
      const stateOps = watched.batches[1].filter((op) => op.key[0] === Bucket.state)
      const preimageOps = watched.batches[1].filter((op) => op.key[0] === Bucket.preimage)
      expect(stateOps.length + preimageOps.length).toBe(sealed.stateOps.length)
      expect(preimageOps.length).toBeGreaterThan(0)
      expect(stateOps.length).toBeGreaterThan(0)
      expect(keys).toContain(hex(bucketKey(Bucket.state, sealed.block.header.stateRoot)))

      expect(parts.chain.headBlock.hash()).toEqual(hash)
      expect(heads).toHaveLength(1)
      expect(heads[0].block).toBe(sealed.block)
      expect(heads[0].receipts.map((r) => r.status)).toEqual([1, 1, 1, 0])
    } finally {
      await parts.kv.close()
    }
  })

  it('a reopened store over the reopened database finds the block, indexes, receipts and head', async () => {
    const parts = await openExecution({ dir, genesis: contractsGenesis() })
    const genesisHash = parts.chain.headBlock.hash()
    const { txs, sealed } = await mineMixedBlock(parts)
    await parts.kv.close()

    const kv = await openKV({ path: dir })
    try {
      const chain = new ChainStore(kv, parts.common)
      const head = await chain.open()
      expect(head).toBeDefined()
      const block = head as Block
      expect(hex(block.hash())).toBe(hex(sealed.block.hash()))
      expect(hex(block.serialize())).toBe(hex(sealed.block.serialize()))
      expect(hex((await chain.genesisHash())!)).toBe(hex(genesisHash))
      expect(hex((await chain.blockByNumber(0n))!.hash())).toBe(hex(genesisHash))
      expect(hex((await chain.canonicalHash(1n))!)).toBe(hex(sealed.block.hash()))
      expect(await chain.isCanonical(block)).toBe(true)

      for (const [i, tx] of txs.entries()) {
        const loc = await chain.txLocation(tx.hash())
        expect(loc && hex(loc.blockHash)).toBe(hex(block.hash()))
        expect(loc?.index).toBe(i)
      }
      expect(await chain.txLocation(new Uint8Array(32))).toBeUndefined()

      // Senders come back from the senders bucket (20-byte addresses), not from signature recovery.
      const stored = (await kv.get(bucketKey(Bucket.senders, block.hash())))!
      expect(stored.length).toBe(txs.length * 20)
      for (const [i, tx] of block.transactions.entries()) {
        expect(hex(stored.subarray(i * 20, (i + 1) * 20))).toBe(txs[i].getSenderAddress().toString())
        expect(tx.cache.senderPubKey).toBeUndefined()
        expect(tx.getSenderAddress().toString()).toBe(txs[i].getSenderAddress().toString())
        expect(Object.isFrozen(tx)).toBe(true)
      }

      const encoded = await chain.encodedReceipts(block.hash())
      expect(encoded?.map(hex)).toEqual(sealed.encodedReceipts.map(hex))
      const receipts = (await chain.receipts(block.hash()))!
      expect(receipts.map((r) => r.type)).toEqual([2, 0, 2, 2])
      expect(receipts.map((r) => r.status)).toEqual([1, 1, 1, 0])
      expect(receipts.map((r) => r.cumulativeGasUsed)).toEqual(sealed.results.reduce<bigint[]>((acc, r) => [...acc, (acc.at(-1) ?? 0n) + r.totalGasSpent], []))
      expect(receipts[3].cumulativeGasUsed).toBe(block.header.gasUsed)
      expect(receipts[0].logs).toEqual([])
      const [log] = receipts[2].logs
      expect(hex(log[0])).toBe(C.storeAndLog)
      expect(log[1].map(hex)).toEqual([`0x${'aa'.repeat(32)}`])
      expect(hex(log[2])).toBe(hex(word(0xbeefn)))
      expect(hex(receipts[2].logsBloom)).not.toBe(hex(new Uint8Array(256)))
      expect(await chain.receipts(new Uint8Array(32))).toBeUndefined()

      // The state the block produced came with it.
      const state = createStateManager(parts.common, new TrieStore(kv), block.header.stateRoot)
      expect((await state.getAccount(ADDR_A))?.nonce).toBe(2n)
      expect(hex(await state.getStorage(createAddressFromString(C.storeAndLog), new Uint8Array(32)))).toBe('0xbeef')
    } finally {
      await kv.close()
    }
  })

  it('a commit whose batch fails leaves neither the block nor the new head, in memory or on disk', async () => {
    let watched!: WatchedKV
    const parts = await openExecution({ dir, wrap: (kv) => (watched = new WatchedKV(kv)) })
    const sealed = await parts.execution.buildOnHead([tx1559(parts.common, KEY_A, 0n)], { timestamp: 1n, coinbase: new Uint8Array(20) })
    const heads: NewHead[] = []
    parts.chain.events.on('head', (h) => heads.push(h))
    watched.failBatches = true
    await expect(parts.chain.commit(sealed.block, sealed.encodedReceipts, sealed.stateOps)).rejects.toThrow('disk full')
    expect(parts.chain.headBlock.header.number).toBe(0n)
    expect(heads).toEqual([])
    expect(await parts.chain.blockByNumber(1n)).toBeUndefined()
    expect(await parts.chain.blockByHash(sealed.block.hash())).toBeUndefined()
    expect(await parts.chain.txLocation(sealed.block.transactions[0].hash())).toBeUndefined()
    await parts.kv.close()

    const again = await openChainParts({ dir })
    try {
      expect(again.chain.headBlock.header.number).toBe(0n)
      expect(await again.chain.blockByHash(sealed.block.hash())).toBeUndefined()
      expect(await again.kv.get(bucketKey(Bucket.state, sealed.block.header.stateRoot))).toBeUndefined()
    } finally {
      await again.kv.close()
    }
  })

  it('finds every block by number, and nothing beyond the head', async () => {
    const parts = await openExecution({ dir })
    const blocks = [parts.chain.headBlock]
    for (let i = 0n; i < 3n; i++) blocks.push((await mineOn(parts, [tx1559(parts.common, KEY_A, i)])).block)
    expect(await parts.chain.blockByNumber(4n)).toBeUndefined()
    expect(await parts.chain.blockByNumber(1000n)).toBeUndefined()
    expect(await parts.chain.canonicalHash(4n)).toBeUndefined()
    await parts.kv.close()

    const kv = await openKV({ path: dir })
    try {
      const chain = new ChainStore(kv, parts.common)
      // Before open() there is no head: reads go to disk, and a number never written is absent.
      expect(hex((await chain.blockByNumber(2n))!.hash())).toBe(hex(blocks[2].hash()))
      expect(await chain.blockByNumber(4n)).toBeUndefined()
      await chain.open()
      for (const b of blocks) {
        const found = await chain.blockByNumber(b.header.number)
        expect(hex(found!.hash())).toBe(hex(b.hash()))
        expect(hex(found!.header.parentHash)).toBe(b.header.number === 0n ? hex(new Uint8Array(32)) : hex(blocks[Number(b.header.number) - 1].hash()))
      }
      expect(await chain.blockByNumber(4n)).toBeUndefined()
      expect(await chain.blockByNumber(2n ** 63n)).toBeUndefined()
      expect(() => new ChainStore(kv, parts.common).headBlock).toThrow(/no head/)
    } finally {
      await kv.close()
    }
  })
})

describe('openChain', () => {
  let dir: string
  let remove: () => Promise<void>
  beforeEach(async () => ({ dir, remove } = await tempDir('olnode-open-')))
  afterEach(() => remove())

  it('writes block 0 into an empty database and opens the same chain at its head afterwards', async () => {
    const first = await openExecution({ dir })
    const block0 = first.chain.headBlock
    expect(block0.header.number).toBe(0n)
    expect(hex((await first.chain.genesisHash())!)).toBe(hex(block0.hash()))
    const block1 = (await mineOn(first, [tx1559(first.common, KEY_A, 0n)])).block
    await first.kv.close()

    const second = await openChainParts({ dir })
    try {
      expect(hex(second.chain.headBlock.hash())).toBe(hex(block1.hash()))
      expect(hex((await second.chain.genesisHash())!)).toBe(hex(block0.hash()))
      // Opening does not write: the recomputed genesis state is discarded, not drained later.
      expect(second.store.drain()).toEqual([])
    } finally {
      await second.kv.close()
    }
  })

  it('refuses a datadir written with another genesis', async () => {
    const first = await openChainParts({ dir })
    await first.kv.close()
    const g = devnetGenesis()
    const richer = { ...g, alloc: g.alloc.map(([a, acct], i): (typeof g.alloc)[number] => [a, i === 0 ? { ...acct, balance: acct.balance + 1n } : acct]) }
    await expect(openChainParts({ dir, genesis: richer })).rejects.toBeInstanceOf(GenesisMismatchError)
    await expect(openChainParts({ dir, genesis: { ...g, timestamp: 5n } })).rejects.toThrow(/genesis/)
    // The refusal changed nothing: the right genesis still opens.
    const again = await openChainParts({ dir })
    expect(again.chain.headBlock.header.number).toBe(0n)
    await again.kv.close()
  })

  it('refuses a datadir written with another chain ID', async () => {
    const first = await openExecution({ dir })
    await mineOn(first, [tx1559(first.common, KEY_A, 0n)])
    await first.kv.close()
    const err = await openChainParts({ dir, genesis: { ...devnetGenesis(), chainId: 4242 } }).then(
      async (p) => {
        await p.kv.close()
        return undefined
      },
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(GenesisMismatchError)
    expect((err as Error).message).toMatch(/1337/)
    expect((err as Error).message).toMatch(/4242/)
  })

  it('reports MissingStateError when the head block’s state is gone from the datadir', async () => {
    const first = await openExecution({ dir })
    const head = (await mineOn(first, [tx1559(first.common, KEY_A, 0n)])).block
    await first.kv.close()

    // Delete the whole state bucket, by one batch, with classic-level itself.
    const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' })
    await db.open()
    const keys: Uint8Array[] = []
    for await (const key of db.keys(bucketRange(Bucket.state))) keys.push(key)
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.some((k) => equalsBytes(k, bucketKey(Bucket.state, head.header.stateRoot)))).toBe(true)
    await db.batch(keys.map((key) => ({ type: 'del' as const, key })))
    await db.close()

    const err = await openChainParts({ dir }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(MissingStateError)
    expect((err as Error).message).toContain(hex(head.header.stateRoot))
    expect((err as Error).message).toMatch(/block 1\b/)
  })

  it('reports MissingStateError when only the head state root node is missing', async () => {
    const first = await openExecution({ dir })
    const head = (await mineOn(first, [tx1559(first.common, KEY_A, 0n)])).block
    await first.kv.batch([{ type: 'del', key: bucketKey(Bucket.state, head.header.stateRoot) }])
    await first.kv.close()
    await expect(openChainParts({ dir })).rejects.toBeInstanceOf(MissingStateError)
  })
})
