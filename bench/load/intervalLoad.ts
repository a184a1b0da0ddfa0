/**
 * The load behind the interval-mining workloads: pre-signed transfers offered at OFFERED_TX_PER_S until a
 * deadline (or until all are sent), then a drain until every sent transaction is in a block, then every
 * receipt checked.
 */
import type { SignedTx } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { assertAllSucceeded } from '../receipts.ts'
import { watchBlocks } from './blockCounter.ts'
import { sendPaced } from './pacedSender.ts'
import { treeCpuMs } from './processCpu.ts'

export const OFFERED_TX_PER_S = 4_000
/** Below olnode's pool (5,120, geth's default), which refuses transactions beyond it. */
export const MAX_WAITING = 5_000
/** How long the node may take, after the sending stops, to mine what it has accepted. */
export const DRAIN_MS = 60_000
/**
 * How long a request may wait: a node that seals a block of thousands of transfers on the thread that serves
 * RPC answers nothing until it is done (olnode took over 30 s once, on 2026-11-26).
 */
export const INTERVAL_REQUEST_TIMEOUT_MS = 120_000
/** Block gas limit for these workloads: 4,000 transfers a second fill 84M gas, under half of it, so the base fee falls instead of rising past the fee cap. */
export const INTERVAL_GAS_LIMIT = 200_000_000

export interface Settled {
  sent: SignedTx[]
  /** Transactions in the blocks mined from the first send until the window's end (all, without a window). */
  includedInWindow: number
  /** CPU (user + system) the node's processes spent from the first send until the window's end, ms; with `nodePid` and a window. */
  nodeCpuMsInWindow?: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function drain(included: () => number, sent: number): Promise<void> {
  const until = performance.now() + DRAIN_MS
  while (included() < sent) {
    if (performance.now() > until) throw new Error(`${sent - included()} of ${sent} accepted transactions not mined ${DRAIN_MS / 1_000} s after the sending stopped`)
    await sleep(100)
  }
}

/** The head at performance.now() time `t`: read then, not when the last batch's answer comes in. */
function headAt(client: RpcClient, t: number): Promise<number> {
  const head = sleep(Math.max(0, t - performance.now())).then(() => client.call<string>('eth_blockNumber').then(Number))
  // If the sending fails first, nobody waits for this: its rejection must not go unhandled.
  head.catch(() => undefined)
  return head
}

/** The CPU the node's processes have spent by performance.now() time `t`, read then, ms. */
function cpuAt(nodePid: number, t: number): Promise<number> {
  const cpu = sleep(Math.max(0, t - performance.now())).then(() => treeCpuMs(nodePid))
  // As headAt's: if the sending fails first, nobody waits for this.
  cpu.catch(() => undefined)
  return cpu
}

/** `windowMs` from the first send; Infinity sends every queue to its end. `nodePid`: also measure the node's CPU over the window. */
export async function offerAndSettle(client: RpcClient, queues: SignedTx[][], windowMs: number, nodePid?: number): Promise<Settled> {
  const startHead = Number(await client.call<string>('eth_blockNumber'))
  const counter = watchBlocks(client, startHead)
  const deadline = performance.now() + windowMs
  const measureCpu = nodePid !== undefined && windowMs !== Infinity
  const startCpu = measureCpu ? treeCpuMs(nodePid) : 0
  const endHead = windowMs === Infinity ? undefined : headAt(client, deadline)
  const endCpu = measureCpu ? cpuAt(nodePid, deadline) : undefined
  try {
    const sent = await sendPaced(client, queues, { ratePerS: OFFERED_TX_PER_S, deadline, maxWaiting: MAX_WAITING, included: counter.included })
    const includedInWindow = endHead ? await counter.countTo(await endHead) : sent.length
    await drain(counter.included, sent.length)
    const head = Number(await client.call<string>('eth_blockNumber'))
    await assertAllSucceeded(client, sent.map((t) => t.hash), { from: startHead, to: head })
    return { sent, includedInWindow, nodeCpuMsInWindow: endCpu && (await endCpu) - startCpu }
  } finally {
    counter.stop()
  }
}
