/**
 * Latency from eth_sendRawTransaction to a final receipt: transactions sent at a steady rate, each to a
 * random validator, each timed until the block holding it became the head of the validator it was sent
 * to (a decided block is final: receipts are served from then on).
 */
import { nonceOf, recipient, senders, signTx, type SignedTx } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { awaitSuccessfulReceipts, type Receipt } from '../receipts.ts'
import type { HeadWatcher } from './heads.ts'

const TRANSFER_GAS = 21_000n
const ARRIVAL_WAIT_MS = 10_000

interface Sent {
  tx: SignedTx
  node: number
  at: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** `count` transfers round-robin over the senders, so one sender's consecutive nonces are far apart in time. */
async function presign(client: RpcClient, count: number): Promise<SignedTx[]> {
  const nonces = await Promise.all(senders.map((w) => nonceOf(client, w.address)))
  const txs: SignedTx[] = []
  for (let i = 0; i < count; i++) {
    const s = i % senders.length
    txs.push(await signTx(senders[s], nonces[s]++, { to: recipient(i), value: 1n, gasLimit: TRANSFER_GAS }))
  }
  return txs
}

async function sendAt(clients: RpcClient[], tx: SignedTx, delayMs: number): Promise<Sent> {
  await sleep(delayMs)
  const node = Math.floor(Math.random() * clients.length)
  const at = performance.now()
  const hash = await clients[node].call<string>('eth_sendRawTransaction', [tx.raw])
  if (hash.toLowerCase() !== tx.hash) throw new Error(`eth_sendRawTransaction returned ${hash}, expected ${tx.hash}`)
  return { tx, node, at }
}

async function arrival(heads: HeadWatcher, node: number, blockHash: string): Promise<number> {
  const deadline = performance.now() + ARRIVAL_WAIT_MS
  for (;;) {
    const at = heads.arrivalAt(node, blockHash)
    if (at !== undefined) return at
    if (performance.now() > deadline) throw new Error(`block ${blockHash} never reached node ${node}`)
    await sleep(50)
  }
}

/** Milliseconds from send to final receipt, one sample per transaction. */
export async function measureLatency(clients: RpcClient[], heads: HeadWatcher, count: number, ratePerSecond: number): Promise<number[]> {
  const txs = await presign(clients[0], count)
  // Open loop: each send goes at its scheduled time whether or not earlier ones have been answered.
  const sent = await Promise.all(txs.map((tx, i) => sendAt(clients, tx, (i * 1_000) / ratePerSecond)))
  const receipts = await awaitSuccessfulReceipts(clients[0], txs.map((t) => t.hash))
  return Promise.all(sent.map(async (s, i) => (await arrival(heads, s.node, (receipts[i] as Receipt & { blockHash: string }).blockHash)) - s.at))
}
