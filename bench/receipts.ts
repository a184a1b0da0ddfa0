/** Waits until every transaction has a receipt, polling with batched eth_getTransactionReceipt. */
import type { RpcClient } from './client.ts'

export interface Receipt {
  transactionHash: string
  status: string
  gasUsed: string
  contractAddress?: string | null
}

/** Small enough for any server's batch limit, large enough that polling costs few round trips. */
const BATCH_SIZE = 250
const POLL_INTERVAL_MS = 10

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function fetchReceipts(client: RpcClient, hashes: string[]): Promise<(Receipt | null)[]> {
  const out: (Receipt | null)[] = []
  for (let i = 0; i < hashes.length; i += BATCH_SIZE) {
    const chunk = hashes.slice(i, i + BATCH_SIZE)
    const res = await client.batch(chunk.map((h) => ({ method: 'eth_getTransactionReceipt', params: [h] })))
    for (const r of res) {
      if (r.error) throw new Error(`eth_getTransactionReceipt: ${r.error.message}`)
      out.push((r.result ?? null) as Receipt | null)
    }
  }
  return out
}

/** Polls until every hash has a receipt; returns them in order. Bounded by the caller: closing the client ends it. */
async function pollReceipts(client: RpcClient, hashes: string[]): Promise<Receipt[]> {
  const found = new Map<string, Receipt>()
  let pending = hashes
  while (pending.length > 0) {
    const got = await fetchReceipts(client, pending)
    got.forEach((r, i) => r && found.set(pending[i], r))
    pending = pending.filter((h) => !found.has(h))
    if (pending.length > 0) await sleep(POLL_INTERVAL_MS)
  }
  return hashes.map((h) => found.get(h)!)
}

/**
 * Resolves with one receipt per hash, in order, once all exist; throws if any failed (status != 1).
 * `watch`, if given, is polled first instead of everything: pass each sender's last transaction, which a
 * node can only include after all its earlier nonces, so that polling stays too light to slow the node.
 */
export async function awaitSuccessfulReceipts(client: RpcClient, hashes: string[], watch?: string[]): Promise<Receipt[]> {
  if (watch) await pollReceipts(client, watch)
  const receipts = await pollReceipts(client, hashes)
  const failed = receipts.filter((r) => r.status !== '0x1')
  if (failed.length > 0) throw new Error(`${failed.length} of ${hashes.length} transactions failed, e.g. ${failed[0].transactionHash}`)
  return receipts
}

/**
 * Throws unless every hash has a receipt with status 1; one batch at a time, keeping none of them (there
 * may be hundreds of thousands).
 */
export async function assertAllSucceeded(client: RpcClient, hashes: string[]): Promise<void> {
  for (let i = 0; i < hashes.length; i += BATCH_SIZE) {
    const chunk = hashes.slice(i, i + BATCH_SIZE)
    const receipts = await fetchReceipts(client, chunk)
    const bad = receipts.findIndex((r) => r?.status !== '0x1')
    if (bad >= 0) throw new Error(`transaction ${chunk[bad]} ${receipts[bad] ? 'failed' : 'has no receipt'}`)
  }
}
