import { EventEmitter } from 'node:events'
import type { TypedTransaction } from '@ethereumjs/tx'
import { afterEach, describe, expect, it } from 'vitest'
import { ChainEvents } from '../../../node/chain/events.ts'
import type { TxPoolEvents } from '../../../node/txpool/types.ts'
import { FILTER_TIMEOUT_MS, FilterStore } from '../../../rpc/filters/filterStore.ts'

class FakePool extends EventEmitter<TxPoolEvents> {
  get(): TypedTransaction | undefined {
    return { hash: () => new Uint8Array(32) } as unknown as TypedTransaction
  }
}

const stores: FilterStore[] = []
afterEach(() => stores.splice(0).forEach((s) => s.close()))

function store(clock: { now: number }) {
  const chain = new ChainEvents()
  const txpool = new FakePool()
  const filters = new FilterStore({ chain, txpool, now: () => clock.now })
  stores.push(filters)
  return { chain, txpool, filters }
}

describe('FilterStore', () => {
  it("expires a filter idle for geth's 5 minutes; a poll restarts the deadline", () => {
    const clock = { now: 0 }
    const { filters } = store(clock)
    const idle = filters.installBlocks()
    const polled = filters.installBlocks()
    clock.now = FILTER_TIMEOUT_MS - 1
    filters.sweep()
    expect(filters.takeChanges(polled)).toEqual({ kind: 'blocks', hashes: [] })
    clock.now = FILTER_TIMEOUT_MS
    filters.sweep()
    expect(filters.takeChanges(idle)).toBeUndefined()
    expect(filters.takeChanges(polled)).toEqual({ kind: 'blocks', hashes: [] })
    clock.now = 2 * FILTER_TIMEOUT_MS + 5
    filters.sweep()
    expect(filters.takeChanges(polled)).toBeUndefined()
  })

  it('listens to the chain and the pool only while a filter needs them, and not after close', () => {
    const { chain, txpool, filters } = store({ now: 0 })
    expect(chain.listenerCount('head')).toBe(0)
    const blocks = filters.installBlocks()
    const pending = filters.installPendingTxs(false)
    expect([chain.listenerCount('head'), txpool.listenerCount('pending')]).toEqual([1, 1])
    filters.uninstall(pending)
    expect([chain.listenerCount('head'), txpool.listenerCount('pending')]).toEqual([1, 0])
    filters.installPendingTxs(true)
    filters.close()
    expect(filters.takeChanges(blocks)).toBeUndefined()
    expect([chain.listenerCount('head'), txpool.listenerCount('pending')]).toEqual([0, 0])
  })
})
