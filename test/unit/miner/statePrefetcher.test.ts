import { createFeeMarket1559Tx } from '@ethereumjs/tx'
import type { Address, PrefixedHexString } from '@ethereumjs/util'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { pino } from 'pino'
import { StatePrefetcher } from '../../../node/miner/statePrefetcher.ts'
import { common, GWEI, KEY_A, KEY_B, makePool } from '../txpool/fixtures.ts'

const recipient = (i: number): PrefixedHexString => `0x${(0xa000 + i).toString(16).padStart(40, '0')}`

function transfer(key: Uint8Array, nonce: bigint, to: PrefixedHexString | undefined) {
  const fields = { nonce, maxFeePerGas: 2n * GWEI, maxPriorityFeePerGas: GWEI, gasLimit: to ? 21_000n : 100_000n, to }
  return createFeeMarket1559Tx(fields, { common }).sign(key)
}

const prefetchers: StatePrefetcher[] = []

function rig(read: (address: Address) => Promise<unknown> = async () => undefined) {
  const { pool } = makePool()
  const reads: string[] = []
  const logs: { msg: string }[] = []
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) })
  const headState = () => ({ getAccount: (address: Address) => (reads.push(address.toString()), read(address)) })
  const prefetcher = new StatePrefetcher(pool, headState, logger)
  prefetchers.push(prefetcher)
  prefetcher.start()
  return { pool, reads, logs, prefetcher }
}

/** Turns of the event loop until `cond` holds; fails after `max`. */
async function turnsUntil(cond: () => boolean, max = 100): Promise<number> {
  for (let turns = 0; turns < max; turns++) {
    if (cond()) return turns
    await nextTurn()
  }
  throw new Error('condition not met')
}

afterEach(() => {
  for (const p of prefetchers.splice(0)) p.stop()
})

describe('StatePrefetcher', () => {
  it('reads the recipient of each transaction once it is pending: not while it waits behind a nonce gap, nor for a creation', async () => {
    const { pool, reads } = rig()
    await pool.add(transfer(KEY_A, 1n, recipient(1)))
    await pool.add(transfer(KEY_B, 0n, undefined))
    await nextTurn()
    expect(reads).toEqual([])
    await pool.add(transfer(KEY_A, 0n, recipient(0)))
    await turnsUntil(() => reads.length === 2)
    expect(reads).toEqual([recipient(0), recipient(1)])
  })

  it('reads a few at a time, a turn of the event loop apart, until every recipient is read', async () => {
    const { pool, reads } = rig()
    for (let i = 0; i < 200; i++) await pool.add(transfer(KEY_A, BigInt(i), recipient(i)))
    await nextTurn()
    expect(reads.length).toBeGreaterThan(0)
    expect(reads.length).toBeLessThan(200)
    await turnsUntil(() => reads.length === 200)
    expect(reads).toEqual(Array.from({ length: 200 }, (_, i) => recipient(i)))
  })

  it('logs a read that fails and goes on with the next', async () => {
    const { pool, reads, logs } = rig(async (address) => {
      if (address.toString() === recipient(0)) throw new Error('disk gone')
    })
    await pool.add(transfer(KEY_A, 0n, recipient(0)))
    await turnsUntil(() => reads.length === 1)
    await turnsUntil(() => logs.some((l) => l.msg === 'state prefetch failed'))
    await pool.add(transfer(KEY_A, 1n, recipient(1)))
    await turnsUntil(() => reads.length === 2)
    expect(reads).toEqual([recipient(0), recipient(1)])
  })

  it('reads nothing once stopped, not even what was waiting', async () => {
    const { pool, reads, prefetcher } = rig()
    for (let i = 0; i < 3; i++) await pool.add(transfer(KEY_A, BigInt(i), recipient(i)))
    prefetcher.stop()
    await pool.add(transfer(KEY_A, 3n, recipient(3)))
    for (let i = 0; i < 5; i++) await nextTurn()
    expect(reads).toEqual([])
  })
})
