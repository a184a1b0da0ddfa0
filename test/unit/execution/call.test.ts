import { bytesToBigInt, bytesToHex, createAddressFromString } from '@ethereumjs/util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CallRequest } from '../../../node/execution/call.ts'
import { CallInvalidError, ExecutionHaltedError, ExecutionRevertedError, GasRequiredExceedsAllowanceError } from '../../../node/execution/errors.ts'
import {
  ADDR_A,
  C,
  CUSTOM_ERROR_DATA,
  GWEI,
  KEY_A,
  PROXY_ADDRESS,
  RETURN_42,
  SINK,
  contractsGenesis,
  deployCode,
  errorString,
  mineOn,
  openExecution,
  tx1559,
  word,
  type ExecParts,
} from '../support/harness.ts'

const hex = bytesToHex
const FROM = ADDR_A.toString()

/** The error a promise rejects with; fails if it resolves. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    (v) => {
      throw new Error(`expected a rejection, got ${String(v)}`)
    },
    (e: Error) => e,
  )
}

describe('CallExecutor', () => {
  let parts: ExecParts
  beforeAll(async () => {
    parts = await openExecution({ genesis: contractsGenesis() })
  })
  afterAll(() => parts.kv.close())

  const head = () => parts.chain.headBlock
  const call = (req: CallRequest) => parts.execution.calls.call(req, head())
  const estimate = (req: CallRequest) => parts.execution.calls.estimateGas(req, head())

  describe('call', () => {
    it('returns the return data and the gas used', async () => {
      const out = await call({ from: FROM, to: C.return42 })
      expect(hex(out.returnValue)).toBe(hex(word(42n)))
      // 21000 + 3 pushes, MSTORE (with memory expansion), 2 pushes: 21018.
      expect(out.gasUsed).toBe(21_018n)
    })

    it('runs without a sender, without funds and without fees', async () => {
      const out = await call({ to: C.return42 })
      expect(bytesToBigInt(out.returnValue)).toBe(42n)
    })

    it('refuses, as geth, a value the sender cannot pay', async () => {
      const err = await rejection(call({ to: C.return42, value: 10n ** 30n }))
      expect(err).toBeInstanceOf(CallInvalidError)
      expect(err.message).toBe(`insufficient funds for gas * price + value: address 0x${'00'.repeat(20)} have 0 want ${10n ** 30n}`)
    })

    it('refuses, as geth, gas below the intrinsic cost', async () => {
      const err = await rejection(call({ from: FROM, to: C.return42, gas: 20_000n }))
      expect(err).toBeInstanceOf(CallInvalidError)
      expect(err.message).toBe('intrinsic gas too low: have 20000, want 21000')
    })

    it('throws ExecutionRevertedError with the Error(string) reason and the revert data', async () => {
      const err = await rejection(call({ from: FROM, to: C.revertString }))
      expect(err).toBeInstanceOf(ExecutionRevertedError)
      const reverted = err as ExecutionRevertedError
      expect(reverted.reason).toBe('not allowed')
      expect(reverted.message).toBe('execution reverted: not allowed')
      expect(hex(reverted.data)).toBe(hex(errorString('not allowed')))
    })

    it('throws ExecutionRevertedError with a custom error’s data and no reason', async () => {
      const err = (await rejection(call({ from: FROM, to: C.revertCustom }))) as ExecutionRevertedError
      expect(err).toBeInstanceOf(ExecutionRevertedError)
      expect(err.reason).toBeUndefined()
      expect(err.message).toBe('execution reverted')
      expect(hex(err.data)).toBe(hex(CUSTOM_ERROR_DATA))
    })

    it('decodes a Panic(uint256) revert', async () => {
      const err = (await rejection(call({ to: C.revertPanic }))) as ExecutionRevertedError
      expect(err).toBeInstanceOf(ExecutionRevertedError)
      expect(err.reason).toBe('arithmetic underflow or overflow')
    })

    it('throws ExecutionHaltedError for the INVALID opcode and for running out of gas', async () => {
      const invalid = await rejection(call({ to: C.invalid }))
      expect(invalid).toBeInstanceOf(ExecutionHaltedError)
      expect(invalid.message).toMatch(/invalid opcode/)
      const oog = await rejection(call({ to: C.burn, gas: 100_000n }))
      expect(oog).toBeInstanceOf(ExecutionHaltedError)
      expect(oog.message).toMatch(/out of gas/)
    })

    it('throws CallInvalidError when the tx cannot run at all', async () => {
      const low = await rejection(call({ to: C.return42, gas: 20_000n }))
      expect(low).toBeInstanceOf(CallInvalidError)
      expect(low.message).toMatch(/gas/)
      // A priced call must pay at least the base fee (geth: "max fee per gas less than block base fee").
      const cheap = await rejection(call({ from: FROM, to: C.return42, gasPrice: 1n }))
      expect(cheap).toBeInstanceOf(CallInvalidError)
      // ... and with a price at the base fee it runs.
      const priced = await call({ from: FROM, to: C.return42, gasPrice: head().header.baseFeePerGas! })
      expect(bytesToBigInt(priced.returnValue)).toBe(42n)
    })

    it('leaves no trace in the state', async () => {
      const store = createAddressFromString(C.storeAndLog)
      await call({ from: FROM, to: C.storeAndLog, data: word(9n) })
      await call({ from: FROM, to: SINK, value: 5n })
      const state = parts.execution.stateAt(head())
      expect(hex(await state.getStorage(store, new Uint8Array(32)))).toBe('0x')
      expect(await state.getAccount(createAddressFromString(SINK))).toBeUndefined()
      expect((await state.getAccount(ADDR_A))!.nonce).toBe(0n)
    })
  })

  describe('estimateGas', () => {
    it('is 21000 for a plain transfer', async () => {
      expect(await estimate({ from: FROM, to: SINK, value: 1n })).toBe(21_000n)
      expect(await estimate({ from: FROM, to: SINK })).toBe(21_000n)
    })

    it('gives a contract call enough gas to succeed, within 1.5% above the least that does', async () => {
      const req: CallRequest = { from: FROM, to: PROXY_ADDRESS, data: word(5n) }
      const est = await estimate(req)
      await expect(call({ ...req, gas: est })).resolves.toBeDefined()
      // The least gas limit at which the call succeeds, by our own bisection over `call`.
      const succeeds = (gas: bigint) => call({ ...req, gas }).then(() => true, () => false)
      let lo = 21_000n
      let hi = est
      while (lo + 1n < hi) {
        const mid = (lo + hi) / 2n
        if (await succeeds(mid)) hi = mid
        else lo = mid
      }
      const minimum = hi
      expect(await succeeds(minimum - 1n)).toBe(false)
      const { gasUsed } = await call({ ...req, gas: est })
      // The 63/64 rule makes the least limit larger than the gas used: a naive estimate would fail.
      expect(minimum).toBeGreaterThan(gasUsed)
      expect(est).toBeGreaterThanOrEqual(minimum)
      expect(est * 1000n).toBeLessThanOrEqual(minimum * 1015n)
    })

    it('estimates a contract creation', async () => {
      const req: CallRequest = { from: FROM, data: deployCode(RETURN_42) }
      const est = await estimate(req)
      await expect(call({ ...req, gas: est })).resolves.toBeDefined()
      await expect(call({ ...req, gas: est - est / 50n })).rejects.toBeInstanceOf(ExecutionHaltedError)
    })

    it('reports a revert with its data, not a gas problem', async () => {
      const err = (await rejection(estimate({ from: FROM, to: C.revertString }))) as ExecutionRevertedError
      expect(err).toBeInstanceOf(ExecutionRevertedError)
      expect(err.reason).toBe('not allowed')
      expect(hex(err.data)).toBe(hex(errorString('not allowed')))
    })

    it('reports GasRequiredExceedsAllowanceError when no gas up to the given limit suffices', async () => {
      const err = await rejection(estimate({ from: FROM, to: C.storeAndLog, data: word(5n), gas: 30_000n }))
      expect(err).toBeInstanceOf(GasRequiredExceedsAllowanceError)
      expect((err as GasRequiredExceedsAllowanceError).allowance).toBe(30_000n)
      const burn = await rejection(estimate({ to: C.burn, gas: 1_000_000n }))
      expect(burn).toBeInstanceOf(GasRequiredExceedsAllowanceError)
      expect((burn as GasRequiredExceedsAllowanceError).allowance).toBe(1_000_000n)
      expect(burn.message).toBe('gas required exceeds allowance (1000000)')
    })

    it('runs on the state of the block it is given', async () => {
      const local = await openExecution({ genesis: contractsGenesis() })
      try {
        const genesis = local.chain.headBlock
        const sealed = await mineOn(local, [tx1559(local.common, KEY_A, 0n, { to: null, data: deployCode(RETURN_42), gasLimit: 100_000n })])
        const address = sealed.results[0].createdAddress!.toString()
        const before = await local.execution.calls.call({ to: address }, genesis)
        expect(hex(before.returnValue)).toBe('0x')
        const after = await local.execution.calls.call({ to: address }, sealed.block)
        expect(bytesToBigInt(after.returnValue)).toBe(42n)
        // And back again: the executor moves between roots both ways.
        expect(hex((await local.execution.calls.call({ to: address }, genesis)).returnValue)).toBe('0x')
        expect(await local.execution.calls.estimateGas({ to: address }, genesis)).toBe(21_000n)
        expect(await local.execution.calls.estimateGas({ to: address }, sealed.block)).toBeGreaterThan(21_000n)
      } finally {
        await local.kv.close()
      }
    })
  })

  describe('the RPC gas cap', () => {
    it('caps the gas of a call and the upper bound of an estimate', async () => {
      const capped = await openExecution({ genesis: contractsGenesis(), rpcGasCap: 100_000n })
      try {
        const block = capped.chain.headBlock
        const left = bytesToBigInt((await capped.execution.calls.call({ to: C.gasLeft, gas: 10_000_000n }, block)).returnValue)
        expect(left).toBeLessThan(100_000n - 21_000n)
        expect(left).toBeGreaterThan(100_000n - 21_100n)
        // A limit under the cap is kept as it is.
        const under = bytesToBigInt((await capped.execution.calls.call({ to: C.gasLeft, gas: 50_000n }, block)).returnValue)
        expect(under).toBeLessThan(50_000n - 21_000n)
        expect(under).toBeGreaterThan(50_000n - 21_100n)
        const err = await rejection(capped.execution.calls.estimateGas({ to: C.burn, gas: 10_000_000n }, block))
        expect(err).toBeInstanceOf(GasRequiredExceedsAllowanceError)
        expect((err as GasRequiredExceedsAllowanceError).allowance).toBe(100_000n)
      } finally {
        await capped.kv.close()
      }
    })

    it('without a cap (0, as geth’s --rpc.gascap 0) a call gets the gas it asks for', async () => {
      const uncapped = await openExecution({ genesis: contractsGenesis(), rpcGasCap: 0n })
      try {
        const block = uncapped.chain.headBlock
        const left = bytesToBigInt((await uncapped.execution.calls.call({ to: C.gasLeft, gas: 10_000_000n }, block)).returnValue)
        expect(left).toBeGreaterThan(10_000_000n - 21_100n)
        // With no gas given, a call gets the block gas limit.
        const byDefault = bytesToBigInt((await uncapped.execution.calls.call({ to: C.gasLeft }, block)).returnValue)
        expect(byDefault).toBeGreaterThan(block.header.gasLimit - 21_100n)
        expect(await uncapped.execution.calls.estimateGas({ to: C.return42 }, block)).toBeGreaterThan(21_000n)
      } finally {
        await uncapped.kv.close()
      }
    })
  })

  it('serves a tx fee cap in a call with EIP-1559 fields', async () => {
    const out = await call({ from: FROM, to: C.return42, maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: GWEI })
    expect(bytesToBigInt(out.returnValue)).toBe(42n)
    const low = await rejection(call({ from: FROM, to: C.return42, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }))
    expect(low).toBeInstanceOf(CallInvalidError)
  })
})
