import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import type { WebSocket, WebSocketServer } from 'ws'
import { httpHandler } from './http.ts'
import type { MethodTable } from './method.ts'
import { attachWebSocket } from './ws.ts'

export interface RpcServerOptions {
  host: string
  /** 0 picks a free port; read it back from `port`. */
  port: number
  methods: MethodTable
  logger: Logger
  /** HTTP body limit; geth's default is 5 MiB. */
  maxBodyBytes?: number
  /** WebSocket message limit; geth's default is 32 MiB. */
  maxWsMessageBytes?: number
  /** Largest batch served; larger ones get one -32600 `batch too large`. 0 = no limit. */
  maxBatchItems?: number
  /** Most bytes of results to one batch; the calls after are answered -32003. 0 = no limit. */
  maxBatchResponseBytes?: number
  /** Origins allowed by CORS; default any ('*'). */
  corsDomains?: string[]
  /** Host names accepted over HTTP (IP addresses always are); default any ('*'). */
  vhosts?: string[]
  wsPingIntervalMs?: number
}

const MiB = 1024 * 1024
const KEEP_ALIVE_MS = 60_000
/** How long close() lets in-flight HTTP requests finish before cutting them. */
const CLOSE_GRACE_MS = 5_000

/** HTTP and WebSocket JSON-RPC on one port. */
export class RpcServer {
  private closing?: Promise<void>

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly host: string,
    readonly port: number,
  ) {}

  static async start(opts: RpcServerOptions): Promise<RpcServer> {
    const logger = opts.logger.child({ module: 'rpc' })
    const server = createServer(
      httpHandler({
        methods: opts.methods,
        logger,
        maxBodyBytes: opts.maxBodyBytes ?? 5 * MiB,
        maxBatchItems: opts.maxBatchItems,
        maxBatchResponseBytes: opts.maxBatchResponseBytes,
        corsDomains: opts.corsDomains ?? ['*'],
        vhosts: opts.vhosts ?? ['*'],
      }),
    )
    server.keepAliveTimeout = KEEP_ALIVE_MS
    const wss = attachWebSocket(server, {
      methods: opts.methods,
      logger,
      maxMessageBytes: opts.maxWsMessageBytes ?? 32 * MiB,
      pingIntervalMs: opts.wsPingIntervalMs ?? 30_000,
      maxBatchItems: opts.maxBatchItems,
      maxBatchResponseBytes: opts.maxBatchResponseBytes,
    })
    await listen(server, opts.host, opts.port)
    server.on('error', (err) => logger.error({ err }, 'RPC server error'))
    const rpc = new RpcServer(server, wss, opts.host, (server.address() as AddressInfo).port)
    logger.info({ url: rpc.url, wsUrl: rpc.wsUrl }, 'RPC server listening')
    return rpc
  }

  get url(): string {
    return `http://${this.authority}`
  }

  get wsUrl(): string {
    return `ws://${this.authority}`
  }

  private get authority(): string {
    return this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`
  }

  /** Drops WebSocket clients (their onClose handlers run), then stops HTTP. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown()
    return this.closing
  }

  private async shutdown(): Promise<void> {
    await Promise.all([...this.wss.clients].map(terminated))
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
    const stopped = new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())))
    this.server.closeIdleConnections()
    const force = setTimeout(() => this.server.closeAllConnections(), CLOSE_GRACE_MS)
    try {
      await stopped
    } finally {
      clearTimeout(force)
    }
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

function terminated(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    ws.once('close', () => resolve())
    ws.terminate()
  })
}
