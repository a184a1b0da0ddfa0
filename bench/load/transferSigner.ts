/**
 * Value transfers for the interval-mining workloads, pre-signed by the hundred thousand (bench/eip1559.ts).
 * The senders are keys derived from a fixed seed, so every node, every run, gets the same transactions.
 */
import type { SignedTx } from '../accounts.ts'
import { addressOf, keccak256, signEip1559 } from '../eip1559.ts'

const TRANSFER_GAS = 21_000n
const EMPTY = new Uint8Array(0)

export interface TransferSender {
  key: Uint8Array
  address: string
}

/** Sender i: the key keccak256("olnode-bench-sender-i"). */
export function transferSender(i: number): TransferSender {
  const key = keccak256(new TextEncoder().encode(`olnode-bench-sender-${i}`))
  return { key, address: addressOf(key) }
}

/** A fresh address per index: 0xbe, then zeros, then the index (clear of every precompile range). */
export function freshRecipient(i: number): Uint8Array {
  const to = new Uint8Array(20)
  to[0] = 0xbe
  new DataView(to.buffer).setBigUint64(12, BigInt(i))
  return to
}

/** An EIP-1559 transfer of 1 wei. */
export function signTransfer(sender: TransferSender, nonce: number, to: Uint8Array): SignedTx {
  return signEip1559(sender.key, nonce, { to, value: 1n, data: EMPTY, gasLimit: TRANSFER_GAS })
}
