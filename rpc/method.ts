import { InvalidParamsError, NotificationsUnsupportedError } from './errors.ts'
import type { Validator } from './validators.ts'

/** The WebSocket a request came on: subscriptions push to it and clean up when it closes. */
export interface WsConnection {
  id: number
  /** Sends an `eth_subscription` notification; a no-op once the socket is closed. */
  notify(subscription: string, result: unknown): void
  /** Runs `fn` when the socket closes (at once if it already has). */
  onClose(fn: () => void): void
}

export interface RpcContext {
  transport: 'http' | 'ws'
  connection?: WsConnection
}

export type ParamValidators<P extends unknown[]> = { [K in keyof P]: Validator<P[K]> }

export interface RpcMethod<P extends unknown[], R> {
  params: ParamValidators<P>
  handler(params: P, ctx: RpcContext): Promise<R> | R
  /** Subscriptions: over HTTP the call is refused as geth refuses it. */
  wsOnly?: boolean
  /**
   * Starts, for all of this method's calls in one batch request, what they will need before they run one after
   * the other (eth_sendRawTransaction: the senders of a whole batch recovered at once, off the main
   * thread). Gets the params that pass the validators, which the calls then run on (parsed once); must
   * change nothing a call can observe, them included.
   */
  prefetch?(calls: P[]): Promise<void>
}

// `any`: one table holds methods of every signature.
export type MethodTable = Record<string, RpcMethod<any, any>>

/** Builds a method so that the handler's params are typed from the validators. */
export function defineMethod<P extends unknown[], R>(
  params: [...ParamValidators<P>],
  handler: (params: P, ctx: RpcContext) => Promise<R> | R,
  opts: { wsOnly?: boolean; prefetch?: (calls: P[]) => Promise<void> } = {},
): RpcMethod<P, R> {
  return { params: params as ParamValidators<P>, handler, ...opts }
}

/** Positional params checked as geth checks them (rpc/json.go parsePositionalArguments). */
export function parseParams<P extends unknown[]>(validators: ParamValidators<P>, raw: unknown): P {
  const args = raw === undefined || raw === null ? [] : raw
  if (!Array.isArray(args)) throw new InvalidParamsError('non-array args')
  const list = validators as readonly Validator<unknown>[]
  const parsed: unknown[] = []
  for (let i = 0; i < Math.max(args.length, list.length); i++) {
    if (i >= list.length) throw new InvalidParamsError(`too many arguments, want at most ${list.length}`)
    const validator = list[i]
    const value: unknown = args[i]
    if ((value === undefined || value === null) && !validator.optional) {
      throw new InvalidParamsError(`missing value for required argument ${i}`)
    }
    parsed.push(validator.parse(value, String(i)))
  }
  return parsed as P
}

/** Runs a method on raw params (or on `parsed`, what its validators made of them already); errors are thrown for the dispatcher to encode. */
export async function invokeMethod(method: RpcMethod<unknown[], unknown>, raw: unknown, ctx: RpcContext, parsed?: unknown[]): Promise<unknown> {
  if (method.wsOnly && ctx.transport !== 'ws') throw new NotificationsUnsupportedError()
  return method.handler(parsed ?? parseParams(method.params, raw), ctx)
}
