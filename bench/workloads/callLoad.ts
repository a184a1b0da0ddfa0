/**
 * The measurement behind the trace, getLogs and getProof workloads: LOAD_CONCURRENCY loops, each keeping one request in
 * flight on its own keep-alive socket, for a fixed window; only correct answers count.
 */
import { RpcError, type RpcCall, type RpcClient } from '../client.ts'
import { LOAD_CONCURRENCY, LOAD_WARMUP_MS } from '../config.ts'

interface Tally {
  ok: number
  wrong: number
  seconds: number
}

async function hammer(client: RpcClient, call: RpcCall, isCorrect: (result: unknown) => boolean, durationMs: number): Promise<Tally> {
  const start = performance.now()
  const deadline = start + durationMs
  const tally: Tally = { ok: 0, wrong: 0, seconds: 0 }
  const loop = async () => {
    while (performance.now() < deadline) {
      try {
        const result = await client.call(call.method, call.params)
        if (isCorrect(result)) tally.ok++
        else tally.wrong++
      } catch (err) {
        // A JSON-RPC error is a wrong answer; a transport failure means the node is gone: give up.
        if (!(err instanceof RpcError)) throw err
        tally.wrong++
      }
    }
  }
  await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, loop))
  // Until the last in-flight answer: requests sent just before the deadline are counted, so is their time.
  tally.seconds = (performance.now() - start) / 1_000
  return tally
}

/** Correct responses per second over the window, after an unmeasured warm-up. */
export async function measureCallRate(client: RpcClient, call: RpcCall, isCorrect: (result: unknown) => boolean, durationMs: number): Promise<number> {
  await hammer(client, call, isCorrect, LOAD_WARMUP_MS)
  const t = await hammer(client, call, isCorrect, durationMs)
  if (t.wrong > 0) console.warn(`  ${call.method}: ${t.wrong} wrong or error answers (not counted)`)
  if (t.ok === 0) throw new Error(`${call.method}: no correct answer in ${durationMs} ms`)
  return t.ok / t.seconds
}
