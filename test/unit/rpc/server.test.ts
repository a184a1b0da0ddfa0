import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { defineMethod, type MethodTable } from '../../../rpc/method.ts'
import { RpcServer, type RpcServerOptions } from '../../../rpc/server.ts'
import { string } from '../../../rpc/validators.ts'

const logger = pino({ level: 'silent' })

function testMethods(closed: number[]): MethodTable {
  return {
    test_echo: defineMethod([string], ([s]) => s),
    test_connection: defineMethod([], (_params, ctx) => ctx.connection?.id ?? null),
    test_subscribe: defineMethod(
      [],
      (_params, ctx) => {
        const connection = ctx.connection!
        connection.onClose(() => closed.push(connection.id))
        setTimeout(() => connection.notify('0xabc', { value: 5n }), 5)
        return '0xabc'
      },
      { wsOnly: true },
    ),
  }
}

const servers: RpcServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function start(opts: Partial<RpcServerOptions> = {}): Promise<{ server: RpcServer; closed: number[] }> {
  const closed: number[] = []
  const server = await RpcServer.start({ host: '127.0.0.1', port: 0, methods: testMethods(closed), logger, ...opts })
  servers.push(server)
  return { server, closed }
}

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
  reusedSocket: boolean
}

interface RequestOptions {
  method?: string
  path?: string
  headers?: Record<string, string | number>
  body?: string
  /** Send the body in pieces without content-length (chunked). */
  chunked?: boolean
  agent?: Agent
}

function send(server: RpcServer, opts: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string | number> = { 'content-type': 'application/json', ...opts.headers }
  if (opts.body !== undefined && !opts.chunked && headers['content-length'] === undefined) {
    headers['content-length'] = Buffer.byteLength(opts.body)
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${server.url}${opts.path ?? '/'}`,
      { method: opts.method ?? 'POST', headers, agent: opts.agent },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            reusedSocket: req.reusedSocket,
          }),
        )
      },
    )
    req.on('error', reject)
    if (opts.chunked && opts.body !== undefined) {
      const half = opts.body.length >> 1
      req.write(opts.body.slice(0, half))
      req.write(opts.body.slice(half))
    } else if (opts.body !== undefined) {
      req.write(opts.body)
    }
    req.end()
  })
}

const echo = (id: number, s: string) => JSON.stringify({ jsonrpc: '2.0', id, method: 'test_echo', params: [s] })

describe('RpcServer over HTTP', () => {
  it('listens on the port it was given (0 = any) and reports its URLs', async () => {
    const { server } = await start()
    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    expect(server.wsUrl).toBe(`ws://127.0.0.1:${server.port}`)
  })

  it('answers a POST with JSON and permissive CORS', async () => {
    const { server } = await start()
    const reply = await send(server, { body: echo(1, 'hi') })
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('application/json')
    expect(reply.headers['access-control-allow-origin']).toBe('*')
    expect(reply.body).toBe('{"jsonrpc":"2.0","id":1,"result":"hi"}')
  })

  it('works with fetch, and accepts a charset and geth other JSON media types', async () => {
    const { server } = await start()
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: echo(2, 'f'),
    })
    expect(await res.json()).toEqual({ jsonrpc: '2.0', id: 2, result: 'f' })
    const rpc = await send(server, { body: echo(3, 'r'), headers: { 'content-type': 'application/json-rpc' } })
    expect(rpc.status).toBe(200)
  })

  it('answers batches, notifications and bad JSON with status 200 as geth does', async () => {
    const { server } = await start()
    const batch = await send(server, { body: `[${echo(1, 'a')},${echo(2, 'b')}]` })
    expect(JSON.parse(batch.body)).toEqual([
      { jsonrpc: '2.0', id: 1, result: 'a' },
      { jsonrpc: '2.0', id: 2, result: 'b' },
    ])
    const note = await send(server, { body: '{"jsonrpc":"2.0","method":"test_echo","params":["n"]}' })
    expect(note.status).toBe(200)
    expect(note.body).toBe('')
    const bad = await send(server, { body: '{"jsonrpc"' })
    expect(bad.status).toBe(200)
    expect(JSON.parse(bad.body)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } })
  })

  it('refuses other HTTP methods with 405', async () => {
    const { server } = await start()
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const reply = await send(server, { method, body: echo(1, 'x') })
      expect(reply.status).toBe(405)
      expect(reply.headers.allow).toBe('POST, GET, OPTIONS')
      expect(reply.body).toBe('method not allowed\n')
    }
    expect((await send(server, { method: 'GET', path: '/?method=eth_chainId' })).status).toBe(405)
  })

  it('answers a bare GET with 200 for health checks, as geth does', async () => {
    const { server } = await start()
    const reply = await send(server, { method: 'GET' })
    expect(reply.status).toBe(200)
    expect(reply.body).toBe('')
  })

  it('answers a CORS preflight with 204', async () => {
    const { server } = await start()
    const reply = await send(server, {
      method: 'OPTIONS',
      headers: { origin: 'http://dapp.local', 'access-control-request-headers': 'content-type, x-foo' },
    })
    expect(reply.status).toBe(204)
    expect(reply.headers['access-control-allow-origin']).toBe('*')
    expect(reply.headers['access-control-allow-methods']).toContain('POST')
    expect(reply.headers['access-control-allow-headers']).toBe('content-type, x-foo')
  })

  it('refuses a body that is not JSON with 415', async () => {
    const { server } = await start()
    const plain = await send(server, { body: echo(1, 'x'), headers: { 'content-type': 'text/plain' } })
    expect(plain.status).toBe(415)
    expect(plain.body).toBe('invalid content type, only application/json is supported\n')
    const none = await send(server, { body: echo(1, 'x'), headers: { 'content-type': '' } })
    expect(none.status).toBe(415)
  })

  it('refuses a body over the limit with 413, declared or streamed', async () => {
    const { server } = await start({ maxBodyBytes: 1024 })
    const big = echo(1, 'x'.repeat(2000))
    const declared = await send(server, { body: big })
    expect(declared.status).toBe(413)
    expect(declared.body).toBe(`content length too large (${Buffer.byteLength(big)}>1024)\n`)
    const streamed = await send(server, { body: big, chunked: true })
    expect(streamed.status).toBe(413)
    const fits = echo(1, 'x'.repeat(1024 - echo(1, '').length))
    expect(Buffer.byteLength(fits)).toBe(1024)
    expect((await send(server, { body: fits, chunked: true })).status).toBe(200)
  })

  it('keeps the connection alive between requests', async () => {
    const { server } = await start()
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const first = await send(server, { body: echo(1, 'a'), agent })
      const second = await send(server, { body: echo(2, 'b'), agent })
      expect(first.headers.connection).toBe('keep-alive')
      expect(first.reusedSocket).toBe(false)
      expect(second.reusedSocket).toBe(true)
      expect(JSON.parse(second.body).result).toBe('b')
    } finally {
      agent.destroy()
    }
  })

  it('refuses ws-only methods over HTTP', async () => {
    const { server } = await start()
    const reply = await send(server, { body: '{"jsonrpc":"2.0","id":1,"method":"test_subscribe"}' })
    expect(JSON.parse(reply.body).error).toEqual({ code: -32601, message: 'notifications not supported' })
  })
})

/** A connected client whose messages are queued so none is missed between awaits. */
async function connect(url: string, opts: { autoPong?: boolean } = {}) {
  const ws = new WebSocket(url, opts)
  const queue: string[] = []
  const waiters: ((text: string) => void)[] = []
  ws.on('message', (data) => {
    const text = data.toString()
    const waiter = waiters.shift()
    if (waiter) waiter(text)
    else queue.push(text)
  })
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  return {
    ws,
    closed,
    next: (): Promise<unknown> =>
      new Promise<string>((resolve) => {
        const text = queue.shift()
        if (text !== undefined) resolve(text)
        else waiters.push(resolve)
      }).then((text) => JSON.parse(text)),
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('RpcServer over WebSocket', () => {
  it('answers requests and batches on the same port', async () => {
    const { server } = await start()
    const client = await connect(server.wsUrl)
    client.ws.send(echo(1, 'ws'))
    expect(await client.next()).toEqual({ jsonrpc: '2.0', id: 1, result: 'ws' })
    client.ws.send(`[${echo(2, 'a')},${echo(3, 'b')}]`)
    expect(await client.next()).toEqual([
      { jsonrpc: '2.0', id: 2, result: 'a' },
      { jsonrpc: '2.0', id: 3, result: 'b' },
    ])
    client.ws.send(Buffer.from(echo(4, 'binary')), { binary: true })
    expect(await client.next()).toEqual({ jsonrpc: '2.0', id: 4, result: 'binary' })
    client.ws.close()
  })

  it('answers bad messages with JSON-RPC errors and keeps the connection', async () => {
    const { server } = await start()
    const client = await connect(server.wsUrl)
    client.ws.send('{nope')
    expect(await client.next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } })
    client.ws.send('[]')
    expect(await client.next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'empty batch' } })
    client.ws.send('42')
    expect(await client.next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } })
    client.ws.send(echo(9, 'still here'))
    expect(await client.next()).toEqual({ jsonrpc: '2.0', id: 9, result: 'still here' })
    client.ws.close()
  })

  it('gives each connection its own id', async () => {
    const { server } = await start()
    const a = await connect(server.wsUrl)
    const b = await connect(server.wsUrl)
    a.ws.send('{"jsonrpc":"2.0","id":1,"method":"test_connection"}')
    b.ws.send('{"jsonrpc":"2.0","id":1,"method":"test_connection"}')
    const [ia, ib] = [(await a.next()) as { result: number }, (await b.next()) as { result: number }]
    expect(typeof ia.result).toBe('number')
    expect(ia.result).not.toBe(ib.result)
    a.ws.close()
    b.ws.close()
  })

  it('delivers notifications as eth_subscription messages', async () => {
    const { server } = await start()
    const client = await connect(server.wsUrl)
    client.ws.send('{"jsonrpc":"2.0","id":1,"method":"test_subscribe"}')
    expect(await client.next()).toEqual({ jsonrpc: '2.0', id: 1, result: '0xabc' })
    expect(await client.next()).toEqual({
      jsonrpc: '2.0',
      method: 'eth_subscription',
      params: { subscription: '0xabc', result: { value: '0x5' } },
    })
    client.ws.close()
  })

  it('runs onClose handlers when the client goes away', async () => {
    const { server, closed } = await start()
    const client = await connect(server.wsUrl)
    client.ws.send('{"jsonrpc":"2.0","id":1,"method":"test_subscribe"}')
    await client.next()
    expect(closed).toEqual([])
    client.ws.close()
    await client.closed
    await expect.poll(() => closed.length).toBe(1)
  })

  it('closes clients on close(), running their onClose handlers first', async () => {
    const { server, closed } = await start()
    const client = await connect(server.wsUrl)
    client.ws.send('{"jsonrpc":"2.0","id":1,"method":"test_subscribe"}')
    await client.next()
    await server.close()
    expect(closed).toHaveLength(1)
    await client.closed
    await expect(fetch(server.url, { method: 'POST' })).rejects.toThrow()
    await server.close() // a second close is harmless
  })

  it('drops a peer that stops answering pings', async () => {
    const { server } = await start({ wsPingIntervalMs: 40 })
    const silent = await connect(server.wsUrl, { autoPong: false })
    const live = await connect(server.wsUrl)
    await silent.closed
    await sleep(100)
    expect(live.ws.readyState).toBe(WebSocket.OPEN)
    live.ws.close()
  })

  it('closes a connection whose message is over the limit, 1009 as RFC 6455 says', async () => {
    const { server } = await start({ maxWsMessageBytes: 256 })
    const client = await connect(server.wsUrl)
    client.ws.on('error', () => {}) // the client also notices the oversize frame was refused
    client.ws.send(echo(1, 'x'.repeat(300)))
    expect(await client.closed).toBe(1009)
  })
})
