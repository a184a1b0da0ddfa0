import { CallInvalidError, ExecutionHaltedError, ExecutionRevertedError, GasRequiredExceedsAllowanceError } from '../../node/execution/errors.ts'
import { ExecutionRevertedError as RpcRevertedError, ServerError } from '../errors.ts'

/** Maps execution's typed errors to geth's JSON-RPC answers (code 3 with revert data; -32000 otherwise). */
export async function asRpcErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof ExecutionRevertedError) throw new RpcRevertedError(err.data, err.reason)
    if (err instanceof ExecutionHaltedError || err instanceof CallInvalidError || err instanceof GasRequiredExceedsAllowanceError) {
      throw new ServerError(err.message)
    }
    throw err
  }
}
