import type { Block } from '@ethereumjs/block'
import { bytesToHex } from '@ethereumjs/util'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../node/logger.ts'
import { Miner, type MiningMode } from '../../../node/miner/miner.ts'
import { TxPool } from '../../../node/txpool/txPool.ts'
import { ADDR_A, ADDR_B, KEY_A, KEY_B, openExecution, tx1559, type ExecParts } from '../support/harness.ts'

const hex = bytesToHex
const COINBASE = new Uint8Array(20).fill(0xcb)

interface Rig extends ExecParts {
  pool: TxPool
  miner: Miner
  /** Blocks as the chain announced them, in order. */
  sealed: Block[]
}

const rigs: Rig[] = []

/** db -> chain -> execution -> txpool -> miner, wired as node.ts wires them (in memory). */
async function rig(mode: MiningMode, now?: () => bigint): Promise<Rig> {
  const parts = await openExecution()
  const { chain, execution, common } = parts
  const pool = new TxPool({
    common,
    state: { getAccount: async (address) => (await execution.stateAt(chain.headBlock).getAccount(address)) ?? { nonce: 0n, balance: 0n } },
    head: () => ({ gasLimit: chain.headBlock.header.gasLimit, baseFee: chain.headBlock.header.calcNextBaseFee() }),
    logger: silentLogger(),
  })
  const miner = new Miner({ chain, execution, txpool: pool, logger: silentLogger(), coinbase: COINBASE, now }, mode)
  const sealed: Block[] = []
  chain.events.on('head', ({ block }) => sealed.push(block))
  const r = { ...parts, pool, miner, sealed }
  rigs.push(r)
  return r
}

afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.miner.stop()
    await r.kv.close()
  }
})

/** Polls `cond` every 10 ms; fails after `ms`. */
async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const senderNonces = (b: Block) => b.transactions.map((t) => `${t.getSenderAddress().toString()}:${t.nonce}`)

describe('Miner', () => {
  describe('automine', () => {
    it('seals the transactions that become executable together in one block, in nonce order, even when the nonces arrive backwards', async () => {
      const r = await rig({ kind: 'auto' })
      r.miner.start()
      const txs = [0n, 1n, 2n].map((n) => tx1559(r.common, KEY_A, n))
      // 2 and 1 wait in the queue; 0 makes all three executable.
      await r.pool.add(txs[2])
      await r.pool.add(txs[1])
      await sleep(50)
      expect(r.sealed).toHaveLength(0)
      await r.pool.add(txs[0])
      await until(() => r.sealed.length === 1)
      expect(r.sealed[0].header.number).toBe(1n)
      expect(r.sealed[0].transactions.map((t) => hex(t.hash()))).toEqual(txs.map((t) => hex(t.hash())))
      expect(r.pool.stats()).toEqual({ pending: 0, queued: 0 })
      expect((await r.execution.stateAt(r.chain.headBlock).getAccount(ADDR_A))!.nonce).toBe(3n)
    })

    it('gives a transaction sent alone a block of its own, each on the one before', async () => {
      const r = await rig({ kind: 'auto' })
      r.miner.start()
      for (const nonce of [0n, 1n, 2n]) {
        await r.pool.add(tx1559(r.common, KEY_A, nonce))
        await until(() => r.sealed.length === Number(nonce) + 1)
      }
      expect(r.sealed.map((b) => b.header.number)).toEqual([1n, 2n, 3n])
      expect(r.sealed.map((b) => b.transactions.length)).toEqual([1, 1, 1])
      for (let i = 1; i < r.sealed.length; i++) expect(hex(r.sealed[i].header.parentHash)).toBe(hex(r.sealed[i - 1].hash()))
    })

    it('lets the transactions that come in before its next turn of the event loop share the block', async () => {
      const r = await rig({ kind: 'auto' })
      r.miner.start()
      // As requests read in one turn: each admitted, and announced, before the next is.
      await r.pool.add(tx1559(r.common, KEY_A, 0n))
      await r.pool.add(tx1559(r.common, KEY_B, 0n))
      await until(() => r.sealed.flatMap((b) => b.transactions).length === 2)
      expect(r.sealed.map((b) => b.transactions.length)).toEqual([2])
    })

    it('mines transactions arriving together from two senders, each sender in nonce order', async () => {
      const r = await rig({ kind: 'auto' })
      r.miner.start()
      const txs = [tx1559(r.common, KEY_A, 0n), tx1559(r.common, KEY_B, 0n), tx1559(r.common, KEY_A, 1n), tx1559(r.common, KEY_B, 1n)]
      await Promise.all(txs.map((t) => r.pool.add(t)))
      await until(() => r.sealed.flatMap((b) => b.transactions).length === 4)
      const order = r.sealed.flatMap(senderNonces)
      const a = ADDR_A.toString()
      const b = ADDR_B.toString()
      expect(order.filter((s) => s.startsWith(a))).toEqual([`${a}:0`, `${a}:1`])
      expect(order.filter((s) => s.startsWith(b))).toEqual([`${b}:0`, `${b}:1`])
      // Nothing more once the pool is empty.
      const blocks = r.sealed.length
      await sleep(50)
      expect(r.sealed).toHaveLength(blocks)
    })

    it('stops sealing after stop()', async () => {
      const r = await rig({ kind: 'auto' })
      r.miner.start()
      await r.pool.add(tx1559(r.common, KEY_A, 0n))
      await until(() => r.sealed.length === 1)
      await r.miner.stop()
      await r.pool.add(tx1559(r.common, KEY_A, 1n))
      await sleep(100)
      expect(r.sealed).toHaveLength(1)
      expect(r.pool.stats().pending).toBe(1)
    })
  })

  describe('interval', () => {
    it('seals empty blocks on time, all pending transactions in one block, with strictly increasing timestamps', async () => {
      const r = await rig({ kind: 'interval', blockTimeMs: 200 })
      r.miner.start()
      await until(() => r.sealed.length >= 2, 3_000)
      expect(r.sealed.slice(0, 2).every((b) => b.transactions.length === 0)).toBe(true)

      // Right after a block, add three transactions: the next block takes all of them.
      const seen = r.sealed.length
      await until(() => r.sealed.length > seen, 3_000)
      const txs = [tx1559(r.common, KEY_A, 0n), tx1559(r.common, KEY_B, 0n), tx1559(r.common, KEY_A, 1n)]
      for (const t of txs) await r.pool.add(t)
      await until(() => r.pool.stats().pending === 0, 3_000)
      const withTxs = r.sealed.filter((b) => b.transactions.length > 0)
      expect(withTxs).toHaveLength(1)
      expect(new Set(withTxs[0].transactions.map((t) => hex(t.hash())))).toEqual(new Set(txs.map((t) => hex(t.hash()))))

      await until(() => r.sealed.length >= 6, 3_000)
      await r.miner.stop()
      // Several blocks a second: timestamps still go up by at least one each block.
      for (let i = 1; i < r.sealed.length; i++) expect(r.sealed[i].header.timestamp).toBeGreaterThan(r.sealed[i - 1].header.timestamp)
      expect(r.sealed.map((b) => b.header.number)).toEqual(r.sealed.map((_, i) => BigInt(i + 1)))

      const count = r.sealed.length
      await sleep(450)
      expect(r.sealed).toHaveLength(count)
    })

    it('drops the ticks that fall due while a block is being sealed, so stop() waits for that block alone', async () => {
      const r = await rig({ kind: 'interval', blockTimeMs: 20 })
      const build = r.execution.buildOnHead.bind(r.execution)
      let builds = 0
      // Every block takes 10 ticks to seal, as thousands of transfers do at --block-time 1.
      r.execution.buildOnHead = async (...args) => {
        builds++
        await sleep(200)
        return build(...args)
      }
      r.miner.start()
      await sleep(900)
      const stopping = performance.now()
      await r.miner.stop()
      // Queued, the 45 ticks would have been 45 blocks sealed one after another, and stop() would have waited 9 s.
      expect(performance.now() - stopping).toBeLessThan(1_000)
      expect(builds).toBeGreaterThanOrEqual(2)
      expect(builds).toBeLessThanOrEqual(6)
      expect(r.sealed).toHaveLength(builds)
    })

    it('reads the recipient of a pending transaction from the head state before the tick; automine does not', async () => {
      const to = '0x00000000000000000000000000000000000be5e1'
      const recipientReads = async (mode: MiningMode): Promise<number> => {
        const r = await rig(mode)
        const view = r.execution.stateAt(r.chain.headBlock)
        const reads: string[] = []
        const getAccount = view.getAccount.bind(view)
        view.getAccount = (address) => (reads.push(address.toString()), getAccount(address))
        r.miner.start()
        await r.pool.add(tx1559(r.common, KEY_A, 0n, { to }))
        await sleep(50)
        return reads.filter((a) => a === to).length
      }
      expect(await recipientReads({ kind: 'interval', blockTimeMs: 60_000 })).toBe(1)
      expect(await recipientReads({ kind: 'auto' })).toBe(0)
    })
  })

  describe('manual', () => {
    it('mine() seals every executable transaction in one block, and an empty block when there are none', async () => {
      const r = await rig({ kind: 'manual' })
      r.miner.start()
      const executable = [tx1559(r.common, KEY_A, 0n), tx1559(r.common, KEY_A, 1n), tx1559(r.common, KEY_B, 0n), tx1559(r.common, KEY_B, 1n)]
      const gapped = tx1559(r.common, KEY_A, 3n)
      for (const t of [...executable, gapped]) await r.pool.add(t)
      await sleep(50)
      expect(r.sealed).toHaveLength(0) // manual: nothing until asked

      const block = await r.miner.mine()
      expect(block.header.number).toBe(1n)
      expect(new Set(block.transactions.map((t) => hex(t.hash())))).toEqual(new Set(executable.map((t) => hex(t.hash()))))
      expect(hex(r.chain.headBlock.hash())).toBe(hex(block.hash()))
      expect(hex(block.header.coinbase.bytes)).toBe(hex(COINBASE))
      expect(r.pool.stats()).toEqual({ pending: 0, queued: 1 })

      const empty = await r.miner.mine()
      expect(empty.header.number).toBe(2n)
      expect(empty.transactions).toHaveLength(0)
      expect(r.pool.has(gapped.hash())).toBe(true)
    })

    it('stop() waits for the block being sealed to be committed', async () => {
      const r = await rig({ kind: 'manual' })
      r.miner.start()
      const txs = Array.from({ length: 12 }, (_, i) => tx1559(r.common, i % 2 ? KEY_B : KEY_A, BigInt(i >> 1)))
      for (const t of txs) await r.pool.add(t)
      let done = false
      const mined = r.miner.mine().then((b) => {
        done = true
        return b
      })
      await r.miner.stop()
      expect(done).toBe(true)
      expect(r.chain.headBlock.header.number).toBe(1n)
      expect(r.chain.headBlock.transactions).toHaveLength(12)
      expect(r.pool.stats().pending).toBe(0)
      expect(hex((await mined).hash())).toBe(hex(r.chain.headBlock.hash()))
    })

    it('uses the clock for timestamps, and parent + 1 when the clock has not moved past the parent', async () => {
      let clock = 5_000n
      const r = await rig({ kind: 'manual' }, () => clock)
      const b1 = await r.miner.mine()
      const b2 = await r.miner.mine()
      clock = 4_000n // the clock went back
      const b3 = await r.miner.mine()
      clock = 9_000n
      const b4 = await r.miner.mine()
      expect([b1, b2, b3, b4].map((b) => b.header.timestamp)).toEqual([5_000n, 5_001n, 5_002n, 9_000n])
    })

    it('with the real clock, blocks sealed within one second still get increasing timestamps', async () => {
      const r = await rig({ kind: 'manual' })
      const blocks: Block[] = []
      for (let i = 0; i < 5; i++) blocks.push(await r.miner.mine())
      for (let i = 1; i < blocks.length; i++) expect(blocks[i].header.timestamp).toBeGreaterThan(blocks[i - 1].header.timestamp)
      const nowSeconds = BigInt(Math.floor(Date.now() / 1000))
      expect(blocks[0].header.timestamp).toBeGreaterThanOrEqual(nowSeconds - 2n)
    })

    it('a failed commit leaves the head and the execution state where they were, and the pool intact', async () => {
      const r = await rig({ kind: 'manual' })
      const tx = tx1559(r.common, KEY_A, 0n)
      await r.pool.add(tx)
      const head = r.chain.headBlock
      const realBatch = r.kv.batch.bind(r.kv)
      r.kv.batch = async () => {
        throw new Error('disk full (test)')
      }
      await expect(r.miner.mine()).rejects.toThrow('disk full')
      r.kv.batch = realBatch
      expect(hex(r.chain.headBlock.hash())).toBe(hex(head.hash()))
      expect(hex(await r.execution.vm.stateManager.getStateRoot())).toBe(hex(head.header.stateRoot))
      expect(r.pool.has(tx.hash())).toBe(true)
      // The next attempt seals the same transaction.
      const block = await r.miner.mine()
      expect(block.transactions.map((t) => hex(t.hash()))).toEqual([hex(tx.hash())])
    })
  })
})
