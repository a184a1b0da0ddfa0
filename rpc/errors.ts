import { bytesToHex } from '@ethereumjs/util'

/**
 * JSON-RPC errors with the codes and messages geth uses (go-ethereum rpc/errors.go),
 * so tools that branch on them (ethers, viem, cast) behave as against geth.
 * Callers test the class or `code`, never the message.
 */
export class RpcError extends Error {
  readonly code: number
  readonly data?: unknown

  constructor(code: number, message: string, data?: unknown) {
    super(message)
    this.name = new.target.name
    this.code = code
    if (data !== undefined) this.data = data
  }
}

/** -32700: the body is not JSON. geth answers with id null and message `parse error`. */
export class ParseError extends RpcError {
  constructor(message = 'parse error') {
    super(-32700, message)
  }
}

/** -32600: JSON, but not a JSON-RPC request (geth: `invalid request`, `empty batch`, `batch too large`). */
export class InvalidRequestError extends RpcError {
  constructor(message = 'invalid request') {
    super(-32600, message)
  }
}

export class MethodNotFoundError extends RpcError {
  constructor(method: string) {
    super(-32601, `the method ${method} does not exist/is not available`)
  }
}

/** -32601 for an eth_subscribe kind that does not exist (geth's subscriptionNotFoundError). */
export class SubscriptionNotFoundError extends RpcError {
  constructor(kind: string, namespace: string) {
    super(-32601, `no "${kind}" subscription in ${namespace} namespace`)
  }
}

export class InvalidParamsError extends RpcError {
  constructor(message: string) {
    super(-32602, message)
  }
}

export class InternalError extends RpcError {
  constructor(message = 'internal error') {
    super(-32603, message)
  }
}

/** -32000: geth's code for any error a method returns without a code of its own. */
export class ServerError extends RpcError {
  constructor(message: string, data?: unknown) {
    super(-32000, message, data)
  }
}

/** Code 3 with the revert bytes as `data`, as geth answers eth_call / eth_estimateGas. */
export class ExecutionRevertedError extends RpcError {
  constructor(revertData: Uint8Array | string, reason?: string) {
    const data = typeof revertData === 'string' ? revertData : bytesToHex(revertData)
    super(3, reason ? `execution reverted: ${reason}` : 'execution reverted', data)
  }
}

/** -32005 (EIP-1474 "limit exceeded"): a request asks for more than the node will serve. */
export class LimitExceededError extends RpcError {
  constructor(message: string) {
    super(-32005, message)
  }
}

/** -32000 for a filter id that is unknown, uninstalled or expired (geth's errFilterNotFound). */
export class FilterNotFoundError extends RpcError {
  constructor() {
    super(-32000, 'filter not found')
  }
}

/** -32003: the results of a batch passed --rpc.batch-response-max-size (geth's errMsgResponseTooLarge). */
export class ResponseTooLargeError extends RpcError {
  constructor() {
    super(-32003, 'response too large')
  }
}

/** A subscription asked over HTTP. Current geth answers -32601 (older releases used -32001). */
export class NotificationsUnsupportedError extends RpcError {
  constructor() {
    super(-32601, 'notifications not supported')
  }
}

/** -38026 (geth's clientLimitExceededError): eth_simulateV1 asked for more than the node simulates. */
export class ClientLimitExceededError extends RpcError {
  constructor(message: string) {
    super(-38026, message)
  }
}

/** A call of eth_simulateV1 that could not run, with geth's -38xxx code for why (nonce, funds, gas, order). */
export class InvalidTransactionError extends RpcError {}
