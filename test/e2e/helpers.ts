/**
 * Shared helpers of the end-to-end suite. The suite runs against a real devnet process, either
 * olnode (the default) or anvil (`E2E_KIND=anvil`), which is the reference the tests were checked on.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { computeAddress } from 'ethers'
import { parseAbi } from 'viem'
import { spawnDevnetProcess, type DevnetKind, type DevnetProcess } from '../support/devnetProcess.ts'
import { DEV_KEYS } from '../support/devKeys.ts'

export { DEV_KEYS }

export type { DevnetKind, DevnetProcess }

export const KIND = (process.env.E2E_KIND ?? 'olnode') as DevnetKind
if (KIND !== 'olnode' && KIND !== 'anvil') throw new Error(`E2E_KIND must be olnode or anvil, not ${String(KIND)}`)
export const IS_OLNODE = KIND === 'olnode'
export const IS_ANVIL = KIND === 'anvil'

export const CHAIN_ID = 1337
export const ETHER = 10n ** 18n
export const GWEI = 10n ** 9n
/** Every dev account starts with 10,000 OPEN. */
export const DEV_BALANCE = 10_000n * ETHER

export const DEV_ADDRESSES = DEV_KEYS.map((k) => computeAddress(k) as `0x${string}`)

/** The Token fixture's interface, typed for viem (checked against solc's ABI in erc20-viem.test.ts). */
export const tokenAbi = parseAbi([
  'constructor(string name_, string symbol_, uint256 supply)',
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'function totalSupply() view returns (uint256)',
  'function owner() view returns (address)',
  'function adminCalls() view returns (uint256)',
  'function balanceOf(address) view returns (uint256)',
  'function allowance(address, address) view returns (uint256)',
  'function transfer(address to, uint256 value) returns (bool)',
  'function approve(address spender, uint256 value) returns (bool)',
  'function transferFrom(address from, address to, uint256 value) returns (bool)',
  'function adminOnly() returns (uint256)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Approval(address indexed owner, address indexed spender, uint256 value)',
  'error Unauthorized(address caller)',
])

// ---------------------------------------------------------------------------------------------
// Processes and temp dirs

/** Starts a devnet of KIND (anvil gets `--chain-id 1337` so both kinds look alike). */
export async function startDevnet(opts: { datadir?: string; extraArgs?: string[]; kind?: DevnetKind } = {}): Promise<DevnetProcess> {
  const kind = opts.kind ?? KIND
  const extraArgs = [...(kind === 'anvil' ? ['--chain-id', String(CHAIN_ID)] : []), ...(opts.extraArgs ?? [])]
  return spawnDevnetProcess({ kind, datadir: opts.datadir, extraArgs, startTimeoutMs: 60_000 })
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `olnode-e2e-${prefix}-`))
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true })
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Polls `fn` until it returns something other than undefined/null, or throws after `timeoutMs`. */
export async function waitFor<T>(fn: () => Promise<T | null | undefined>, what: string, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v !== null && v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}

/** Rejects after `ms` with a message naming `what`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })
  return Promise.race([p, t]).finally(() => clearTimeout(timer))
}

// ---------------------------------------------------------------------------------------------
// Raw JSON-RPC over HTTP

export interface JsonRpcErrorObject {
  code: number
  message: string
  data?: unknown
}

export interface JsonRpcResponse {
  jsonrpc: string
  id: unknown
  result?: unknown
  error?: JsonRpcErrorObject
}

export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly rpcMessage: string,
    readonly data?: unknown,
  ) {
    super(`${method} failed: ${code} ${rpcMessage}`)
  }
}

let nextId = 1

/** POSTs a raw body and returns the HTTP status and the parsed JSON (or the text, if it is not JSON). */
export async function postRaw(url: string, body: string, timeoutMs = 10_000): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, json, text }
}

/** One JSON-RPC call; returns the whole response object (result or error). */
export async function rpcResponse(url: string, method: string, params: unknown[] = []): Promise<JsonRpcResponse> {
  const id = nextId++
  const { json, text } = await postRaw(url, JSON.stringify({ jsonrpc: '2.0', id, method, params }))
  if (!json || typeof json !== 'object') throw new Error(`${method}: response is not a JSON object: ${text}`)
  const r = json as JsonRpcResponse
  if (r.id !== id) throw new Error(`${method}: response id ${String(r.id)} != request id ${id}`)
  return r
}

/** One JSON-RPC call; returns `result`, throws RpcError on an error response. */
export async function rpc<T = any>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const r = await rpcResponse(url, method, params)
  if (r.error) throw new RpcError(method, r.error.code, r.error.message, r.error.data)
  return r.result as T
}

/** The error of a call that must fail (fails the test if it succeeds). */
export async function rpcError(url: string, method: string, params: unknown[] = []): Promise<JsonRpcErrorObject> {
  const r = await rpcResponse(url, method, params)
  if (!r.error) throw new Error(`${method} was expected to fail but returned ${JSON.stringify(r.result)}`)
  return r.error
}

/** A JSON-RPC batch; results in request order (throws on any error). */
export async function rpcBatch<T = any>(url: string, calls: [method: string, params: unknown[]][]): Promise<T[]> {
  if (calls.length === 0) return []
  const base = nextId
  nextId += calls.length
  const body = calls.map(([method, params], i) => ({ jsonrpc: '2.0', id: base + i, method, params }))
  const { json, text } = await postRaw(url, JSON.stringify(body), 30_000)
  if (!Array.isArray(json)) throw new Error(`batch response is not an array: ${text.slice(0, 500)}`)
  const byId = new Map<unknown, JsonRpcResponse>((json as JsonRpcResponse[]).map((r) => [r.id, r]))
  return calls.map(([method], i) => {
    const r = byId.get(base + i)
    if (!r) throw new Error(`batch: no response for ${method} (id ${base + i})`)
    if (r.error) throw new RpcError(method, r.error.code, r.error.message, r.error.data)
    return r.result as T
  })
}

export const toQuantity = (n: bigint | number): string => `0x${BigInt(n).toString(16)}`
export const big = (hex: string): bigint => BigInt(hex)
export const num = (hex: string): number => Number(BigInt(hex))

export async function blockNumber(url: string): Promise<number> {
  return num(await rpc<string>(url, 'eth_blockNumber'))
}

export async function balanceOf(url: string, address: string, block = 'latest'): Promise<bigint> {
  return big(await rpc<string>(url, 'eth_getBalance', [address, block]))
}

export async function nonceOf(url: string, address: string, block = 'latest'): Promise<number> {
  return num(await rpc<string>(url, 'eth_getTransactionCount', [address, block]))
}

/** Fee fields that any node will accept for the next block: 2x the latest base fee plus a 1 gwei tip. */
export async function fees(url: string): Promise<{ baseFee: bigint; gasPrice: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
  const block = await rpc<{ baseFeePerGas?: string }>(url, 'eth_getBlockByNumber', ['latest', false])
  const baseFee = big(block.baseFeePerGas ?? '0x0')
  const maxPriorityFeePerGas = GWEI
  const maxFeePerGas = baseFee * 2n + maxPriorityFeePerGas
  return { baseFee, gasPrice: maxFeePerGas, maxFeePerGas, maxPriorityFeePerGas }
}

export interface RpcReceipt {
  transactionHash: string
  transactionIndex: string
  blockHash: string
  blockNumber: string
  from: string
  to: string | null
  status: string
  type: string
  gasUsed: string
  cumulativeGasUsed: string
  effectiveGasPrice: string
  contractAddress: string | null
  logs: RpcLog[]
}

export interface RpcLog {
  address: string
  topics: string[]
  data: string
  blockNumber: string
  blockHash: string
  transactionHash: string
  transactionIndex: string
  logIndex: string
  removed?: boolean
}

export async function waitForReceipt(url: string, hash: string, timeoutMs = 20_000, everyMs = 5): Promise<RpcReceipt> {
  return waitFor(() => rpc<RpcReceipt | null>(url, 'eth_getTransactionReceipt', [hash]), `receipt of ${hash}`, timeoutMs, everyMs)
}

// ---------------------------------------------------------------------------------------------
// Raw JSON-RPC over WebSocket

export interface Subscription {
  id: string
  /** The next notification's `result` (queued if it came before the call). */
  next(timeoutMs?: number): Promise<any>
}

/** A tiny WebSocket JSON-RPC client with eth_subscribe support. */
export class WsRpc {
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>()
  private queues = new Map<string, any[]>()
  private waiters = new Map<string, ((v: any) => void)[]>()
  private id = 1

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString())
      if (msg.method === 'eth_subscription') {
        const sub = String(msg.params.subscription)
        const w = this.waiters.get(sub)?.shift()
        if (w) w(msg.params.result)
        else this.queues.set(sub, [...(this.queues.get(sub) ?? []), msg.params.result])
        return
      }
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.error) p.reject(new RpcError('ws', msg.error.code, msg.error.message, msg.error.data))
      else p.resolve(msg.result)
    })
  }

  static async connect(url: string, timeoutMs = 10_000): Promise<WsRpc> {
    const ws = new WebSocket(url)
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve())
        ws.once('error', reject)
      }),
      timeoutMs,
      `WebSocket connect to ${url}`,
    )
    return new WsRpc(ws)
  }

  request<T = any>(method: string, params: unknown[] = [], timeoutMs = 10_000): Promise<T> {
    const id = this.id++
    const p = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve, reject }))
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
    return withTimeout(p, timeoutMs, `ws ${method}`)
  }

  async subscribe(params: unknown[]): Promise<Subscription> {
    const id = await this.request<string>('eth_subscribe', params)
    return {
      id,
      next: (timeoutMs = 10_000) => {
        const q = this.queues.get(id)
        if (q && q.length > 0) return Promise.resolve(q.shift())
        let waiter: (v: any) => void = () => {}
        const p = new Promise<any>((resolve) => {
          waiter = resolve
          this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve])
        })
        return withTimeout(p, timeoutMs, `notification on subscription ${id}`).catch((err: unknown) => {
          // A timed-out waiter must not swallow a later notification.
          this.waiters.set(id, (this.waiters.get(id) ?? []).filter((w) => w !== waiter))
          throw err
        })
      },
    }
  }

  close(): void {
    this.ws.terminate()
  }
}
