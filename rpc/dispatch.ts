import type { Logger } from 'pino'
import {
  InternalError,
  InvalidRequestError,
  MethodNotFoundError,
  ParseError,
  ResponseTooLargeError,
  RpcError,
  ServerError,
} from './errors.ts'
import { toJson } from './json.ts'
import { invokeMethod, parseParams, type MethodTable, type RpcContext, type RpcMethod } from './method.ts'
import { hasFragileIds, rawIds } from './rawIds.ts'

/** geth's default BatchRequestLimit. */
export const DEFAULT_MAX_BATCH_ITEMS = 1000
const MAX_METHOD_NAME_LENGTH = 2048

export interface DispatchOptions {
  ctx: RpcContext
  logger: Logger
  /** Most requests in a batch; 0 = no limit. */
  maxBatchItems?: number
  /** Most bytes of results to one batch before the rest is refused; 0 or absent = no limit. */
  maxBatchResponseBytes?: number
}

/** One response: its text, and the size of its result (0 for an error), which the batch limit counts. */
interface Reply {
  text: string
  resultBytes: number
}

/** A request as geth classifies it (rpc/json.go isCall / isNotification). */
type Message =
  | { kind: 'call'; id: unknown; method: string; params: unknown }
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'invalid'; id: unknown }

/**
 * Answers one HTTP body or WebSocket message. Returns the response text, or undefined when
 * nothing is owed (notifications only). Never throws: every failure becomes a JSON-RPC error.
 */
export async function dispatch(body: string, table: MethodTable, opts: DispatchOptions): Promise<string | undefined> {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return errorResponse('null', new ParseError())
  }
  // Only for ids JSON.parse would change: scanning the body again costs a pass over it.
  const ids = hasFragileIds(parsed) ? rawIds(body) : []
  if (!Array.isArray(parsed)) {
    // A prefetch only pays for a batch: a single call recovers its own sender.
    return (await answer(parsed, ids[0], table, opts))?.text
  }
  if (parsed.length === 0) return errorResponse('null', new InvalidRequestError('empty batch'))
  const maxItems = opts.maxBatchItems ?? DEFAULT_MAX_BATCH_ITEMS
  if (maxItems > 0 && parsed.length > maxItems) {
    return `[${errorResponse(firstCallId(parsed, ids), new InvalidRequestError('batch too large'))}]`
  }
  const prefetched = await prefetch(parsed, table, opts)
  const responses = await answerBatch(parsed, ids, table, opts, prefetched)
  return responses.length > 0 ? `[${responses.join(',')}]` : undefined
}

/**
 * In order, one after the other, so a batch sees the effects of its earlier calls. Once the results
 * pass the response limit, the calls not yet run are answered with -32003, as geth's handleBatch does.
 */
async function answerBatch(batch: unknown[], ids: (string | undefined)[], table: MethodTable, opts: DispatchOptions, prefetched: Prefetched): Promise<string[]> {
  const responses: string[] = []
  let resultBytes = 0
  for (const [i, raw] of batch.entries()) {
    const reply = await answer(raw, ids[i], table, opts, prefetched.get(raw))
    if (reply === undefined) continue
    responses.push(reply.text)
    resultBytes += reply.resultBytes
    if (opts.maxBatchResponseBytes && resultBytes > opts.maxBatchResponseBytes) {
      const rest = batch.slice(i + 1).map((raw, j) => [raw, ids[i + 1 + j]] as const)
      return [...responses, ...refused(rest, new ResponseTooLargeError())]
    }
  }
  return responses
}

/** The params of the calls a prefetch took, by their message: parsed once, for the prefetch and the call. */
type Prefetched = Map<unknown, unknown[]>

/**
 * Hands each method that prefetches the params of all its calls among `messages`. Calls that will fail
 * (invalid, unknown method, bad params) are left out: they are refused when they run, as without this.
 */
async function prefetch(messages: unknown[], table: MethodTable, opts: DispatchOptions): Promise<Prefetched> {
  const calls = new Map<RpcMethod<unknown[], unknown>, unknown[][]>()
  const prefetched: Prefetched = new Map()
  for (const raw of messages) {
    const message = classify(raw)
    if (message.kind === 'invalid' || !Object.hasOwn(table, message.method)) continue
    const method = table[message.method]
    const params = method.prefetch && parsedOrUndefined(method, message.params)
    if (!params) continue
    const ofMethod = calls.get(method) ?? calls.set(method, []).get(method)!
    ofMethod.push(params)
    prefetched.set(raw, params)
  }
  await Promise.all([...calls].map(([method, params]) => method.prefetch!(params).catch((err) => opts.logger.warn({ err }, 'RPC prefetch failed'))))
  return prefetched
}

function parsedOrUndefined(method: RpcMethod<unknown[], unknown>, raw: unknown): unknown[] | undefined {
  try {
    return parseParams(method.params, raw)
  } catch {
    return undefined
  }
}

/** `err` for every element that is owed an answer (all but notifications). */
function refused(batch: (readonly [unknown, string | undefined])[], err: RpcError): string[] {
  return batch.flatMap(([raw, rawId]) => {
    const message = classify(raw)
    return message.kind === 'notification' ? [] : [errorResponse(idJson(message.id, rawId), err)]
  })
}

function classify(raw: unknown): Message {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { kind: 'invalid', id: null }
  const fields = raw as Record<string, unknown>
  const hasId = Object.hasOwn(fields, 'id')
  const validId = hasId && (typeof fields.id !== 'object' || fields.id === null)
  const method = typeof fields.method === 'string' ? fields.method : ''
  const wellFormed = fields.jsonrpc === '2.0' && method !== ''
  if (wellFormed && !hasId) return { kind: 'notification', method, params: fields.params }
  if (wellFormed && validId) return { kind: 'call', id: fields.id, method, params: fields.params }
  return { kind: 'invalid', id: validId ? fields.id : null }
}

/** geth puts the first call's id on the single "batch too large" answer. */
function firstCallId(batch: unknown[], ids: (string | undefined)[]): string {
  for (const [i, raw] of batch.entries()) {
    const message = classify(raw)
    if (message.kind === 'call') return idJson(message.id, ids[i])
  }
  return 'null'
}

/** The id as JSON text: as the client wrote it when that is known, else as parsed; null for an invalid id. */
function idJson(id: unknown, rawId: string | undefined): string {
  if (id === null || typeof id === 'object') return 'null'
  return rawId ?? JSON.stringify(id)
}

async function answer(raw: unknown, rawId: string | undefined, table: MethodTable, opts: DispatchOptions, parsedParams?: unknown[]): Promise<Reply | undefined> {
  const message = classify(raw)
  if (message.kind === 'invalid') return { text: errorResponse(idJson(message.id, rawId), new InvalidRequestError()), resultBytes: 0 }
  const outcome = await run(message.method, message.params, table, opts, parsedParams)
  if (message.kind === 'notification') return undefined
  const id = idJson(message.id, rawId)
  return 'error' in outcome ? { text: errorResponse(id, outcome.error), resultBytes: 0 } : resultResponse(id, outcome.result)
}

async function run(
  name: string,
  params: unknown,
  table: MethodTable,
  opts: DispatchOptions,
  parsedParams?: unknown[],
): Promise<{ result: unknown } | { error: RpcError }> {
  try {
    if (name.length > MAX_METHOD_NAME_LENGTH) {
      throw new InvalidRequestError(`method name too long: ${name.length} > ${MAX_METHOD_NAME_LENGTH}`)
    }
    return { result: await invokeMethod(lookup(table, name), params, opts.ctx, parsedParams) }
  } catch (err) {
    return { error: toRpcError(err, name, opts.logger) }
  }
}

/** Own properties only: "constructor" or "__proto__" must not resolve to Object's. */
function lookup(table: MethodTable, name: string): RpcMethod<unknown[], unknown> {
  if (!Object.hasOwn(table, name)) throw new MethodNotFoundError(name)
  return table[name]
}

/** Programming errors, the JS counterpart of a Go panic: not the caller's business. */
const CRASHES = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError, URIError]

/** Coded errors pass through; other Errors become -32000 with their message, as geth does; crashes -32603. */
function toRpcError(err: unknown, method: string, logger: Logger): RpcError {
  if (err instanceof RpcError) {
    logger.debug({ method, code: err.code, message: err.message }, 'RPC call failed')
    return err
  }
  logger.warn({ method, err }, 'RPC method threw')
  const crashed = !(err instanceof Error) || CRASHES.some((type) => err instanceof type)
  return crashed ? new InternalError('method handler crashed') : new ServerError(err.message)
}

function resultResponse(id: string, result: unknown): Reply {
  try {
    // Most results are one hex string, which needs no replacer.
    const json = typeof result === 'string' ? JSON.stringify(result) : toJson(result ?? null)
    return { text: `{"jsonrpc":"2.0","id":${id},"result":${json}}`, resultBytes: Buffer.byteLength(json) }
  } catch (err) {
    return { text: errorResponse(id, new InternalError(`cannot encode result: ${(err as Error).message}`)), resultBytes: 0 }
  }
}

/** `id` is JSON text already (see idJson). */
function errorResponse(id: string, err: RpcError): string {
  const error = { code: err.code, message: err.message }
  return `{"jsonrpc":"2.0","id":${id},"error":${errorJson(error, err.data)}}`
}

/** The error object; without `data` if that cannot be encoded. */
function errorJson(error: { code: number; message: string }, data: unknown): string {
  if (data === undefined) return toJson(error)
  try {
    return toJson({ ...error, data })
  } catch {
    return toJson(error)
  }
}
