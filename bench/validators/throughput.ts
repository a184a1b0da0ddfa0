/**
 * Sustained throughput: every sender pushes pre-signed transfers to its own validator (the senders spread
 * over all four) for a fixed window, keeping a bounded backlog in the pool; the figure is the number of
 * transactions decided from the window's start up to the first block decided after it, per second (a
 * block can take longer than a window's tail, so the window's end alone would cut a full block off).
 */
import type { Wallet } from 'ethers'
import { nonceOf, recipient, senders, signTx, type SignedTx } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { awaitSuccessfulReceipts } from '../receipts.ts'
import type { Arrival, HeadWatcher } from './heads.ts'

const TRANSFER_GAS = 21_000n
/** Sent but not yet included, per sender: enough to fill blocks, far below the pool's limits. */
const BACKLOG = 32
const BACKLOG_POLL_MS = 100
/** Recipients apart from the latency phase's. */
const FIRST_RECIPIENT = 1_000_000
/** How long after the window the block that closes it may take. */
const CLOSING_BLOCK_WAIT_MS = 120_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function presign(client: RpcClient, wallet: Wallet, s: number, count: number): Promise<SignedTx[]> {
  const nonce = await nonceOf(client, wallet.address)
  const txs: SignedTx[] = []
  for (let k = 0; k < count; k++) txs.push(await signTx(wallet, nonce + k, { to: recipient(FIRST_RECIPIENT + s * count + k), value: 1n, gasLimit: TRANSFER_GAS }))
  return txs
}

/** Sends `queue` in nonce order until `until`, waiting whenever BACKLOG transactions are not yet included. */
async function sendLoop(client: RpcClient, address: string, queue: SignedTx[], until: number): Promise<void> {
  const first = await nonceOf(client, address)
  let included = 0
  for (const [k, tx] of queue.entries()) {
    while (k - included >= BACKLOG && performance.now() < until) {
      await sleep(BACKLOG_POLL_MS)
      included = (await nonceOf(client, address)) - first
    }
    if (performance.now() >= until) return
    const hash = await client.call<string>('eth_sendRawTransaction', [tx.raw])
    if (hash.toLowerCase() !== tx.hash) throw new Error(`eth_sendRawTransaction returned ${hash}, expected ${tx.hash}`)
  }
  throw new Error(`a sender ran out of its ${queue.length} pre-signed transactions before the window ended: sign more`)
}

/** The first block decided at or after `end`. */
async function closingBlock(heads: HeadWatcher, end: number): Promise<Arrival> {
  for (;;) {
    const after = heads.firstSeenBetween(end, Infinity).sort((a, b) => a.at - b.at)
    if (after.length > 0) return after[0]
    if (performance.now() > end + CLOSING_BLOCK_WAIT_MS) throw new Error(`no block decided within ${CLOSING_BLOCK_WAIT_MS / 1_000} s of the window's end`)
    await sleep(BACKLOG_POLL_MS)
  }
}

/** Transactions per second decided from the start of `windowMs` of load to the block that closes it, every one checked successful. */
export async function measureThroughput(clients: RpcClient[], heads: HeadWatcher, windowMs: number, perSender: number): Promise<number> {
  const queues = await Promise.all(senders.map((w, s) => presign(clients[0], w, s, perSender)))
  const start = performance.now()
  const end = start + windowMs
  await Promise.all(senders.map((w, s) => sendLoop(clients[s % clients.length], w.address, queues[s], end)))
  const closing = await closingBlock(heads, end)
  const blocks = heads.firstSeenBetween(start, closing.at + 1)
  const hashes: string[] = []
  for (const b of blocks) hashes.push(...(await clients[0].call<{ transactions: string[] }>('eth_getBlockByHash', [b.hash, false])).transactions)
  await awaitSuccessfulReceipts(clients[0], hashes)
  return hashes.length / ((closing.at - start) / 1_000)
}
