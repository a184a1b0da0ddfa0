import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Account, Address, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import { runTx, type VM } from '@ethereumjs/vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callBlock, impersonatedTx } from '../../../node/execution/callContext.ts'
import { directCallsAllowed, qualifiesForDirectCall, runDirectCall, type CallRun } from '../../../node/execution/directCall.ts'
import type { ChainStateManager } from '../../../node/execution/state.ts'
import { ADDR_A, openExecution, type ExecParts } from '../support/harness.ts'

/** A tiny assembler: opcodes by name, `0x...` pushed with the shortest PUSH that holds it. */
const OPS: Record<string, number> = {
  STOP: 0x00, ADDRESS: 0x30, BALANCE: 0x31, ORIGIN: 0x32, CALLER: 0x33, CALLVALUE: 0x34, GASPRICE: 0x3a, EXTCODEHASH: 0x3f,
  COINBASE: 0x41, SELFBALANCE: 0x47, POP: 0x50, MSTORE: 0x52, SSTORE: 0x55, JUMP: 0x56, GAS: 0x5a, JUMPDEST: 0x5b, RETURN: 0xf3, REVERT: 0xfd,
}
function asm(...items: string[]): Uint8Array {
  return Uint8Array.from(
    items.flatMap((item) => {
      if (!item.startsWith('0x')) return [OPS[item]]
      const bytes = hexToBytes(item.length % 2 === 0 ? (item as `0x${string}`) : `0x0${item.slice(2)}`)
      return [0x5f + bytes.length, ...bytes]
    }),
  )
}

/** The words on the stack, top last, stored from memory offset 0 in order, then returned. */
function returnStack(count: number): string[] {
  const stores = Array.from({ length: count }, (_, i) => [`0x${((count - 1 - i) * 32).toString(16)}`, 'MSTORE']).flat()
  return [...stores, `0x${(count * 32).toString(16)}`, '0x00', 'RETURN']
}

/**
 * What a call can see of runTx's setup: gas left after touching the origin, the coinbase, a precompile,
 * itself and a cold address (their warmth), the origin's code hash (empty, or an account once its nonce
 * is raised), the gas price, origin, caller, value and its own balance.
 */
const OBSERVER = asm(
  'GAS', 'ORIGIN', 'BALANCE', 'POP', 'GAS', 'COINBASE', 'BALANCE', 'POP', 'GAS', '0x01', 'BALANCE', 'POP', 'GAS',
  'ADDRESS', 'BALANCE', 'POP', 'GAS', '0xdead', 'BALANCE', 'POP', 'GAS',
  'ORIGIN', 'EXTCODEHASH', 'GASPRICE', 'ORIGIN', 'CALLER', 'CALLVALUE', 'SELFBALANCE', ...returnStack(12),
)
/** Sets a fresh slot and clears it again: a refund, capped at a fifth of the gas spent. */
const REFUNDER = asm('0x01', '0x00', 'SSTORE', '0x00', '0x00', 'SSTORE', 'STOP')
/** Reverts with 0xdeadbeef. */
const REVERTER = asm('0xdeadbeef', '0x00', 'MSTORE', '0x04', '0x1c', 'REVERT')
/** Loops until its gas runs out. */
const LOOPER = asm('JUMPDEST', '0x00', 'JUMP')

const TARGET = createAddressFromString('0x00000000000000000000000000000000000c0de0')
const FRESH = '0x00000000000000000000000000000000000f4e54'

describe('direct calls (evm.runCall without runTx)', () => {
  let parts: ExecParts
  let vm: VM
  let block: Block
  beforeAll(async () => {
    parts = await openExecution()
    // The call executor's own VM, at the head (one call positions it).
    await parts.execution.calls.call({ to: FRESH }, parts.chain.headBlock)
    vm = (parts.execution.calls as unknown as { vm: VM }).vm
    // As the executor runs a call without a price: in the head's context, with a zero base fee.
    block = callBlock(vm.common, parts.chain.headBlock, false, 1_000_000n)
  })
  afterAll(() => parts.kv.close())

  /** `run` on `code` at TARGET (and `from` funded with `funds`), every change reverted after. */
  async function onFreshState<T>(code: Uint8Array, run: () => Promise<T>, from?: Address, funds = 0n): Promise<T> {
    const state = vm.stateManager as ChainStateManager
    await state.checkpoint()
    try {
      await state.putCode(TARGET, code)
      if (from && funds > 0n) await state.putAccount(from, new Account(0n, funds))
      return await run()
    } finally {
      await state.revert()
    }
  }

  async function bothWays(code: Uint8Array, req: { from?: string; value?: bigint; gas?: bigint; data?: Uint8Array }, funds = 0n): Promise<[CallRun | undefined, CallRun]> {
    const tx: TypedTransaction = impersonatedTx(vm.common, { to: TARGET.toString(), ...req }, req.gas ?? 1_000_000n)
    const from = req.from ? createAddressFromString(req.from) : undefined
    const direct = await onFreshState(code, () => runDirectCall(vm, tx, block), from, funds)
    const full = await onFreshState(code, () => runTx(vm, { tx, block, skipNonce: true, skipBalance: true, skipBlockGasLimitValidation: true, skipHardForkValidation: true }), from, funds)
    return [direct, full]
  }

  function expectSameOutcome(direct: CallRun | undefined, full: CallRun): void {
    expect(direct).toBeDefined()
    expect(direct!.execResult.returnValue).toEqual(full.execResult.returnValue)
    expect(direct!.execResult.exceptionError?.error).toBe(full.execResult.exceptionError?.error)
    expect(direct!.execResult.executionGasUsed).toBe(full.execResult.executionGasUsed)
    expect(direct!.totalGasSpent).toBe(full.totalGasSpent)
    expect(direct!.gasRefund).toBe(full.gasRefund)
  }

  it('holds under the chain\'s rules, for a priceless call to an address only', () => {
    expect(directCallsAllowed(vm.common)).toBe(true)
    expect(qualifiesForDirectCall(impersonatedTx(vm.common, { to: FRESH }, 100_000n))).toBe(true)
    expect(qualifiesForDirectCall(impersonatedTx(vm.common, {}, 100_000n))).toBe(false)
    expect(qualifiesForDirectCall(impersonatedTx(vm.common, { to: FRESH, gasPrice: 1n }, 100_000n))).toBe(false)
    expect(qualifiesForDirectCall(impersonatedTx(vm.common, { to: FRESH, maxFeePerGas: 1n }, 100_000n))).toBe(false)
    expect(qualifiesForDirectCall(impersonatedTx(vm.common, { to: FRESH, accessList: [] }, 100_000n))).toBe(false)
  })

  it('sees the same warm addresses, origin, nonce, price and balances as runTx, from no sender and from a funded one', async () => {
    for (const req of [{}, { from: FRESH }, { from: ADDR_A.toString(), value: 1_000n }]) {
      const [direct, full] = await bothWays(OBSERVER, req, 10n ** 18n)
      expect(full.execResult.exceptionError).toBeUndefined()
      expectSameOutcome(direct, full)
    }
  })

  it('counts the same capped refund, revert data and out-of-gas as runTx', async () => {
    for (const [code, gas] of [[REFUNDER, 100_000n], [REVERTER, 100_000n], [LOOPER, 60_000n]] as const) {
      const [direct, full] = await bothWays(code, { gas, data: hexToBytes('0x00ff00ff') })
      expectSameOutcome(direct, full)
    }
    const [refunded] = await bothWays(REFUNDER, { gas: 100_000n })
    expect(refunded!.gasRefund).toBeGreaterThan(0n)
    expect(refunded!.totalGasSpent).toBeLessThan(refunded!.execResult.executionGasUsed + 21_000n)
  })

  it('leaves to runTx a sender with code (which runTx refuses) and a gas limit under the intrinsic cost', async () => {
    const fromContract = impersonatedTx(vm.common, { to: TARGET.toString(), from: TARGET.toString() }, 100_000n)
    expect(await onFreshState(OBSERVER, () => runDirectCall(vm, fromContract, block))).toBeUndefined()
    await expect(onFreshState(OBSERVER, () => runTx(vm, { tx: fromContract, block, skipNonce: true, skipBalance: true }))).rejects.toThrow('EIP-3607')
    const short = impersonatedTx(vm.common, { to: TARGET.toString() }, 20_000n)
    expect(await onFreshState(OBSERVER, () => runDirectCall(vm, short, block))).toBeUndefined()
  })
})
