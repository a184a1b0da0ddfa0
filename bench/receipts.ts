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

/** A node's answer to a method it lacks: -32601 (geth, anvil), -32004 (Hardhat: "not supported"). */
const UNSUPPORTED_CODES = new Set([-32601, -32004])
/**
 * Blocks per eth_getBlockReceipts batch: one. anvil's time per block grows with its size, and a batch of four
 * 4,000-transfer blocks (about 3 MB of JSON each) ran past the client's 120 s request timeout.
 */
const RECEIPT_BLOCK_BATCH = 1
/** Batches in flight: anvil computes receipts on as many threads (2 cores: 39,600 in 67 s instead of 125). */
const RECEIPT_BATCHES_IN_FLIGHT = 2

/** Blocks `from` + 1 .. `to`, as a batch's block numbers at a time. */
function* blockBatches(from: number, to: number): Generator<string[]> {
  for (let n = from + 1; n <= to; n += RECEIPT_BLOCK_BATCH) {
    yield Array.from({ length: Math.min(RECEIPT_BLOCK_BATCH, to - n + 1) }, (_, i) => `0x${(n + i).toString(16)}`)
  }
}

/**
 * Throws unless every hash has a receipt with status 1 in blocks `from` + 1 .. `to`, read whole blocks at a
 * time with eth_getBlockReceipts; false if the node lacks that method.
 */
async function checkBlockReceipts(client: RpcClient, hashes: string[], from: number, to: number): Promise<boolean> {
  const unchecked = new Set(hashes.map((h) => h.toLowerCase()))
  const batches = blockBatches(from, to)
  let supported = true
  // The loops share one generator, so each batch is fetched once; leaving a loop early ends it for both.
  const checkBatches = async () => {
    for (const numbers of batches) {
      const answers = await client.batch(numbers.map((b) => ({ method: 'eth_getBlockReceipts', params: [b] })))
      for (const [i, r] of answers.entries()) {
        if (r.error && UNSUPPORTED_CODES.has(r.error.code)) return void (supported = false)
        if (!Array.isArray(r.result)) throw new Error(`eth_getBlockReceipts(${numbers[i]}): ${r.error?.message ?? 'no receipts'}`)
        for (const receipt of r.result as Receipt[]) {
          const hash = receipt.transactionHash.toLowerCase()
          if (unchecked.delete(hash) && receipt.status !== '0x1') throw new Error(`transaction ${hash} failed`)
        }
      }
    }
  }
  await Promise.all(Array.from({ length: RECEIPT_BATCHES_IN_FLIGHT }, checkBatches))
  if (!supported) return false
  if (unchecked.size > 0) throw new Error(`${unchecked.size} transactions have no receipt in blocks ${from + 1}..${to}, e.g. ${unchecked.values().next().value}`)
  return true
}

/**
 * Throws unless every hash has a receipt with status 1. Given the blocks that hold them, reads whole blocks'
 * receipts where the node can: anvil 1.7.1 takes 3.5 ms per eth_getTransactionReceipt in blocks of 4,000
 * transfers (138 s for 39,800, which ran its sustained runs past their time limit), and 1.7 ms per receipt
 * by blocks, two batches at a time. Otherwise one batch of hashes at a time, keeping none of them.
 */
export async function assertAllSucceeded(client: RpcClient, hashes: string[], blocks?: { from: number; to: number }): Promise<void> {
  if (blocks && (await checkBlockReceipts(client, hashes, blocks.from, blocks.to))) return
  for (let i = 0; i < hashes.length; i += BATCH_SIZE) {
    const chunk = hashes.slice(i, i + BATCH_SIZE)
    const receipts = await fetchReceipts(client, chunk)
    const bad = receipts.findIndex((r) => r?.status !== '0x1')
    if (bad >= 0) throw new Error(`transaction ${chunk[bad]} ${receipts[bad] ? 'failed' : 'has no receipt'}`)
  }
}
