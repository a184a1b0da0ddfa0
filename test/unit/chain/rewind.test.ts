import { bytesToHex } from '@ethereumjs/util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChainStore } from '../../../node/chain/chainStore.ts'
import { NotCanonicalError } from '../../../node/chain/errors.ts'
import { Bucket, MetaKey, bucketKey, metaKey, numberKey } from '../../../node/db/buckets.ts'
import { openKV } from '../../../node/db/kv.ts'
import { ADDR_A, KEY_A, KEY_B, WatchedKV, mineOn, openExecution, tempDir, tx1559, type ExecParts } from '../support/harness.ts'

const hex = bytesToHex

describe('ChainStore rewind and head state', () => {
  let dir: string
  let remove: () => Promise<void>
  beforeEach(async () => ({ dir, remove } = await tempDir('olnode-rewind-')))
  afterEach(() => remove())

  /** Blocks 1..3, two transfers each. */
  async function threeBlocks(parts: ExecParts) {
    const c = parts.common
    const blocks = []
    for (let n = 0n; n < 3n; n++) {
      const sealed = await mineOn(parts, [tx1559(c, KEY_A, n, { value: 1n }), tx1559(c, KEY_B, n, { value: 2n })])
      blocks.push(sealed.block)
    }
    return blocks
  }

  it('moves the head back in ONE batch: canonical and tx index entries of the dropped blocks go, the rest stays', async () => {
    let watched!: WatchedKV
    const parts = await openExecution({ dir, wrap: (kv) => (watched = new WatchedKV(kv)) })
    try {
      const [b1, b2, b3] = await threeBlocks(parts)
      const before = watched.batches.length
      await parts.chain.rewindTo(b1, b1.header.stateRoot)
      expect(watched.batches.length).toBe(before + 1)
      const ops = watched.batches.at(-1)!
      const dels = ops.filter((op) => op.type === 'del').map((op) => hex(op.key))
      expect(dels).toContain(hex(bucketKey(Bucket.canonical, numberKey(2n))))
      expect(dels).toContain(hex(bucketKey(Bucket.canonical, numberKey(3n))))
      for (const tx of [...b2.transactions, ...b3.transactions]) expect(dels).toContain(hex(bucketKey(Bucket.txIndex, tx.hash())))
      expect(ops.find((op) => hex(op.key) === hex(metaKey(MetaKey.head)))).toMatchObject({ type: 'put', value: b1.hash() })

      const chain = parts.chain
      expect(chain.headBlock.header.number).toBe(1n)
      expect(hex(chain.headStateRoot)).toBe(hex(b1.header.stateRoot))
      expect(await chain.blockByNumber(2n)).toBeUndefined()
      expect(await chain.canonicalHash(3n)).toBeUndefined()
      for (const tx of b2.transactions) expect(await chain.txLocation(tx.hash())).toBeUndefined()
      for (const tx of b1.transactions) expect(hex((await chain.txLocation(tx.hash()))!.blockHash)).toBe(hex(b1.hash()))
      // The bodies stay, but no longer canonical.
      expect(await chain.isCanonical((await chain.blockByHash(b3.hash()))!)).toBe(false)

      // The next block takes number 2 in the index.
      const next = await mineOn(parts, [tx1559(parts.common, KEY_A, 1n, { value: 7n })])
      expect(next.block.header.number).toBe(2n)
      expect(hex((await chain.canonicalHash(2n))!)).toBe(hex(next.block.hash()))
    } finally {
      await parts.kv.close()
    }

    const kv = await openKV({ path: dir })
    try {
      const reopened = new ChainStore(kv, parts.common)
      expect((await reopened.open())!.header.number).toBe(2n)
    } finally {
      await kv.close()
    }
  })

  it('refuses a block off the canonical chain and writes nothing; a failed batch leaves the head', async () => {
    let watched!: WatchedKV
    const parts = await openExecution({ dir, wrap: (kv) => (watched = new WatchedKV(kv)) })
    try {
      const [b1, , b3] = await threeBlocks(parts)
      await parts.chain.rewindTo(b1, b1.header.stateRoot)
      const before = watched.batches.length
      await expect(parts.chain.rewindTo(b3, b3.header.stateRoot)).rejects.toBeInstanceOf(NotCanonicalError)
      expect(watched.batches.length).toBe(before)

      await mineOn(parts, [tx1559(parts.common, KEY_A, 1n)])
      watched.failBatches = true
      await expect(parts.chain.rewindTo(b1, b1.header.stateRoot)).rejects.toThrow('disk full')
      expect(parts.chain.headBlock.header.number).toBe(2n)
      expect(await parts.chain.canonicalHash(2n)).toBeDefined()
    } finally {
      await parts.kv.close()
    }
  })

  it('a head state edit is committed with its root, survives a reopen, and the next block clears it in its own batch', async () => {
    let watched!: WatchedKV
    const parts = await openExecution({ dir, wrap: (kv) => (watched = new WatchedKV(kv)) })
    let edited: Uint8Array
    try {
      edited = await parts.execution.editHeadState((state) => state.modifyAccountFields(ADDR_A, { balance: 5n }))
      expect(hex(edited)).not.toBe(hex(parts.chain.headBlock.header.stateRoot))
      expect(hex(parts.chain.headStateRoot)).toBe(hex(edited))
      const ops = watched.batches.at(-1)!
      expect(ops.find((op) => hex(op.key) === hex(metaKey(MetaKey.headState)))).toMatchObject({ type: 'put', value: edited })
      expect(ops.some((op) => op.key[0] === Bucket.state)).toBe(true)
      expect((await parts.execution.stateAt(parts.chain.headBlock).getAccount(ADDR_A))!.balance).toBe(5n)
    } finally {
      await parts.kv.close()
    }

    const again = await openExecution({ dir, wrap: (kv) => (watched = new WatchedKV(kv)) })
    try {
      expect(hex(again.chain.headStateRoot)).toBe(hex(edited))
      expect((await again.execution.stateAt(again.chain.headBlock).getAccount(ADDR_A))!.balance).toBe(5n)
      // A block is built on the edited state (B pays A), and its batch drops the override.
      const sealed = await mineOn(again, [tx1559(again.common, KEY_B, 0n, { to: ADDR_A.toString(), value: 10n })])
      expect(sealed.rejected).toEqual([])
      const ops = watched.batches.at(-1)!
      expect(ops.find((op) => hex(op.key) === hex(metaKey(MetaKey.headState)))).toMatchObject({ type: 'del' })
      expect(hex(again.chain.headStateRoot)).toBe(hex(sealed.block.header.stateRoot))
      expect((await again.execution.stateAt(again.chain.headBlock).getAccount(ADDR_A))!.balance).toBe(15n)
    } finally {
      await again.kv.close()
    }
  })
})
