import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Address } from '@ethereumjs/util'

const ADDRESS_BYTES = 20

/**
 * Makes `tx` answer `sender` from then on without recovering it from the signature, and freezes it
 * (a frozen transaction caches its hash). `tx` must have been created with `freeze: false`.
 * This is how a transaction from an impersonated account, whose signature is a placeholder, has a sender.
 */
export function withSender<T extends TypedTransaction>(tx: T, sender: Address): T {
  ;(tx as { getSenderAddress: () => Address }).getSenderAddress = () => sender
  return Object.freeze(tx)
}

/**
 * Makes `tx` recover its sender once, on the first call, and answer from memory after (ethereumjs
 * keeps the public key but hashes it into an address on every call: the pool, the block builder, the
 * EVM and RPC each ask). A failed recovery is not remembered. Freezes `tx`, which must have been
 * created with `freeze: false`.
 */
export function withMemoizedSender<T extends TypedTransaction>(tx: T): T {
  const recover = tx.getSenderAddress.bind(tx)
  let sender: Address | undefined
  ;(tx as { getSenderAddress: () => Address }).getSenderAddress = () => (sender ??= recover())
  return Object.freeze(tx)
}

/** The 20-byte sender addresses of the block's transactions, in block order. */
export function encodeSenders(block: Block): Uint8Array {
  const out = new Uint8Array(block.transactions.length * ADDRESS_BYTES)
  block.transactions.forEach((tx, i) => out.set(tx.getSenderAddress().bytes, i * ADDRESS_BYTES))
  return out
}

/**
 * Gives the transactions of a block decoded with `freeze: false` their stored senders (without them,
 * senders recovered once, on first use), then freezes the block, its header and its transactions as a
 * normal decode would.
 */
export function restoreSenders(block: Block, senders: Uint8Array | undefined): void {
  const known = senders !== undefined && senders.length === block.transactions.length * ADDRESS_BYTES
  block.transactions.forEach((tx, i) => {
    if (known) withSender(tx, new Address(senders.slice(i * ADDRESS_BYTES, (i + 1) * ADDRESS_BYTES)))
    else withMemoizedSender(tx)
  })
  Object.freeze(block.header)
  Object.freeze(block)
}
