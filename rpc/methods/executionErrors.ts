import {
  CallInvalidError,
  CallTimeoutError,
  ExecutionHaltedError,
  ExecutionRevertedError,
  GasRequiredExceedsAllowanceError,
  InvalidOverrideError,
  SimulationError,
  type SimulationErrorKind,
} from '../../node/execution/errors.ts'
import { InvalidTransactionError, ExecutionRevertedError as RpcRevertedError, ServerError } from '../errors.ts'

/** geth's codes for eth_simulateV1's refusals (internal/ethapi/errors.go). */
const SIMULATION_CODES: Record<SimulationErrorKind, number> = {
  nonceTooLow: -38010,
  nonceTooHigh: -38011,
  intrinsicGas: -38013,
  insufficientFunds: -38014,
  blockGasLimitReached: -38015,
  blockNumberInvalid: -38020,
  blockTimestampInvalid: -38021,
  clientLimitExceeded: -38026,
  invalidFees: -32602,
  invalidTransaction: -32603,
}

/** Maps execution's typed errors to geth's JSON-RPC answers (code 3 with revert data; -32000 otherwise). */
export async function asRpcErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof ExecutionRevertedError) throw new RpcRevertedError(err.data, err.reason)
    if (err instanceof SimulationError) throw new InvalidTransactionError(SIMULATION_CODES[err.kind], err.message)
    if (
      err instanceof ExecutionHaltedError ||
      err instanceof CallInvalidError ||
      err instanceof GasRequiredExceedsAllowanceError ||
      err instanceof CallTimeoutError ||
      err instanceof InvalidOverrideError
    ) {
      throw new ServerError(err.message)
    }
    throw err
  }
}
