/**
 * A minimal JSON-RPC 2.0 client over node:http with keep-alive sockets. Both nodes are driven by this
 * same code, and it is deliberately cheap (no ethers/viem on the hot path) so that the client, which
 * shares the machine with the node, takes as little CPU from it as possible.
 */
import http from 'node:http'

export interface RpcCall {
  method: string
  params: unknown[]
}

export interface RpcResponse {
  id: number
  result?: unknown
  error?: { code: number; message: string; data?: unknown }
}

export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${message} (code ${code})`)
  }
}

export interface RpcClient {
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>
  /** One HTTP request carrying all calls; responses come back in call order. */
  batch(calls: RpcCall[]): Promise<RpcResponse[]>
  /** Destroys every socket; in-flight and later requests fail, which ends any loop still running. */
  close(): void
}

const REQUEST_TIMEOUT_MS = 30_000

/** A request on a kept-alive socket that turned out closed (ECONNRESET on a reused socket). */
class StaleSocketError extends Error {}

/** Methods that change nothing, so sending one twice is harmless. */
const isRead = (method: string) => /^eth_(get|call$|blockNumber$|chainId$)/.test(method)

/** `timeoutMs`: longer for a node that seals whole blocks of heavy transactions in one request (evm_mine). */
export function createRpcClient(url: string, maxSockets: number, timeoutMs = REQUEST_TIMEOUT_MS): RpcClient {
  const target = new URL(url)
  // The benchmark must never send traffic anywhere but the local machine.
  if (target.hostname !== '127.0.0.1') throw new Error(`refusing non-local RPC target ${url}`)
  const agent = new http.Agent({ keepAlive: true, maxSockets })
  let nextId = 1
  let closed = false

  /**
   * `label` names the request in a timeout's message. A read sent on a kept-alive socket the node closed
   * meanwhile fails with ECONNRESET before the node saw it; it is sent again, as Node's http docs advise
   * (request.reusedSocket). Each failure discards one pooled socket, and all of them may be stale (anvil
   * closes them while its receipts are polled), so a read is tried once per socket and once more on a new
   * one. A write is never repeated: the node may have taken it.
   */
  async function post(body: string, label: string, reads: boolean): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await postOnce(body, label)
      } catch (err) {
        if (!(reads && err instanceof StaleSocketError) || attempt === maxSockets) throw err
      }
    }
  }

  function postOnce(body: string, label: string): Promise<unknown> {
    if (closed) return Promise.reject(new Error('RPC client closed'))
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            // Some servers answer JSON-RPC errors with a non-200 status: the body still decides.
            try {
              resolve(JSON.parse(text))
            } catch {
              reject(new Error(`HTTP ${res.statusCode}, not JSON: ${text.slice(0, 200)}`))
            }
          })
        },
      )
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`RPC request (${label}) timed out after ${timeoutMs} ms`)))
      req.on('error', (err: NodeJS.ErrnoException) => reject(req.reusedSocket && err.code === 'ECONNRESET' ? new StaleSocketError(err.message) : err))
      req.end(body)
    })
  }

  async function call<T>(method: string, params: unknown[] = []): Promise<T> {
    const res = (await post(JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }), method, isRead(method))) as RpcResponse
    if (res.error) throw new RpcError(method, res.error.code, res.error.message)
    if (!('result' in res)) throw new Error(`${method}: response has neither result nor error`)
    return res.result as T
  }

  async function batch(calls: RpcCall[]): Promise<RpcResponse[]> {
    const first = nextId
    nextId += calls.length
    const body = calls.map((c, i) => ({ jsonrpc: '2.0', id: first + i, method: c.method, params: c.params }))
    const res = await post(JSON.stringify(body), `batch of ${calls.length}, ${calls[0]?.method ?? 'empty'} first`, calls.every((c) => isRead(c.method)))
    if (!Array.isArray(res)) throw new Error(`batch answered with a non-array: ${JSON.stringify(res).slice(0, 200)}`)
    const byId = new Map((res as RpcResponse[]).map((r) => [r.id, r]))
    return calls.map((c, i) => {
      const r = byId.get(first + i)
      if (!r) throw new Error(`batch response lacks ${c.method} (id ${first + i})`)
      return r
    })
  }

  return {
    call,
    batch,
    close: () => {
      closed = true
      agent.destroy()
    },
  }
}
