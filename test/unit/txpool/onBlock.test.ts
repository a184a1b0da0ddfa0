import { createAddressFromString } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { ADDR_A, ADDR_B, GWEI, KEY_A, KEY_B, RICH, eip1559, hex, makePool, series } from './fixtures.ts'

const A = createAddressFromString(ADDR_A)

describe('TxPool.onBlock', () => {
  it('drops the included transactions and keeps the rest pending', async () => {
    const { pool, state } = makePool()
    const txs = series(KEY_A, 0n, 3)
    for (const tx of txs) await pool.add(tx)
    state.set(ADDR_A, 2n, RICH)
    await pool.onBlock(txs.slice(0, 2))
    expect(pool.has(txs[0].hash())).toBe(false)
    expect(pool.has(txs[1].hash())).toBe(false)
    expect(pool.executable()).toEqual([txs[2]])
    expect(await pool.pendingNonce(A)).toBe(3n)
  })

  it('drops transactions made stale by the new nonce, even if another tx took the nonce', async () => {
    const { pool, state } = makePool()
    const mine = eip1559(KEY_A, 0n)
    await pool.add(mine)
    await pool.add(eip1559(KEY_A, 1n))
    state.set(ADDR_A, 1n, RICH) // nonce 0 went in through another node's tx
    await pool.onBlock([])
    expect(pool.has(mine.hash())).toBe(false)
    expect(pool.stats()).toEqual({ pending: 1, queued: 0 })
  })

  it('drops the transactions the block builder rejected and queues those behind them', async () => {
    const { pool } = makePool()
    const txs = series(KEY_A, 0n, 3)
    for (const tx of txs) await pool.add(tx)
    await pool.onBlock([], [txs[0]])
    expect(pool.has(txs[0].hash())).toBe(false)
    expect(pool.stats()).toEqual({ pending: 0, queued: 2 })
    expect(pool.executable()).toEqual([])
  })

  it('drops what the new balance no longer covers and demotes the transactions after the gap', async () => {
    const { pool, state } = makePool()
    const cheap = 21_000n * 2n * GWEI
    const txs = [
      eip1559(KEY_A, 0n),
      eip1559(KEY_A, 1n, {}, { value: 10n ** 18n }),
      eip1559(KEY_A, 2n),
      eip1559(KEY_A, 3n),
    ]
    for (const tx of txs) await pool.add(tx)
    state.set(ADDR_A, 0n, 5n * cheap)
    await pool.onBlock([])
    expect(pool.has(txs[1].hash())).toBe(false)
    const { pending, queued } = pool.content()
    expect([...pending.get(ADDR_A)!.keys()]).toEqual([0n])
    expect([...queued.get(ADDR_A)!.keys()]).toEqual([2n, 3n])
  })

  it('drops transactions above a lowered block gas limit', async () => {
    const { pool, head } = makePool()
    const big = eip1559(KEY_A, 0n, {}, { gasLimit: 1_000_000n })
    await pool.add(big)
    head.gasLimit = 500_000n
    await pool.onBlock([])
    expect(pool.has(big.hash())).toBe(false)
  })

  it('promotes queued transactions when the state nonce moves past their gap, and announces them', async () => {
    const { pool, state, announced } = makePool()
    const txs = series(KEY_A, 0n, 20)
    for (const tx of [...txs.slice(0, 10), ...txs.slice(11)]) await pool.add(tx)
    expect(pool.stats()).toEqual({ pending: 10, queued: 9 })
    expect(announced).toHaveLength(10)
    // The block holds nonces 0..10; nonce 10 reached it from elsewhere (the pool never had it).
    state.set(ADDR_A, 11n, RICH)
    await pool.onBlock(txs.slice(0, 10))
    expect(pool.stats()).toEqual({ pending: 9, queued: 0 })
    expect(announced.slice(10)).toEqual(txs.slice(11).map((tx) => hex(tx.hash())))
  })

  it('trims a queue that a demotion pushed over the per-sender limit, highest nonces first', async () => {
    const { pool, state } = makePool({ limits: { accountQueue: 2 } })
    const txs = series(KEY_A, 0n, 4)
    for (const tx of txs) await pool.add(tx)
    expect(pool.stats()).toEqual({ pending: 4, queued: 0 })
    await pool.onBlock([], [txs[0]]) // nonce 0 gone: 1, 2, 3 all queued, one too many
    expect([...pool.content().queued.get(ADDR_A)!.keys()]).toEqual([1n, 2n])
    expect(pool.has(txs[3].hash())).toBe(false)
    state.set(ADDR_A, 1n, RICH)
    await pool.onBlock([])
    expect(pool.stats()).toEqual({ pending: 2, queued: 0 })
  })

  it('reads each pooled sender once, and forgets senders with nothing left', async () => {
    const { pool, state } = makePool()
    const a = series(KEY_A, 0n, 3)
    const b = eip1559(KEY_B, 0n)
    for (const tx of [...a, b]) await pool.add(tx)
    state.set(ADDR_B, 1n, RICH)
    const reads = state.reads
    await pool.onBlock([b])
    expect(state.reads - reads).toBe(1)
    expect(pool.content().pending.has(ADDR_B)).toBe(false)
  })

  it('catches a sender up at admission if the head moved before onBlock', async () => {
    const { pool, state } = makePool()
    const txs = series(KEY_A, 0n, 2)
    for (const tx of txs) await pool.add(tx)
    state.set(ADDR_A, 2n, RICH)
    await pool.add(eip1559(KEY_A, 2n))
    expect(pool.stats()).toEqual({ pending: 1, queued: 0 })
    expect(pool.has(txs[0].hash())).toBe(false)
  })
})
