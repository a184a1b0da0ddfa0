import { createAddressFromString } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { TxPoolErrorCode } from '../../../node/txpool/errors.ts'
import { ADDR_A, ADDR_B, GWEI, KEY_A, KEY_B, eip1559, hex, legacy, makePool, series } from './fixtures.ts'

const A = createAddressFromString(ADDR_A)

describe('TxPool pending and queued', () => {
  it('queues a gapped transaction and promotes the run when the gap fills', async () => {
    const { pool, announced } = makePool()
    const [tx0, tx1, tx2, tx3] = series(KEY_A, 0n, 4)
    await pool.add(tx2)
    await pool.add(tx3)
    expect(pool.stats()).toEqual({ pending: 0, queued: 2 })
    expect(announced).toEqual([])
    expect(await pool.pendingNonce(A)).toBe(0n)

    await pool.add(tx1)
    expect(pool.stats()).toEqual({ pending: 0, queued: 3 })

    await pool.add(tx0)
    expect(pool.stats()).toEqual({ pending: 4, queued: 0 })
    expect(announced).toEqual([tx0, tx1, tx2, tx3].map((tx) => hex(tx.hash())))
    expect(await pool.pendingNonce(A)).toBe(4n)
  })

  it('starts the run at the account nonce in state', async () => {
    const { pool, state } = makePool()
    state.set(ADDR_A, 7n, 10n ** 18n)
    await pool.add(eip1559(KEY_A, 8n))
    expect(pool.stats()).toEqual({ pending: 0, queued: 1 })
    await pool.add(eip1559(KEY_A, 7n))
    expect(pool.stats()).toEqual({ pending: 2, queued: 0 })
    expect(await pool.pendingNonce(A)).toBe(9n)
  })

  it('keeps a sender\'s whole consecutive run pending (accountSlots is a guarantee, not a cap)', async () => {
    const { pool, announced } = makePool()
    for (const tx of series(KEY_A, 0n, 20)) await pool.add(tx)
    expect(pool.stats()).toEqual({ pending: 20, queued: 0 })
    expect(announced).toHaveLength(20)
    expect(pool.executable()).toHaveLength(20)
    expect(await pool.pendingNonce(A)).toBe(20n)
  })

  it('per-sender queue limit holds for each sender separately and is configurable', async () => {
    const { pool } = makePool({ limits: { accountQueue: 1 } })
    for (const tx of series(KEY_A, 0n, 2)) await pool.add(tx)
    await pool.add(eip1559(KEY_A, 3n))
    expect(pool.stats()).toEqual({ pending: 2, queued: 1 })
    await expect(pool.add(eip1559(KEY_A, 4n))).rejects.toMatchObject({
      code: TxPoolErrorCode.AccountLimitExceeded,
      message: 'account limit exceeded: pooled 3 txs',
    })
    await pool.add(eip1559(KEY_B, 5n))
    expect(pool.stats()).toEqual({ pending: 2, queued: 2 })
  })

  it('global limit: counts pending and queued of every sender; replacements still get in', async () => {
    const { pool } = makePool({ limits: { globalSlots: 3, accountSlots: 1 } })
    await pool.add(eip1559(KEY_A, 0n))
    await pool.add(eip1559(KEY_A, 2n))
    await pool.add(eip1559(KEY_B, 0n))
    await expect(pool.add(eip1559(KEY_B, 1n))).rejects.toMatchObject({ code: TxPoolErrorCode.PoolFull, message: 'txpool is full' })
    await pool.add(eip1559(KEY_B, 0n, { maxFee: 3n * GWEI, tip: 2n * GWEI }))
    expect(pool.stats()).toEqual({ pending: 2, queued: 1 })
  })

  it('a full pool still admits a sender below its guaranteed accountSlots pending', async () => {
    const { pool } = makePool({ limits: { globalSlots: 2, accountSlots: 2 } })
    await pool.add(eip1559(KEY_A, 0n))
    await pool.add(eip1559(KEY_A, 1n))
    await pool.add(eip1559(KEY_B, 0n))
    await pool.add(eip1559(KEY_B, 1n))
    await expect(pool.add(eip1559(KEY_B, 2n))).rejects.toMatchObject({ code: TxPoolErrorCode.PoolFull })
    expect(pool.stats()).toEqual({ pending: 4, queued: 0 })
  })

  it('content() lists pending and queued by sender and nonce, ascending', async () => {
    const { pool } = makePool()
    const b0 = eip1559(KEY_B, 0n)
    const a2 = eip1559(KEY_A, 2n)
    const a0 = eip1559(KEY_A, 0n)
    for (const tx of [b0, a2, a0]) await pool.add(tx)
    const { pending, queued } = pool.content()
    expect([...pending.keys()]).toEqual([ADDR_A, ADDR_B].sort())
    expect([...pending.get(ADDR_A)!.entries()]).toEqual([[0n, a0]])
    expect([...pending.get(ADDR_B)!.entries()]).toEqual([[0n, b0]])
    expect([...queued.entries()]).toEqual([[ADDR_A, new Map([[2n, a2]])]])
  })

  it('admits concurrent adds of one sender one after another', async () => {
    const { pool } = makePool()
    const txs = series(KEY_A, 0n, 5).reverse()
    await Promise.all(txs.map((tx) => pool.add(tx)))
    expect(pool.stats()).toEqual({ pending: 5, queued: 0 })
  })

  it('clear() empties the pool', async () => {
    const { pool } = makePool()
    const tx = eip1559(KEY_A, 0n)
    await pool.add(tx)
    pool.clear()
    expect(pool.stats()).toEqual({ pending: 0, queued: 0 })
    expect(pool.has(tx.hash())).toBe(false)
    await pool.add(tx)
    expect(pool.stats().pending).toBe(1)
  })
})

describe('TxPool replacement (same sender and nonce)', () => {
  const OLD = { maxFee: 100n * GWEI, tip: 10n * GWEI }

  it.each([
    ['fee cap bumped under 10%', { maxFee: 109n * GWEI, tip: 20n * GWEI }],
    ['tip bumped under 10%', { maxFee: 200n * GWEI, tip: 10n * GWEI + 999_999_999n }],
    ['tip unchanged', { maxFee: 200n * GWEI, tip: 10n * GWEI }],
    ['both lower', { maxFee: 50n * GWEI, tip: 5n * GWEI }],
  ])('refuses a replacement with %s', async (_, fees) => {
    const { pool } = makePool()
    const old = eip1559(KEY_A, 0n, OLD)
    await pool.add(old)
    await expect(pool.add(eip1559(KEY_A, 0n, fees))).rejects.toMatchObject({
      code: TxPoolErrorCode.ReplaceUnderpriced,
      message: 'replacement transaction underpriced',
    })
    expect(pool.has(old.hash())).toBe(true)
  })

  it('accepts a replacement with exactly 10% more of both, and forgets the old one', async () => {
    const { pool, announced } = makePool()
    const old = eip1559(KEY_A, 0n, OLD)
    const next = eip1559(KEY_A, 0n, { maxFee: 110n * GWEI, tip: 11n * GWEI })
    await pool.add(old)
    await pool.add(next)
    expect(pool.has(old.hash())).toBe(false)
    expect(pool.get(next.hash())).toBe(next)
    expect(pool.stats()).toEqual({ pending: 1, queued: 0 })
    expect(announced).toEqual([hex(old.hash()), hex(next.hash())])
    expect(pool.executable()).toEqual([next])
  })

  it('needs strictly higher caps even where 10% rounds to nothing (1 wei)', async () => {
    const { pool, head } = makePool()
    head.baseFee = 0n
    await pool.add(legacy(KEY_A, 0n, 1n))
    await expect(pool.add(legacy(KEY_A, 0n, 1n, { value: 1n }))).rejects.toMatchObject({
      code: TxPoolErrorCode.ReplaceUnderpriced,
    })
    await pool.add(legacy(KEY_A, 0n, 2n))
  })

  it('replaces a queued transaction by the same rule, without announcing it', async () => {
    const { pool, announced } = makePool()
    await pool.add(eip1559(KEY_A, 3n, OLD))
    const next = eip1559(KEY_A, 3n, { maxFee: 120n * GWEI, tip: 12n * GWEI })
    await pool.add(next)
    expect(pool.content().queued.get(ADDR_A)!.get(3n)).toBe(next)
    expect(announced).toEqual([])
  })
})
