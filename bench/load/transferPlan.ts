/**
 * The pre-signed transfers of the interval-mining workloads: TRANSFER_SENDERS senders (funded by setBalance
 * before any clock), split over SEND_LOOPS send queues. Signed once per process and extended when a
 * workload needs more, so every node and run gets the very same transactions.
 */
import type { SignedTx } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { freshRecipient, signTransfer, transferSender, type TransferSender } from './transferSigner.ts'

/** Enough senders that each has a few dozen transactions waiting at most, at 4,000 tx/s and 1 s blocks. */
export const TRANSFER_SENDERS = 256
export const SEND_LOOPS = 16
const SENDERS_PER_LOOP = TRANSFER_SENDERS / SEND_LOOPS
/** 1,000 ETH each: far more than 240,000 / 256 transfers at 21,000 gas and 10 gwei cost. */
const SENDER_BALANCE = 10n ** 21n

let senders: TransferSender[] | undefined
const queues: SignedTx[][] = Array.from({ length: SEND_LOOPS }, () => [])

const allSenders = () => (senders ??= Array.from({ length: TRANSFER_SENDERS }, (_, i) => transferSender(i)))

/**
 * At least `total` transfers as SEND_LOOPS queues of equal length. Queue l holds senders l, l + SEND_LOOPS, ...
 * in turn, each in nonce order from 0, so no two queues share a sender and a queue can be sent in order.
 */
export function transferQueues(total: number): SignedTx[][] {
  const perQueue = Math.ceil(total / SEND_LOOPS)
  for (const [l, queue] of queues.entries()) {
    for (let j = queue.length; j < perQueue; j++) {
      const sender = allSenders()[l + SEND_LOOPS * (j % SENDERS_PER_LOOP)]
      queue.push(signTransfer(sender, Math.floor(j / SENDERS_PER_LOOP), freshRecipient(j * SEND_LOOPS + l)))
    }
  }
  return queues.map((q) => q.slice(0, perQueue))
}

/** Gives every sender its balance with hardhat_setBalance (all three nodes serve it), and checks it took. */
export async function fundSenders(client: RpcClient): Promise<void> {
  const balance = `0x${SENDER_BALANCE.toString(16)}`
  const set = await client.batch(allSenders().map((s) => ({ method: 'hardhat_setBalance', params: [s.address, balance] })))
  const refused = set.find((r) => r.error)
  if (refused) throw new Error(`hardhat_setBalance: ${refused.error!.message}`)
  const read = await client.batch(allSenders().map((s) => ({ method: 'eth_getBalance', params: [s.address, 'latest'] })))
  const short = read.filter((r) => typeof r.result !== 'string' || BigInt(r.result) !== SENDER_BALANCE)
  if (short.length > 0) throw new Error(`${short.length} senders lack their balance after hardhat_setBalance`)
}
