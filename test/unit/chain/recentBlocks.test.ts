import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChainStore } from '../../../node/chain/chainStore.ts'
import { openKV } from '../../../node/db/kv.ts'
import { KEY_A, mineOn, openExecution, tempDir, tx1559 } from '../support/harness.ts'

describe('ChainStore: decoded blocks kept in memory', () => {
  let dir: string
  let remove: () => Promise<void>
  beforeEach(async () => ({ dir, remove } = await tempDir('olnode-recent-')))
  afterEach(() => remove())

  /**
   * Blocks 1..count on disk, each with `perBlock` transfers, and a store reopened over them that keeps
   * `recentBlockTxs` (nothing read yet); returns it and the blocks' hashes.
   */
  async function minedThenReopened(count: number, perBlock: number, recentBlockTxs: number) {
    const parts = await openExecution({ dir })
    const hashes: Uint8Array[] = []
    for (let b = 0; b < count; b++) {
      const txs = Array.from({ length: perBlock }, (_, i) => tx1559(parts.common, KEY_A, BigInt(b * perBlock + i), { value: 1n }))
      hashes.push((await mineOn(parts, txs)).block.hash())
    }
    await parts.kv.close()
    const kv = await openKV({ path: dir })
    return { kv, chain: new ChainStore(kv, parts.common, recentBlockTxs), hashes }
  }

  it('are bounded by their transactions: past the budget the least recently read is decoded again', async () => {
    // 5 per block (4 transactions and the block): two fit in 10, not three.
    const { kv, chain, hashes: [first, second, third] } = await minedThenReopened(3, 4, 10)
    try {
      const a = await chain.blockByHash(first)
      const b = await chain.blockByHash(second)
      expect(await chain.blockByHash(first)).toBe(a) // now read after `second`
      await chain.blockByHash(third)
      expect(await chain.blockByHash(first)).toBe(a)
      const decodedAgain = await chain.blockByHash(second)
      expect(decodedAgain).not.toBe(b)
      expect(decodedAgain!.hash()).toEqual(second)
    } finally {
      await kv.close()
    }
  })

  it('keep a block larger than the whole budget, alone', async () => {
    const { kv, chain, hashes: [first, second] } = await minedThenReopened(2, 6, 4)
    try {
      const a = await chain.blockByHash(first)
      expect(await chain.blockByHash(first)).toBe(a)
      const b = await chain.blockByHash(second)
      expect(await chain.blockByHash(second)).toBe(b)
      expect(await chain.blockByHash(first)).not.toBe(a)
    } finally {
      await kv.close()
    }
  })

  it('are decoded once for concurrent reads, and so are their receipts', async () => {
    const { kv, chain, hashes: [first] } = await minedThenReopened(1, 4, 10)
    try {
      const blocks = await Promise.all([chain.blockByHash(first), chain.blockByHash(first), chain.blockByHash(first)])
      expect(blocks[0]!.hash()).toEqual(first)
      expect(blocks[1]).toBe(blocks[0])
      expect(blocks[2]).toBe(blocks[0])
      const receipts = await Promise.all([chain.receipts(first), chain.receipts(first)])
      expect(receipts[0]).toHaveLength(4)
      expect(receipts[1]).toBe(receipts[0])
      expect(await chain.blockByHash(new Uint8Array(32))).toBeUndefined()
      expect(await chain.receipts(new Uint8Array(32))).toBeUndefined()
    } finally {
      await kv.close()
    }
  })
})
