/**
 * The measurement behind the eth_call and eth_blockNumber workloads: autocannon keeps CANNON_CONNECTIONS
 * keep-alive connections busy with one JSON-RPC request (the same POST body each time), from worker
 * threads so that the client does not cap the figure; each answer's body is checked against the result
 * read once before the window. Beside the rate, the CPU the node spent per correct answer.
 */
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import type { RpcCall, RpcClient } from '../client.ts'
import type { Measure } from '../workloads/workload.ts'
import { LOAD_WARMUP_MS } from '../config.ts'
import { treeCpuMs } from './processCpu.ts'

export const CANNON_CONNECTIONS = 64
/**
 * Against anvil's eth_blockNumber on this 2-core machine one autocannon thread answered ~7,000/s and two
 * worker threads ~9,500/s: one thread is the bottleneck even with the node taking a core.
 */
export const CANNON_WORKERS = 2

const verifier = fileURLToPath(new URL('./verifyResult.cjs', import.meta.url))

interface Tally {
  correct: number
  wrong: number
  seconds: number
}

async function fire(url: string, body: string, seconds: number): Promise<Tally> {
  const r = await autocannon({
    url,
    connections: CANNON_CONNECTIONS,
    workers: CANNON_WORKERS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    verifyBody: verifier,
  })
  // A non-2xx answer carries an error, never the expected result, so verifyResult counts it as a mismatch too.
  const correct = Math.min(r['2xx'], r['2xx'] + r.non2xx - r.mismatches)
  return { correct, wrong: r.mismatches + r.errors, seconds: r.duration }
}

export interface CannonFigures {
  /** Correct answers per second. */
  rate: number
  /** CPU (user + system) of the node's processes per correct answer, µs. */
  nodeCpuUs: number
}

/**
 * Correct answers per second over `durationMs` after an unmeasured warm-up, and the CPU the node (process `pid`
 * and its descendants) spent on them; `expected` is the right result.
 */
export async function cannonRate(url: string, pid: number, client: RpcClient, call: RpcCall, expected: string, durationMs: number): Promise<CannonFigures> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: call.method, params: call.params })
  const first = await client.call(call.method, call.params)
  if (first !== expected) throw new Error(`${call.method} answered ${JSON.stringify(first)}, expected ${expected}`)
  process.env.BENCH_EXPECTED_RESULT = expected
  await fire(url, body, LOAD_WARMUP_MS / 1_000)
  const cpuBefore = treeCpuMs(pid)
  const t = await fire(url, body, durationMs / 1_000)
  const nodeMs = treeCpuMs(pid) - cpuBefore
  if (t.wrong > 0) console.warn(`  ${call.method}: ${t.wrong} wrong, error or missing answers (not counted)`)
  if (t.correct === 0) throw new Error(`${call.method}: no correct answer in ${durationMs} ms`)
  return { rate: t.correct / t.seconds, nodeCpuUs: (nodeMs * 1_000) / t.correct }
}

/** A cannon workload's rows: the rate, and the node's CPU per call. */
export function cannonMeasures(name: string): Measure[] {
  return [
    { name, unit: 'calls/s' },
    { name: `${name}, node CPU per call`, unit: 'µs', lowerIsBetter: true },
  ]
}
