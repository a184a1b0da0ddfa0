/**
 * Traces of blocks built on devnet state edits replay from the edited state, not the parent's root:
 * Hardhat tests set a balance, send, then trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, ETHER, devWallet, hex, sendAndMine } from './helpers.ts'

describe('tracing after devnet state edits', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await spawnNode()
  })
  afterAll(() => t?.close())

  it('prestateTracer shows the balance anvil_setBalance gave, before the traced transaction', async () => {
    const edited = 123n * ETHER
    await t.call('anvil_setBalance', [DEV_ADDRESSES[3], hex(edited)])
    const receipt = await sendAndMine(t, devWallet(3), { to: DEV_ADDRESSES[4], value: 1n })
    const pre = await t.call('debug_traceTransaction', [receipt.transactionHash, { tracer: 'prestateTracer' }])
    expect(BigInt(pre[DEV_ADDRESSES[3]].balance)).toBe(edited)
    const calls = await t.call('debug_traceBlockByNumber', [receipt.blockNumber, { tracer: 'prestateTracer' }])
    expect(BigInt(calls[0].result[DEV_ADDRESSES[3]].balance)).toBe(edited)
  })
})
