import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Address } from '@ethereumjs/util'
import { cryptoBackends } from '../crypto/backends.ts'

const ADDRESS_BYTES = 20

/**
 * Makes `tx` answer `sender` from then on without recovering it from the signature, and freezes it
 * (see frozen). `tx` must have been created with `freeze: false`.
 * This is how a transaction from an impersonated account, whose signature is a placeholder, has a sender.
 */
export function withSender<T extends TypedTransaction>(tx: T, sender: Address): T {
  ;(tx as { getSenderAddress: () => Address }).getSenderAddress = () => sender
  return frozen(tx)
}

/**
 * Makes `tx` recover its sender once, on the first call, and answer from memory after (ethereumjs
 * keeps the public key but hashes it into an address on every call: the pool, the block builder, the
 * EVM and RPC each ask). A failed recovery is not remembered. Freezes `tx` (see frozen), which
 * must have been created with `freeze: false`.
 */
export function withMemoizedSender<T extends TypedTransaction>(tx: T, encoded?: Uint8Array): T {
  // The address from the public key on the node's keccak (ethereumjs' pubToAddress uses @noble's).
  const recover = () => new Address(cryptoBackends.keccak256(tx.getSenderPublicKey()).subarray(-ADDRESS_BYTES))
  let sender: Address | undefined
  ;(tx as { getSenderAddress: () => Address }).getSenderAddress = () => (sender ??= recover())
  return frozen(tx, encoded)
}

/**
 * Freezes `tx`, as ethereumjs does by default: a frozen transaction caches its hash. Its encoding,
 * which ethereumjs re-encodes on every call (the pool's size check, the transactions root, the
 * stored block body), is kept from the first call too: a frozen transaction's fields cannot change.
 * `encoded`, the bytes `tx` was decoded from, is that encoding already: ethereumjs decodes only
 * canonical RLP (no leading zeros, minimal lengths), so it encodes those fields to the same bytes
 * (but for a typed chain id, which it does not check: decodeRawTx refuses one with leading zeros).
 */
function frozen<T extends TypedTransaction>(tx: T, encoded?: Uint8Array): T {
  const encode = tx.serialize.bind(tx)
  ;(tx as { serialize: () => Uint8Array }).serialize = () => (encoded ??= encode())
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
