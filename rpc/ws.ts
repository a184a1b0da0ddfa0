import type { Server } from 'node:http'
import type { Logger } from 'pino'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { dispatch } from './dispatch.ts'
import { toJson } from './json.ts'
import type { MethodTable, RpcContext, WsConnection } from './method.ts'

export interface WsOptions {
  methods: MethodTable
  logger: Logger
  maxMessageBytes: number
  pingIntervalMs: number
  maxBatchItems?: number
  maxBatchResponseBytes?: number
}

/** Serves JSON-RPC over WebSocket on the HTTP server's port (any path, as geth does). */
export function attachWebSocket(server: Server, opts: WsOptions): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes })
  let lastId = 0
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, ++lastId, opts))
  })
  return wss
}

function serveConnection(ws: WebSocket, id: number, opts: WsOptions): void {
  const logger = opts.logger.child({ conn: id })
  const closeHandlers: (() => void)[] = []
  let closed = false
  const connection: WsConnection = {
    id,
    notify(subscription, result) {
      if (ws.readyState !== WebSocket.OPEN) return
      try {
        ws.send(notification(subscription, result))
      } catch (err) {
        logger.warn({ err, subscription }, 'cannot encode subscription notification')
      }
    },
    onClose(fn) {
      if (closed) runCloseHandler(fn, logger)
      else closeHandlers.push(fn)
    },
  }
  const ctx: RpcContext = { transport: 'ws', connection }
  ws.on('message', (data) => {
    dispatch(text(data), opts.methods, { ctx, logger, maxBatchItems: opts.maxBatchItems, maxBatchResponseBytes: opts.maxBatchResponseBytes })
      .then((answer) => {
        if (answer !== undefined && ws.readyState === WebSocket.OPEN) ws.send(answer)
      })
      .catch((err: unknown) => logger.warn({ err }, 'websocket message failed'))
  })
  ws.on('close', () => {
    closed = true
    for (const fn of closeHandlers.splice(0)) runCloseHandler(fn, logger)
  })
  ws.on('error', (err) => logger.debug({ err }, 'websocket error'))
  keepAlive(ws, opts.pingIntervalMs)
}

function notification(subscription: string, result: unknown): string {
  return `{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":${JSON.stringify(subscription)},"result":${toJson(result)}}}`
}

function text(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8')
}

function runCloseHandler(fn: () => void, logger: Logger): void {
  try {
    fn()
  } catch (err) {
    logger.warn({ err }, 'websocket close handler threw')
  }
}

/** Pings like geth; a peer that misses a pong for a whole interval is dropped, so its subscriptions end. */
function keepAlive(ws: WebSocket, intervalMs: number): void {
  let answered = true
  ws.on('pong', () => {
    answered = true
  })
  const timer = setInterval(() => {
    if (!answered) return void ws.terminate()
    answered = false
    ws.ping()
  }, intervalMs)
  timer.unref()
  ws.on('close', () => clearInterval(timer))
}
