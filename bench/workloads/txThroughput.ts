/**
 * The measurement behind both transaction workloads: per-sender queues of pre-signed transactions,
 * sent concurrently (one loop per sender, in nonce order, each send awaited), then timed until every
 * receipt is available and successful.
 */
import { nonceOf, senders, signTx, type SignedTx, type TxFields } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { TXS_PER_SENDER } from '../config.ts'
import { awaitSuccessfulReceipts } from '../receipts.ts'

/** Signs TXS_PER_SENDER transactions per sender from its current nonce; `fields(i)` gets a global index. */
export async function presign(client: RpcClient, fields: (i: number) => TxFields): Promise<SignedTx[][]> {
  const queues: SignedTx[][] = []
  for (const [s, wallet] of senders.entries()) {
    const nonce = await nonceOf(client, wallet.address)
    const queue: SignedTx[] = []
    for (let k = 0; k < TXS_PER_SENDER; k++) queue.push(await signTx(wallet, nonce + k, fields(s * TXS_PER_SENDER + k)))
    queues.push(queue)
  }
  return queues
}

async function sendQueue(client: RpcClient, queue: SignedTx[]): Promise<void> {
  for (const tx of queue) {
    const hash = await client.call<string>('eth_sendRawTransaction', [tx.raw])
    if (hash.toLowerCase() !== tx.hash) throw new Error(`eth_sendRawTransaction returned ${hash}, expected ${tx.hash}`)
  }
}

/** Transactions per second, from the first send until the last receipt is in. */
export async function measureTxThroughput(client: RpcClient, queues: SignedTx[][]): Promise<number> {
  const hashes = queues.flat().map((t) => t.hash)
  if (new Set(hashes).size !== hashes.length) throw new Error('pre-signed transactions are not all distinct')
  const start = performance.now()
  await Promise.all(queues.map((q) => sendQueue(client, q)))
  const receipts = await awaitSuccessfulReceipts(client, hashes, queues.map((q) => q[q.length - 1].hash))
  const seconds = (performance.now() - start) / 1_000
  if (receipts.length !== hashes.length) throw new Error(`got ${receipts.length} receipts for ${hashes.length} transactions`)
  return hashes.length / seconds
}
