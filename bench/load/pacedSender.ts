/**
 * An open-loop sender: each queue goes out in order, in JSON-RPC batches of eth_sendRawTransaction, on a
 * schedule that offers `ratePerS` in all, with a bound on how many may wait unmined in the node.
 */
import type { SignedTx } from '../accounts.ts'
import type { RpcClient } from '../client.ts'

export const SEND_BATCH = 100
const MAX_WAIT_MS = 20

export interface Pace {
  ratePerS: number
  /** performance.now() after which nothing more is sent. */
  deadline: number
  /** Most transactions sent and not yet in a block. */
  maxWaiting: number
  /** Transactions in blocks mined since the first send. */
  included(): number
}

/** A node refused a transaction (or answered another hash): every sent one must be accepted. */
export class TxRefusedError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Sends `txs` as one batch; throws unless the node accepted each, answering its hash. */
export async function sendBatch(client: RpcClient, txs: SignedTx[]): Promise<void> {
  const answers = await client.batch(txs.map((tx) => ({ method: 'eth_sendRawTransaction', params: [tx.raw] })))
  for (const [i, a] of answers.entries()) {
    if (typeof a.result === 'string' && a.result.toLowerCase() === txs[i].hash) continue
    throw new TxRefusedError(`eth_sendRawTransaction of ${txs[i].hash}: ${a.error?.message ?? `answered ${JSON.stringify(a.result)}`}`)
  }
}

/** Sends until the queues are empty or the deadline passes; returns what was sent, every one accepted. */
export async function sendPaced(client: RpcClient, queues: SignedTx[][], pace: Pace): Promise<SignedTx[]> {
  const start = performance.now()
  const perQueueMs = pace.ratePerS / queues.length / 1_000
  let sent = 0
  const sendQueue = async (queue: SignedTx[], l: number): Promise<SignedTx[]> => {
    // Each queue's batches fall due at its own times, so the loops' batches interleave.
    const offset = (l / queues.length) * (SEND_BATCH / perQueueMs)
    let k = 0
    while (k < queue.length && performance.now() < pace.deadline) {
      const due = Math.min(queue.length, Math.floor((performance.now() - start + offset) * perQueueMs))
      const room = pace.maxWaiting - (sent - pace.included())
      const n = Math.min(SEND_BATCH, queue.length - k)
      if (due - k < n || room < n) {
        await sleep(Math.max(1, Math.min(MAX_WAIT_MS, (k + n - due) / perQueueMs)))
        continue
      }
      sent += n
      await sendBatch(client, queue.slice(k, k + n))
      k += n
    }
    return queue.slice(0, k)
  }
  return (await Promise.all(queues.map(sendQueue))).flat()
}
