/** Execution reverted (REVERT opcode); `data` holds the revert bytes, `reason` the decoded Error(string) if any. */
export class ExecutionRevertedError extends Error {
  readonly code = 'EXECUTION_REVERTED'

  constructor(
    readonly data: Uint8Array,
    readonly reason: string | undefined,
  ) {
    super(reason === undefined ? 'execution reverted' : `execution reverted: ${reason}`)
  }
}

/** Execution halted for another reason (out of gas, invalid opcode, ...); the message is the EVM's. */
export class ExecutionHaltedError extends Error {
  readonly code = 'EXECUTION_HALTED'
}

/** The transaction could not be run at all (intrinsic gas, fee below base fee, ...). */
export class CallInvalidError extends Error {
  readonly code = 'CALL_INVALID'
}

/** eth_estimateGas found no gas limit up to the cap at which the call succeeds. */
export class GasRequiredExceedsAllowanceError extends Error {
  readonly code = 'GAS_EXCEEDS_ALLOWANCE'

  constructor(readonly allowance: bigint) {
    super(`gas required exceeds allowance (${allowance})`)
  }
}
