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

/** What an imported block failed: one code per check (geth's ValidateHeader, ValidateBody, ValidateState). */
export type BlockCheck =
  | 'MALFORMED'
  | 'GENESIS_MISMATCH'
  | 'UNKNOWN_PARENT'
  | 'CONFLICTS_WITH_CHAIN'
  | 'NUMBER'
  | 'TIMESTAMP'
  | 'GAS_LIMIT'
  | 'BASE_FEE'
  | 'EXTRA_DATA'
  | 'DIFFICULTY'
  | 'NONCE'
  | 'EXCESS_BLOB_GAS'
  | 'UNCLES'
  | 'TX_ROOT'
  | 'WITHDRAWALS'
  | 'BLOB_GAS_USED'
  | 'INVALID_TX'
  | 'GAS_USED'
  | 'LOGS_BLOOM'
  | 'RECEIPTS_ROOT'
  | 'STATE_ROOT'

/**
 * A block refused on import; the message names the block and the check ("block 57: state root
 * mismatch: ..."). `number` is undefined only for bytes that do not even decode as a header.
 */
export class BlockImportError extends Error {
  constructor(
    readonly number: bigint | undefined,
    readonly code: BlockCheck,
    detail: string,
  ) {
    super(number === undefined ? detail : `block ${number}: ${detail}`)
  }
}

/** The call ran past the RPC time limit (geth's --rpc.evmtimeout); worded as geth words it. */
export class CallTimeoutError extends Error {
  readonly code = 'CALL_TIMEOUT'

  constructor(timeoutMs: number) {
    super(`execution aborted (timeout = ${goDuration(timeoutMs)})`)
  }
}

/** A state or block override that cannot be applied (geth's override.Apply errors). */
export class InvalidOverrideError extends Error {
  readonly code = 'INVALID_OVERRIDE'
}

/** Go's time.Duration.String() of whole milliseconds: 500ms, 5s, 1.5s, 2m0s. */
function goDuration(ms: number): string {
  if (ms < 1_000) return `${ms}ms`
  const minutes = Math.floor(ms / 60_000)
  const seconds = `${(ms % 60_000) / 1_000}s`
  return minutes === 0 ? seconds : `${minutes}m${seconds}`
}

/** Why eth_simulateV1 refused its input or one of its calls; the RPC layer maps each kind to geth's code. */
export type SimulationErrorKind =
  | 'nonceTooLow'
  | 'nonceTooHigh'
  | 'intrinsicGas'
  | 'insufficientFunds'
  | 'blockGasLimitReached'
  | 'blockNumberInvalid'
  | 'blockTimestampInvalid'
  | 'clientLimitExceeded'
  | 'invalidFees'
  | 'invalidTransaction'

export class SimulationError extends Error {
  readonly code = 'SIMULATION_FAILED'

  constructor(
    readonly kind: SimulationErrorKind,
    message: string,
  ) {
    super(message)
  }
}

/** The installed @ethereumjs/evm lacks the interpreter method the jump-analysis cache wraps (an upgrade moved it). */
export class InterpreterHookMissingError extends Error {
  readonly code = 'INTERPRETER_HOOK_MISSING'

  constructor() {
    super('the installed @ethereumjs/evm has no Interpreter.prototype._getValidJumpDestinations: node/execution/jumpAnalysis.ts needs updating')
  }
}

/** A flush below the outermost checkpoint, on a state manager whose trie keeps no checkpoints to undo it. */
export class FlushUnderCheckpointError extends Error {
  readonly code = 'FLUSH_UNDER_CHECKPOINT'

  constructor(depth: number) {
    super(`state flushed under ${depth} open checkpoint(s), which this state manager's trie could not revert`)
  }
}
