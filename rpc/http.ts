import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import { dispatch } from './dispatch.ts'
import { allowedOrigin, hostAllowed, type HttpAccess } from './httpAccess.ts'
import type { MethodTable, RpcContext } from './method.ts'

export interface HttpHandlerOptions extends HttpAccess {
  methods: MethodTable
  logger: Logger
  maxBodyBytes: number
  maxBatchItems?: number
  maxBatchResponseBytes?: number
}

/** The media types geth accepts (rpc/http.go acceptedContentTypes). */
const JSON_MEDIA_TYPES = new Set(['application/json', 'application/json-rpc', 'application/jsonrequest'])
const ALLOWED_METHODS = 'POST, GET, OPTIONS'
/** The methods a CORS preflight may ask for: geth's AllowedMethods (POST, GET), and OPTIONS, which rs/cors always allows. */
const CORS_METHODS = new Set(['POST', 'GET', 'OPTIONS'])

/** JSON-RPC over HTTP POST, with geth's status codes for what is not a JSON-RPC request. */
export function httpHandler(opts: HttpHandlerOptions): RequestListener {
  const ctx: RpcContext = { transport: 'http' }
  const hostPasses = hostCheck(opts.vhosts)
  return (req, res) => {
    serve(req, res, ctx, opts, hostPasses).catch((err: unknown) => {
      // The client went away mid-request, or the socket failed: nothing left to answer.
      opts.logger.debug({ err }, 'HTTP request failed')
      res.destroy()
    })
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, ctx: RpcContext, opts: HttpHandlerOptions, hostPasses: (host: string | undefined) => boolean): Promise<void> {
  // geth checks the host before CORS, and before anything else is looked at.
  if (!hostPasses(req.headers.host)) return sendText(res, 403, 'invalid host specified')
  const origin = allowedOrigin(req.headers.origin, opts.corsDomains)
  if (opts.corsDomains.length > 0) res.setHeader('vary', 'Origin')
  if (req.method === 'OPTIONS') return preflight(req, res, origin)
  if (origin !== undefined) res.setHeader('access-control-allow-origin', origin)
  if (isHealthCheck(req)) return void res.writeHead(200).end()
  if (req.method !== 'POST') return sendText(res, 405, 'method not allowed', { allow: ALLOWED_METHODS })
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > opts.maxBodyBytes) return sendText(res, 413, tooLarge(declared, opts.maxBodyBytes), { connection: 'close' })
  if (!isJson(req.headers['content-type'])) {
    return sendText(res, 415, 'invalid content type, only application/json is supported')
  }
  const body = await readBody(req, opts.maxBodyBytes)
  if (body === undefined) return sendText(res, 413, tooLarge(undefined, opts.maxBodyBytes), { connection: 'close' })
  const answer = await dispatch(body, opts.methods, {
    ctx,
    logger: opts.logger,
    maxBatchItems: opts.maxBatchItems,
    maxBatchResponseBytes: opts.maxBatchResponseBytes,
  })
  // Notifications only: geth answers 200 with an empty body.
  // Headers as a flat list: writeHead takes them as they are, without a setHeader per name.
  res.writeHead(200, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(answer ?? ''))])
  res.end(answer)
}

/** hostAllowed, the last Host header's answer kept: a client sends the same one on every request. */
function hostCheck(vhosts: string[]): (host: string | undefined) => boolean {
  let last: string | undefined
  let passes = true
  return (host) => {
    if (host !== last) {
      last = host
      passes = hostAllowed(host, vhosts)
    }
    return passes
  }
}

/** rs/cors: always 204; the CORS headers only for an allowed origin asking for an allowed method. */
function preflight(req: IncomingMessage, res: ServerResponse, origin: string | undefined): void {
  const method = req.headers['access-control-request-method']?.toUpperCase()
  if (origin === undefined || (method !== undefined && !CORS_METHODS.has(method))) return void res.writeHead(204).end()
  res.writeHead(204, {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
    'access-control-max-age': '600',
  })
  res.end()
}

/** geth answers a bare GET with 200 so load balancers can probe the port. */
function isHealthCheck(req: IncomingMessage): boolean {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined
  return req.method === 'GET' && !hasBody && !(req.url ?? '').includes('?')
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === 'application/json') return true
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase()
  return JSON_MEDIA_TYPES.has(mediaType)
}

function tooLarge(declared: number | undefined, max: number): string {
  return declared === undefined ? `content length too large (>${max})` : `content length too large (${declared}>${max})`
}

/** The body as text, or undefined once it passes `max` bytes (the rest is drained unread). */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= max) return void chunks.push(chunk)
      req.off('data', onData)
      req.resume()
      resolve(undefined)
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sendText(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = `${message}\n`
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}
