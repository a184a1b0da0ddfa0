import { createFeeMarket1559Tx } from '@ethereumjs/tx'
import { bytesToHex } from '@ethereumjs/util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TrieStore } from '../../../node/db/trieStore.ts'
import { Execution } from '../../../node/execution/execution.ts'
import { createStateManager } from '../../../node/execution/state.ts'
import { ADDR_A, GWEI, KEY_A, KEY_B, SINK, mineOn, openExecution, openChainParts, tempDir, tx1559, type ExecParts } from '../support/harness.ts'

const hex = bytesToHex

describe('Execution', () => {
  let parts: ExecParts
  let remove: () => Promise<void>
  let dir: string
  beforeEach(async () => {
    ;({ dir, remove } = await tempDir('olnode-exec-'))
    parts = await openExecution({ dir })
  })
  afterEach(async () => {
    await parts.kv.close().catch(() => undefined)
    await remove()
  })

  async function vmNonceOfA(): Promise<bigint> {
    return (await parts.execution.vm.stateManager.getAccount(ADDR_A))?.nonce ?? 0n
  }

  it('a build that throws part-way leaves the VM at the head state and nothing pending', async () => {
    const head = parts.chain.headBlock
    const unsigned = createFeeMarket1559Tx({ nonce: 0n, to: SINK, gasLimit: 21_000n, maxFeePerGas: 10n * GWEI }, { common: parts.common })
    // The first tx runs (A's nonce becomes 1 in the VM), then the unsigned one throws.
    await expect(parts.execution.buildOnHead([tx1559(parts.common, KEY_A, 0n), unsigned as never], { timestamp: 1n, coinbase: new Uint8Array(20) })).rejects.toThrow()
    expect(hex(await parts.execution.vm.stateManager.getStateRoot())).toBe(hex(head.header.stateRoot))
    expect(await vmNonceOfA()).toBe(0n)
    expect(parts.store.drain()).toEqual([])
    // So A's nonce 0 is still the next one.
    const sealed = await mineOn(parts, [tx1559(parts.common, KEY_A, 0n, { value: 5n })])
    expect(sealed.rejected).toEqual([])
    expect(sealed.block.transactions).toHaveLength(1)
  })

  it('resetToHead drops a built block that was never committed', async () => {
    const head = parts.chain.headBlock
    const built = await parts.execution.buildOnHead([tx1559(parts.common, KEY_A, 0n)], { timestamp: 1n, coinbase: new Uint8Array(20) })
    expect(await vmNonceOfA()).toBe(1n)
    expect(hex(built.block.header.stateRoot)).not.toBe(hex(head.header.stateRoot))
    await parts.execution.resetToHead()
    expect(hex(await parts.execution.vm.stateManager.getStateRoot())).toBe(hex(head.header.stateRoot))
    expect(await vmNonceOfA()).toBe(0n)
    const again = await parts.execution.buildOnHead([tx1559(parts.common, KEY_A, 0n)], { timestamp: 1n, coinbase: new Uint8Array(20) })
    expect(hex(again.block.hash())).toBe(hex(built.block.hash()))
  })

  it('resetToHead recovers a head VM left with open checkpoints (a transaction that threw inside the EVM)', async () => {
    const state = parts.execution.vm.stateManager
    await state.checkpoint()
    await state.putAccount(ADDR_A, undefined)
    await state.checkpoint()
    await parts.execution.resetToHead()
    expect(await vmNonceOfA()).toBe(0n)
    expect((await state.getAccount(ADDR_A))?.balance).toBeGreaterThan(0n)
    const sealed = await mineOn(parts, [tx1559(parts.common, KEY_A, 0n, { value: 5n })])
    expect(sealed.block.transactions).toHaveLength(1)
    // The block's state reached the database (an open checkpoint would have held its trie nodes back).
    const stored = createStateManager(parts.common, new TrieStore(parts.kv), sealed.block.header.stateRoot)
    expect((await stored.getAccount(ADDR_A))?.nonce).toBe(1n)
  })

  it('stateAt reads any stored block’s state without moving the head VM', async () => {
    const b1 = (await mineOn(parts, [tx1559(parts.common, KEY_A, 0n, { value: 10n })])).block
    const b2 = (await mineOn(parts, [tx1559(parts.common, KEY_A, 1n, { value: 10n }), tx1559(parts.common, KEY_B, 0n, { value: 10n })])).block
    const g = await parts.chain.blockByNumber(0n)
    expect((await parts.execution.stateAt(g!).getAccount(ADDR_A))!.nonce).toBe(0n)
    expect((await parts.execution.stateAt(b1).getAccount(ADDR_A))!.nonce).toBe(1n)
    expect((await parts.execution.stateAt(b2).getAccount(ADDR_A))!.nonce).toBe(2n)
    expect(hex(await parts.execution.vm.stateManager.getStateRoot())).toBe(hex(b2.header.stateRoot))
  })

  it('resumes on a reopened datadir at the head state', async () => {
    await mineOn(parts, [tx1559(parts.common, KEY_A, 0n)])
    const head = (await mineOn(parts, [tx1559(parts.common, KEY_A, 1n)])).block
    await parts.kv.close()
    const reopened = await openChainParts({ dir })
    const execution = await Execution.create(reopened.common, reopened.store, reopened.chain, { rpcGasCap: 50_000_000n, evmTimeoutMs: 0 })
    parts = { ...reopened, execution }
    expect(hex(await execution.vm.stateManager.getStateRoot())).toBe(hex(head.header.stateRoot))
    const stale = tx1559(parts.common, KEY_A, 1n, { value: 1n })
    const sealed = await mineOn(parts, [stale, tx1559(parts.common, KEY_B, 0n)])
    expect(sealed.rejected.map((r) => hex(r.tx.hash()))).toEqual([hex(stale.hash())])
    expect(sealed.block.header.number).toBe(3n)
    expect((await mineOn(parts, [tx1559(parts.common, KEY_A, 2n)])).block.transactions).toHaveLength(1)
  })
})
