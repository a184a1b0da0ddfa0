import { Address, bytesToBigInt, hexToBytes } from '@ethereumjs/util'
import type { VM } from '@ethereumjs/vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChainStateManager } from '../../../node/execution/state.ts'
import { C, contractsGenesis, openExecution, type ExecParts } from '../support/harness.ts'

/** SSTORE(0, 1), then return SLOAD(0). */
const STORE_AND_READ = hexToBytes('0x600160005560005460005260206000f3')

/** Return SLOAD(0). */
const READ_SLOT_0 = hexToBytes('0x60005460005260206000f3')

describe('CallExecutor isolation', () => {
  let parts: ExecParts
  beforeAll(async () => {
    parts = await openExecution({ genesis: contractsGenesis() })
  })
  afterAll(() => parts.kv.close())

  const head = () => parts.chain.headBlock

  it('writing calls, overrides and simulations leave nothing for the next block\'s batch', async () => {
    const calls = parts.execution.calls
    const state = { [C.storeAndLog]: { code: STORE_AND_READ, stateDiff: { [`0x${'0'.repeat(63)}1`]: `0x${'0'.repeat(63)}2` } } }
    for (let i = 0; i < 3; i++) {
      const out = await calls.call({ to: C.storeAndLog }, head(), { state })
      expect(bytesToBigInt(out.returnValue)).toBe(1n)
    }
    await calls.estimateGas({ to: C.storeAndLog }, head(), { state })
    await calls.simulate(head(), { blocks: [{ stateOverrides: state, calls: [{ to: C.storeAndLog }] }, { calls: [{ to: C.storeAndLog }] }], validation: false })
    expect(parts.store.drain()).toEqual([])
  })

  it('and the next call reads the chain\'s state again, not what the last one wrote', async () => {
    const calls = parts.execution.calls
    await calls.call({ to: C.storeAndLog }, head(), { state: { [C.storeAndLog]: { code: STORE_AND_READ } } })
    const slot0 = await parts.execution.stateAt(head()).getStorage(new Address(hexToBytes(C.storeAndLog)), new Uint8Array(32))
    const out = await calls.call({ to: C.storeAndLog }, head(), { state: { [C.storeAndLog]: { code: READ_SLOT_0 } } })
    expect(bytesToBigInt(out.returnValue)).toBe(bytesToBigInt(slot0))
    expect(bytesToBigInt(out.returnValue)).not.toBe(1n)
  })

  it('a call that throws inside the EVM leaves no checkpoint open: the next call runs on the chain\'s state', async () => {
    const calls = parts.execution.calls
    const state = (calls as unknown as { vm: VM }).vm.stateManager as ChainStateManager
    const getStorage = state.getStorage.bind(state)
    // A failed read mid-execution: ethereumjs throws out of the EVM with the message's checkpoint open.
    state.getStorage = async () => {
      throw new Error('disk read failed (test)')
    }
    const written = { [C.storeAndLog]: { code: STORE_AND_READ } }
    await expect(calls.call({ to: C.storeAndLog }, head(), { state: written })).rejects.toThrow('disk read failed (test)')
    state.getStorage = getStorage
    expect(state.checkpointDepth).toBe(0)
    const slot0 = await parts.execution.stateAt(head()).getStorage(new Address(hexToBytes(C.storeAndLog)), new Uint8Array(32))
    const out = await calls.call({ to: C.storeAndLog }, head(), { state: { [C.storeAndLog]: { code: READ_SLOT_0 } } })
    expect(bytesToBigInt(out.returnValue)).toBe(bytesToBigInt(slot0))
  })
})
