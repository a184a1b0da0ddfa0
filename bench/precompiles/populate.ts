/**
 * Grows an open Datanet (approved on submission: one transaction per contribution) as fast as the
 * node honestly allows: real signed transactions from several senders, sent over HTTP in JSON-RPC
 * batches with automine off, then sealed with evm_mine into blocks as full as the gas limit allows.
 */
import type { SignedTx } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { awaitSuccessfulReceipts } from '../receipts.ts'
import { PRECOMPILE_ADDRESSES } from '../../precompiles/addresses.ts'
import { submitContribution } from './calls.ts'
import { signNext, type Account } from './tx.ts'

/** Per sender per round: well under the pool's 64 queued per sender, should a batch arrive out of order. */
const PER_SENDER = 25
/** A progress line every this many contributions: a long growth shows its pace as it goes. */
const PROGRESS_EVERY = 1_000

export interface Population {
  contributions: number
  seconds: number
  /** CPU time of this process (node and client) meanwhile: a figure a busy shared machine skews less. */
  cpuSeconds: number
  /** Of `seconds`, the client's signing and encoding. */
  signSeconds: number
  blocks: number
  /** gasUsed of every submission (submit and approve in one call). */
  gas: number[]
}

interface PoolStatus {
  pending: string
  queued: string
}

async function sendBatch(client: RpcClient, txs: SignedTx[]): Promise<void> {
  const res = await client.batch(txs.map((t) => ({ method: 'eth_sendRawTransaction', params: [t.raw] })))
  res.forEach((r, i) => {
    if (r.error || String(r.result).toLowerCase() !== txs[i].hash) throw new Error(`eth_sendRawTransaction: ${r.error?.message ?? `returned ${String(r.result)}`}`)
  })
}

/** Seals blocks until the pool is empty; `maxBlocks` bounds it should a transaction never fit. */
async function mineAll(client: RpcClient, maxBlocks: number): Promise<void> {
  for (let i = 0; i <= maxBlocks; i++) {
    const status = await client.call<PoolStatus>('txpool_status')
    if (Number(status.pending) + Number(status.queued) === 0) return
    await client.call('evm_mine')
  }
  throw new Error(`the pool still holds transactions after ${maxBlocks} blocks`)
}

async function blockNumber(client: RpcClient): Promise<number> {
  return Number(await client.call<string>('eth_blockNumber'))
}

/** Submits contributions `from` … `to - 1` of `stream` to `datanetId`, each with `gasLimit`. */
export async function populate(client: RpcClient, senders: Account[], datanetId: bigint, stream: number, range: { from: number; to: number }, gasLimit: bigint): Promise<Population> {
  const firstBlock = await blockNumber(client)
  await client.call('evm_setAutomine', [false])
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  let signMs = 0
  const gas: number[] = []
  for (let next = range.from; next < range.to; ) {
    const signStart = performance.now()
    const round: SignedTx[] = []
    for (const sender of senders) {
      for (let k = 0; k < PER_SENDER && next < range.to; k++) {
        round.push(signNext(sender, { to: PRECOMPILE_ADDRESSES.datanetRegistry, data: submitContribution(datanetId, stream, next++), gasLimit }))
      }
    }
    signMs += performance.now() - signStart
    await sendBatch(client, round)
    await mineAll(client, round.length)
    const receipts = await awaitSuccessfulReceipts(client, round.map((t) => t.hash))
    for (const r of receipts) gas.push(Number(r.gasUsed))
    if (gas.length % PROGRESS_EVERY < round.length) console.log(`    ${next} contributions, ${((performance.now() - start) / 1_000).toFixed(0)} s`)
  }
  const seconds = (performance.now() - start) / 1_000
  const cpu = process.cpuUsage(cpuStart)
  await client.call('evm_setAutomine', [true])
  return { contributions: range.to - range.from, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, signSeconds: signMs / 1_000, blocks: (await blockNumber(client)) - firstBlock, gas }
}
