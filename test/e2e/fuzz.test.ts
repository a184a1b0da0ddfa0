/**
 * 10,000 random and malformed JSON-RPC requests over HTTP and WebSocket against a real devnet
 * process: random bytes, deep nesting, huge numbers, bad hex, wrong types, random method names and
 * params, batches of all of these. The process must stay up, every answer must be valid JSON-RPC
 * with a spec error code (or a result), and a normal request afterwards must be answered correctly.
 * Seeded (FUZZ_SEED=n to replay a failure; the seed is in every failure message).
 */
import { Agent, request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { DEV_ADDRESSES, IS_OLNODE, rpc, startDevnet, withTimeout, type DevnetProcess } from './helpers.ts'

const SEED = Number(process.env.FUZZ_SEED ?? 20261126)
const HTTP_REQUESTS = 7_000
const WS_REQUESTS = 3_000
const HTTP_CONCURRENCY = 8
const WS_CONNECTIONS = 4
/** geth's codes, plus -32003 (batch response too large), -32005 (limit exceeded) and 3 (revert). -32603 is a crash: a bug. */
const SPEC_CODES = new Set([-32700, -32600, -32601, -32602, -32000, -32003, -32005, 3])

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const METHODS = [
  'web3_clientVersion', 'web3_sha3', 'net_version', 'net_listening', 'net_peerCount', 'eth_chainId', 'eth_syncing',
  'eth_blockNumber', 'eth_getBalance', 'eth_getTransactionCount', 'eth_getCode', 'eth_getStorageAt', 'eth_call',
  'eth_estimateGas', 'eth_gasPrice', 'eth_maxPriorityFeePerGas', 'eth_feeHistory', 'eth_sendRawTransaction',
  'eth_accounts', 'eth_sendTransaction', 'eth_sign', 'personal_sign', 'eth_signTypedData_v4', 'eth_getTransactionByHash',
  'eth_getTransactionReceipt', 'eth_getBlockByNumber', 'eth_getBlockByHash', 'eth_getBlockTransactionCountByNumber',
  'eth_getBlockTransactionCountByHash', 'eth_getTransactionByBlockNumberAndIndex', 'eth_getTransactionByBlockHashAndIndex',
  'eth_getBlockReceipts', 'eth_getLogs', 'eth_newFilter', 'eth_newBlockFilter', 'eth_newPendingTransactionFilter',
  'eth_getFilterChanges', 'eth_getFilterLogs', 'eth_uninstallFilter', 'eth_subscribe', 'eth_unsubscribe',
  'txpool_status', 'txpool_content', 'txpool_contentFrom', 'txpool_inspect',
]

/** Draws random values, requests and bodies from one seeded stream. */
class Fuzzer {
  constructor(private readonly random: () => number) {}

  int(max: number): number {
    return Math.floor(this.random() * max)
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  chance(p: number): boolean {
    return this.random() < p
  }

  hex(bytes: number): string {
    let out = '0x'
    for (let i = 0; i < bytes; i++) out += this.int(256).toString(16).padStart(2, '0')
    return out
  }

  /** Printable text, sometimes with quotes, escapes and non-ASCII. */
  text(max = 40): string {
    const chars = 'abcxyz0123456789_-:.{}[]"\\ \t\n\u00e9\u4e2d\ud83d\ude00\u0000'
    let out = ''
    for (let i = this.int(max); i > 0; i--) out += chars[this.int(chars.length)]
    return out
  }

  /** Values a method might be handed: plausible ones, near misses and plain wrong ones. */
  value(depth = 0): unknown {
    const kinds = [
      () => this.pick(DEV_ADDRESSES),
      () => this.hex(20),
      () => this.hex(32),
      () => this.hex(this.int(200)),
      () => this.pick(['latest', 'earliest', 'pending', 'safe', 'finalized', '0x0', '0x1', '0x2', '0x10000', '0x7fffffffffffffff']),
      () => `0x${this.int(1 << 20).toString(16)}`,
      () => this.pick(['0x', '0xzz', '0x0g', '0x00', '0X1', 'x12', '', '0x' + 'f'.repeat(65), '-0x1', ' 0x1']),
      () => '0x' + 'f'.repeat(this.int(2000)),
      () => this.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER]),
      () => this.pick([true, false, null]),
      () => this.text(),
      () => 'x'.repeat(this.int(20_000)),
      () => (depth < 3 ? Array.from({ length: this.int(5) }, () => this.value(depth + 1)) : []),
      () => (depth < 3 ? this.object(depth + 1) : {}),
      () => this.callObject(),
      () => this.filterObject(),
    ]
    return this.pick(kinds)()
  }

  object(depth: number): Record<string, unknown> {
    const keys = ['from', 'to', 'data', 'input', 'value', 'gas', 'gasPrice', 'nonce', 'address', 'topics', 'fromBlock', 'toBlock', 'blockHash', 'types', 'domain', 'message', 'primaryType', '__proto__', 'constructor']
    const out: Record<string, unknown> = {}
    for (let i = this.int(5); i > 0; i--) out[this.pick(keys)] = this.value(depth)
    return out
  }

  callObject(): Record<string, unknown> {
    const call: Record<string, unknown> = { from: this.pick(DEV_ADDRESSES), to: this.chance(0.8) ? this.pick([...DEV_ADDRESSES, this.hex(20)]) : undefined }
    if (this.chance(0.5)) call.value = `0x${this.int(1000).toString(16)}`
    if (this.chance(0.5)) call.data = this.hex(this.int(100))
    if (this.chance(0.3)) call.gas = this.pick(['0x5208', '0x0', '0xffffffffffffffff', '0x1c9c380'])
    if (this.chance(0.2)) call[this.pick(['gasPrice', 'maxFeePerGas', 'nonce', 'type', 'accessList'])] = this.value(2)
    return call
  }

  filterObject(): Record<string, unknown> {
    return {
      fromBlock: this.pick(['earliest', 'latest', '0x0', '0x1', undefined, this.value(3)]),
      toBlock: this.pick(['latest', 'pending', '0x3', undefined]),
      address: this.pick([undefined, this.pick(DEV_ADDRESSES), [this.hex(20), this.hex(20)], this.value(3)]),
      topics: this.pick([undefined, [this.hex(32)], [null, [this.hex(32), null]], this.value(3)]),
    }
  }

  params(): unknown {
    if (this.chance(0.1)) return this.value(1) // not an array at all
    return Array.from({ length: this.int(4) }, () => this.value(1))
  }

  method(): unknown {
    if (this.chance(0.75)) return this.pick(METHODS)
    return this.pick([this.text(20), `eth_${this.text(10)}`, 'x'.repeat(3000), 42, null, 'constructor', '__proto__', 'hasOwnProperty', 'eth_subscription', 'rpc_modules'])
  }

  id(): unknown {
    return this.pick([this.int(1_000_000), `id-${this.int(1000)}`, null, 1.5, -7, { nested: 1 }, [1], 1e400, '', this.text(10)])
  }

  request(): Record<string, unknown> {
    const request: Record<string, unknown> = { jsonrpc: this.chance(0.95) ? '2.0' : this.pick(['1.0', 2, null, '']), method: this.method(), params: this.params() }
    if (this.chance(0.9)) request.id = this.id()
    if (this.chance(0.05)) delete request.method
    return request
  }

  /** One HTTP body or WebSocket message: a request, a batch, or something that is not JSON-RPC at all. */
  body(): { text: string; binary?: Uint8Array } {
    const kind = this.int(100)
    if (kind < 55) return { text: safeStringify(this.request()) }
    if (kind < 70) return { text: safeStringify(Array.from({ length: 1 + this.int(20) }, () => (this.chance(0.9) ? this.request() : this.value(1)))) }
    if (kind < 76) {
      const bytes = Uint8Array.from({ length: this.int(300) }, () => this.int(256))
      return { text: Buffer.from(bytes).toString('latin1'), binary: bytes }
    }
    if (kind < 81) {
      const depth = 1 + this.int(20_000)
      const [open, close] = this.pick([['[', ']'], ['{"a":', '}']])
      return { text: open.repeat(depth) + '1' + close.repeat(depth) }
    }
    if (kind < 86) return { text: `{"jsonrpc":"2.0","id":${this.pick(['1e400', '123456789012345678901234567890', '-0', '0.0000001', '1'])},"method":"eth_getBalance","params":["${this.pick(DEV_ADDRESSES)}",${this.pick(['1e400', '0x1', '99999999999999999999999', '"0x' + 'f'.repeat(300) + '"'])}]}` }
    if (kind < 91) return { text: safeStringify(this.request()).slice(0, 1 + this.int(60)) } // truncated
    if (kind < 95) return { text: this.pick(['', ' ', 'null', '1', '"x"', '[]', '[[]]', '{}', 'true', '[1,2,3]', '{"jsonrpc":"2.0"}']) }
    return { text: safeStringify(this.value(0)) }
  }
}

/** POSTs over a kept-alive connection (node:http costs the client far less CPU than fetch). */
function post(url: string, agent: Agent, body: string | Uint8Array): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, timeout: 20_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('timeout', () => req.destroy(new Error('no answer in 20 s')))
    req.on('error', reject)
    req.end(body)
  })
}

function safeStringify(value: unknown): string {
  return JSON.stringify(value) ?? 'null'
}

/** Why `message` is not a valid JSON-RPC response (or notification), or undefined if it is. */
function invalidResponse(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return 'not an object'
  const m = message as Record<string, unknown>
  if (m.jsonrpc !== '2.0') return 'jsonrpc is not "2.0"'
  if (m.method === 'eth_subscription') return typeof m.params === 'object' && m.params !== null ? undefined : 'notification without params'
  if (!Object.hasOwn(m, 'id')) return 'no id'
  const hasResult = Object.hasOwn(m, 'result')
  const hasError = Object.hasOwn(m, 'error')
  if (hasResult === hasError) return 'not exactly one of result and error'
  if (hasResult) return undefined
  const error = m.error as Record<string, unknown> | null
  if (typeof error !== 'object' || error === null) return 'error is not an object'
  if (!Number.isInteger(error.code) || !SPEC_CODES.has(error.code as number)) return `error code ${String(error.code)} (${String(error.message)})`
  if (typeof error.message !== 'string' || error.message === '') return 'error without a message'
  return undefined
}

/** Every answer in a response text: the problems found, with the request that caused them. */
function checkAnswerText(text: string, request: string, problems: string[]): void {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    problems.push(`answer is not JSON: ${text.slice(0, 200)} <- ${request.slice(0, 200)}`)
    return
  }
  const answers = Array.isArray(parsed) ? parsed : [parsed]
  if (Array.isArray(parsed) && parsed.length === 0) problems.push(`empty array answer <- ${request.slice(0, 200)}`)
  for (const answer of answers) {
    const why = invalidResponse(answer)
    if (why) problems.push(`${why}: ${JSON.stringify(answer).slice(0, 300)} <- ${request.slice(0, 300)}`)
  }
}

/** A single request with an id is answered with that id (an object or array id, which is invalid, with null). */
function checkIdEcho(request: string, answer: string, problems: string[]): void {
  let sent: unknown
  try {
    sent = JSON.parse(request)
  } catch {
    return
  }
  if (typeof sent !== 'object' || sent === null || Array.isArray(sent) || !Object.hasOwn(sent, 'id')) return
  const id = (sent as { id: unknown }).id
  // Numbers JS cannot hold exactly come back as written: malformed.test.ts checks those byte for byte.
  if (typeof id === 'number' && !Number.isSafeInteger(id)) return
  const expected = typeof id === 'object' ? null : id
  const got = (JSON.parse(answer) as { id?: unknown }).id
  if (got !== expected) problems.push(`id ${JSON.stringify(got)} answered for id ${JSON.stringify(id)} <- ${request.slice(0, 200)}`)
}

describe.runIf(IS_OLNODE)(`fuzzing the JSON-RPC server (seed ${SEED})`, () => {
  let devnet: DevnetProcess
  const problems: string[] = []

  beforeAll(async () => {
    devnet = await startDevnet()
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  it(`${HTTP_REQUESTS} requests over HTTP`, async () => {
    const fuzz = new Fuzzer(prng(SEED))
    const bodies = Array.from({ length: HTTP_REQUESTS }, () => fuzz.body())
    const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONCURRENCY })
    let next = 0
    const worker = async () => {
      while (next < bodies.length) {
        const { text, binary } = bodies[next++]
        const { status, text: answer } = await post(devnet.url, agent, binary ?? text)
        if (status !== 200) problems.push(`HTTP ${status} ${answer.slice(0, 100)} <- ${text.slice(0, 200)}`)
        else if (answer !== '') checkAnswerText(answer, text, problems)
        if (status === 200 && answer !== '') checkIdEcho(text, answer, problems)
      }
    }
    await Promise.all(Array.from({ length: HTTP_CONCURRENCY }, worker))
    agent.destroy()
    expect(problems, `seed ${SEED}`).toEqual([])
    expect(devnet.proc.exitCode).toBeNull()
  })

  it(`${WS_REQUESTS} messages over WebSocket`, async () => {
    const fuzz = new Fuzzer(prng(SEED + 1))
    const perConnection = WS_REQUESTS / WS_CONNECTIONS
    const run = async (connection: number) => {
      const ws = new WebSocket(devnet.wsUrl)
      let closed = false
      ws.on('close', () => (closed = true))
      await new Promise((resolve, reject) => {
        ws.once('open', resolve)
        ws.once('error', reject)
      })
      let last = ''
      const markers = new Map<string, () => void>()
      ws.on('message', (data) => {
        const text = data.toString()
        const marker = /"id":"(marker-[0-9-]+)"/.exec(text)?.[1]
        if (marker && markers.has(marker)) return markers.get(marker)!()
        checkAnswerText(text, last, problems)
      })
      for (let i = 0; i < perConnection; i++) {
        const { text, binary } = fuzz.body()
        last = text
        // Text frames must be UTF-8 (the WebSocket protocol closes on anything else): random bytes go as binary.
        ws.send(binary ?? text, { binary: binary !== undefined })
        // A marker after each message bounds what is in flight, and proves the connection still serves.
        const id = `marker-${connection}-${i}`
        const answered = new Promise<void>((resolve) => markers.set(id, resolve))
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'eth_chainId', params: [] }))
        await withTimeout(answered, 20_000, `answer to ${id} after ${text.slice(0, 200)}`)
        markers.delete(id)
      }
      expect(closed, `connection ${connection} was closed by the server`).toBe(false)
      ws.terminate()
    }
    await Promise.all(Array.from({ length: WS_CONNECTIONS }, (_, i) => run(i)))
    expect(problems, `seed ${SEED}`).toEqual([])
    expect(devnet.proc.exitCode).toBeNull()
  })

  it('still answers normal requests correctly', async () => {
    expect(await rpc<string>(devnet.url, 'eth_chainId')).toBe('0x539')
    expect(await rpc<string>(devnet.url, 'net_version')).toBe('1337')
    const head = await rpc<{ number: string }>(devnet.url, 'eth_getBlockByNumber', ['latest', false])
    expect(await rpc<string>(devnet.url, 'eth_blockNumber')).toBe(head.number)
    expect(devnet.proc.exitCode).toBeNull()
  })
})
