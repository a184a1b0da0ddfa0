import { describe, expect, it } from 'vitest'
import { ADDR_A, ADDR_B, GWEI, KEY_A, KEY_B, eip1559, legacy, makePool } from './fixtures.ts'

describe('TxPool.executable', () => {
  it('orders across senders by effective tip, never a nonce before its predecessor', async () => {
    const { pool } = makePool()
    const a0 = eip1559(KEY_A, 0n, { maxFee: 10n * GWEI, tip: 1n * GWEI })
    const a1 = eip1559(KEY_A, 1n, { maxFee: 10n * GWEI, tip: 5n * GWEI })
    const b0 = eip1559(KEY_B, 0n, { maxFee: 10n * GWEI, tip: 3n * GWEI })
    for (const tx of [a0, a1, b0]) await pool.add(tx)
    // a1 pays most but needs a0 first; b0 beats a0.
    expect(pool.executable()).toEqual([b0, a0, a1])
  })

  it('ranks by effective tip, min(tip, fee cap - base fee), not by the tip offered', async () => {
    const { pool } = makePool() // base fee 1 gwei
    const capped = eip1559(KEY_A, 0n, { maxFee: 3n * GWEI, tip: 29n * GWEI / 10n }) // effective 2 gwei
    const roomy = eip1559(KEY_B, 0n, { maxFee: 10n * GWEI, tip: 25n * GWEI / 10n }) // effective 2.5 gwei
    await pool.add(capped)
    await pool.add(roomy)
    expect(pool.executable()).toEqual([roomy, capped])
  })

  it('takes a legacy gas price as both caps: the base fee comes out of it', async () => {
    const { pool } = makePool()
    const old = legacy(KEY_A, 0n, 22n * GWEI / 10n) // effective 1.2 gwei
    const typed = eip1559(KEY_B, 0n, { maxFee: 10n * GWEI, tip: 15n * GWEI / 10n }) // effective 1.5 gwei
    await pool.add(old)
    await pool.add(typed)
    expect(pool.executable()).toEqual([typed, old])
  })

  it('breaks ties by arrival', async () => {
    const { pool } = makePool()
    const b0 = eip1559(KEY_B, 0n)
    const a0 = eip1559(KEY_A, 0n)
    await pool.add(b0)
    await pool.add(a0)
    expect(pool.executable()).toEqual([b0, a0])
  })

  it('stops a sender at its first transaction below the base fee', async () => {
    const { pool } = makePool()
    const a0 = eip1559(KEY_A, 0n, { maxFee: 5n * GWEI, tip: GWEI })
    const a1 = eip1559(KEY_A, 1n, { maxFee: 2n * GWEI, tip: GWEI })
    const a2 = eip1559(KEY_A, 2n, { maxFee: 5n * GWEI, tip: GWEI })
    const b0 = eip1559(KEY_B, 0n, { maxFee: 5n * GWEI, tip: GWEI })
    for (const tx of [a0, a1, a2, b0]) await pool.add(tx)
    expect(pool.executable()).toHaveLength(4)
    expect(pool.executable(Infinity, 3n * GWEI)).toEqual([a0, b0])
    expect(pool.executable(1, 3n * GWEI)).toEqual([a0])
  })

  it('hands out the sender recovered at admission', async () => {
    const { pool } = makePool()
    const a0 = eip1559(KEY_A, 0n)
    const b0 = eip1559(KEY_B, 0n)
    await pool.add(a0)
    await pool.add(b0)
    expect(pool.executable().map((tx) => pool.senderOf(tx).toString())).toEqual([ADDR_A, ADDR_B])
    const outside = eip1559(KEY_B, 5n)
    expect(pool.senderOf(outside).toString()).toBe(ADDR_B)
  })
})
