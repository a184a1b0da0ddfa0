/**
 * The heap cap the olnode command runs with (bin/olnode.js), seen from outside: the process started
 * through the bin is node itself, capped, and NODE_OPTIONS moves the cap; under the cap, a trace that
 * would need more than the heap is answered with an error and the node keeps serving.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort, spawnUntilListening, type StartedProcess } from '../support/devnetProcess.ts'
import { DEV_ADDRESSES, IS_OLNODE, blockNumber, postRaw, type JsonRpcResponse } from './helpers.ts'

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/olnode.js')
/** V8's heap_size_limit is the old space plus the young generation (48 MB on 64-bit). */
const YOUNG_GENERATION_MB = 48
/** MSTORE at 64 KiB, then jump back forever: every later step holds 64 KiB of memory, 2,049 words. */
const MEMORY_LOOP = '0x600062010000525b600756'
const LOOP_WORDS = 2 ** 16 / 32 + 1
const LOOP_ADDRESS = '0x00000000000000000000000000000000000100ff'

interface BinNode extends StartedProcess {
  url: string
}

/** `olnode devnet --in-memory` started as users start it, through the bin's shebang; `nodeOptions` is appended to NODE_OPTIONS. */
async function startBin(nodeOptions?: string): Promise<BinNode> {
  const port = await freePort()
  // spawnUntilListening hands this process's environment on: set what the node should see, then restore it.
  const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, OLNODE_LOG_LEVEL: process.env.OLNODE_LOG_LEVEL }
  process.env.OLNODE_LOG_LEVEL = 'info'
  if (nodeOptions) process.env.NODE_OPTIONS = [saved.NODE_OPTIONS, nodeOptions].filter(Boolean).join(' ')
  try {
    const started = await spawnUntilListening('olnode (bin)', BIN, ['devnet', '--in-memory', '--host', '127.0.0.1', '--port', String(port)], 30_000)
    return { ...started, url: `http://127.0.0.1:${port}` }
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

/** debug_traceCall's whole answer; traces near the budget take seconds on a busy machine. */
async function traceCall(node: BinNode, params: unknown[]): Promise<JsonRpcResponse> {
  const { json } = await postRaw(node.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'debug_traceCall', params }), 60_000)
  return json as JsonRpcResponse
}

/** The heap limit the node logged at start, in MB. */
function loggedHeapLimitMb(node: BinNode): number {
  const match = /"heapLimitMb":(\d+)/.exec(node.output())
  if (!match) throw new Error(`no heap limit logged:\n${node.output()}`)
  return Number(match[1])
}

describe.runIf(IS_OLNODE && process.platform === 'linux')('olnode under its heap cap (bin/olnode.js)', () => {
  let node: BinNode | undefined
  afterEach(async () => {
    await node?.stop()
    node = undefined
  })

  it('is node itself, no wrapper, with the V8 heap capped at the bin\'s 384 MB, two malloc arenas and fixed malloc thresholds', async () => {
    node = await startBin()
    const argv = readFileSync(`/proc/${node.proc.pid}/cmdline`, 'utf8').split('\0')
    expect(path.basename(argv[0])).toBe('node')
    expect(argv[1]).toBe(BIN)
    expect(loggedHeapLimitMb(node)).toBe(384 + YOUNG_GENERATION_MB)
    const environ = readFileSync(`/proc/${node.proc.pid}/environ`, 'utf8').split('\0')
    expect(environ).toEqual(expect.arrayContaining(['MALLOC_ARENA_MAX=2', 'MALLOC_MMAP_THRESHOLD_=131072', 'MALLOC_TRIM_THRESHOLD_=262144']))
  })

  it('takes another cap from NODE_OPTIONS', async () => {
    node = await startBin('--max-old-space-size=1024')
    expect(loggedHeapLimitMb(node)).toBe(1024 + YOUNG_GENERATION_MB)
  })

  it('answers a trace larger than the heap can hold with an error, and keeps serving', async () => {
    node = await startBin()
    const call = { from: DEV_ADDRESSES[0], to: LOOP_ADDRESS, gas: '0x2faf080' }
    // A long timeout, as one would give a big trace: the budget must stop it, not the clock.
    const config = { enableMemory: true, timeout: '60s', stateOverrides: { [LOOP_ADDRESS]: { code: MEMORY_LOOP } } }
    const { error } = await traceCall(node, [call, 'latest', config])
    expect(error?.code).toBe(-32000)
    expect(error?.message).toMatch(/^trace too large: struct logs past \d+ MB/)
    // Still alive, and still answering.
    expect(node.proc.exitCode).toBeNull()
    expect(await blockNumber(node.url)).toBe(0)
    // The same loop cut short by geth's "limit" fits (on less gas: the steps past the limit still run).
    const { result } = await traceCall(node, [{ ...call, gas: '0x9000' }, 'latest', { ...config, limit: 10 }])
    const limited = result as { structLogs: { memory?: string[] }[] }
    expect(limited.structLogs).toHaveLength(10)
    expect(limited.structLogs[9].memory).toHaveLength(LOOP_WORDS)
  })
})
