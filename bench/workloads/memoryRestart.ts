/**
 * Workload (olnode only): the node's resident memory after BENCH_MEMORY_TXS transfers on a datadir, and its
 * peak over the run, then the time from spawning it again on that datadir until it answers eth_blockNumber
 * with its head.
 */
import { readFileSync } from 'node:fs'
import { createRpcClient } from '../client.ts'
import { NODE_START_TIMEOUT_MS } from '../config.ts'
import { INTERVAL_GAS_LIMIT, INTERVAL_REQUEST_TIMEOUT_MS, offerAndSettle } from '../load/intervalLoad.ts'
import { fundSenders, transferQueues } from '../load/transferPlan.ts'
import { launchNode, type BenchNode } from '../nodes.ts'
import type { StartOptions } from '../nodeCommand.ts'
import type { Workload } from './workload.ts'

/** Interval mining with large blocks: 100,000 transfers go in far quicker than one block each. */
const START: StartOptions = { blockTimeS: 1, gasLimit: INTERVAL_GAS_LIMIT }
const POLL_MS = 5
const POLL_TIMEOUT_MS = 1_000
/** Setup and checks; the sending is bounded at 10 ms a transaction (olnode mined about 170 a second on 2026-11-26). */
const OVERHEAD_MS = 240_000

/** A field of /proc/pid/status in MB (10^6 bytes): VmRSS now, VmHWM the peak; /proc gives them in kB (KiB). */
function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`))
  if (!line) throw new Error(`no ${field} in /proc/${pid}/status`)
  return (Number(line.split(/\s+/)[1]) * 1_024) / 1e6
}

/** Milliseconds from spawning olnode on `stopped`'s datadir to its first eth_blockNumber answer of at least `head`. */
async function restartMs(stopped: BenchNode, head: number): Promise<number> {
  const { node } = await launchNode('olnode', { ...START, home: stopped.home })
  const client = createRpcClient(node.url, 1, POLL_TIMEOUT_MS)
  try {
    while (performance.now() - node.spawnedAt < NODE_START_TIMEOUT_MS) {
      // Refused connections until the port is open: keep asking.
      const served = await client.call<string>('eth_blockNumber').then(Number, () => undefined)
      if (served !== undefined && served < head) throw new Error(`restarted at block ${served}, below the ${head} it had before`)
      if (served !== undefined) return performance.now() - node.spawnedAt
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
    throw new Error(`the restarted node did not answer within ${NODE_START_TIMEOUT_MS} ms:\n${node.outputTail()}`)
  } finally {
    client.close()
    await node.stop()
  }
}

export function memoryAndRestart(txs: number): Workload {
  return {
    measures: [
      { name: `RSS after ${txs.toLocaleString('en-US')} transactions`, unit: 'MB', lowerIsBetter: true },
      { name: `peak RSS over ${txs.toLocaleString('en-US')} transactions`, unit: 'MB', lowerIsBetter: true },
      { name: 'restart to serving RPC', unit: 'ms', lowerIsBetter: true },
    ],
    only: ['olnode'],
    start: START,
    requestTimeoutMs: INTERVAL_REQUEST_TIMEOUT_MS,
    timeoutMs: () => OVERHEAD_MS + txs * 10,
    async run(client, _config, node) {
      const queues = transferQueues(txs)
      await fundSenders(client)
      await offerAndSettle(client, queues, Infinity)
      const rss = statusMb(node.pid, 'VmRSS')
      const peakRss = statusMb(node.pid, 'VmHWM')
      const head = Number(await client.call<string>('eth_blockNumber'))
      await node.stop(true)
      return [rss, peakRss, await restartMs(node, head)]
    },
  }
}
