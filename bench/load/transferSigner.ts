/**
 * Value transfers signed fast enough to pre-sign a few hundred thousand: native libsecp256k1 and keccak
 * (the `secp256k1` and `keccak` packages the node itself loads), about 0.15 ms a transfer on this machine
 * against 0.6 ms with tiny-secp256k1 and @noble's keccak. The senders are keys derived from a fixed seed, so
 * every node, every run, gets the same transactions.
 */
import { createRequire } from 'node:module'
import { RLP } from '@ethereumjs/rlp'
import { bytesToBigInt, bytesToHex, concatBytes } from '@ethereumjs/util'
import { MAX_FEE_PER_GAS, MAX_PRIORITY_FEE_PER_GAS, type SignedTx } from '../accounts.ts'
import { CHAIN_ID } from '../config.ts'

interface Secp256k1 {
  ecdsaSign(msg32: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number }
  publicKeyCreate(key: Uint8Array, compressed: boolean): Uint8Array
}
type Keccak = (algorithm: 'keccak256') => { update(data: Buffer): { digest(): Buffer } }

const require = createRequire(import.meta.url)
const secp = require('secp256k1') as Secp256k1
const createKeccak = require('keccak') as Keccak

/** The package takes Buffers only: a view of the same bytes, not a copy. */
const keccak256 = (data: Uint8Array): Uint8Array => createKeccak('keccak256').update(Buffer.from(data.buffer, data.byteOffset, data.byteLength)).digest()

const TX_TYPE = Uint8Array.of(0x02)
const TRANSFER_GAS = 21_000n
const EMPTY = new Uint8Array(0)

export interface TransferSender {
  key: Uint8Array
  address: string
}

/** Sender i: the key keccak256("olnode-bench-sender-i"), its address the usual last 20 bytes of the public key's hash. */
export function transferSender(i: number): TransferSender {
  const key = keccak256(new TextEncoder().encode(`olnode-bench-sender-${i}`))
  const publicKey = secp.publicKeyCreate(key, false)
  return { key, address: bytesToHex(keccak256(publicKey.subarray(1)).subarray(12)) }
}

/** A fresh address per index: 0xbe, then zeros, then the index (clear of every precompile range). */
export function freshRecipient(i: number): Uint8Array {
  const to = new Uint8Array(20)
  to[0] = 0xbe
  new DataView(to.buffer).setBigUint64(12, BigInt(i))
  return to
}

/** An EIP-1559 transfer of 1 wei, with the fees every workload uses. */
export function signTransfer(sender: TransferSender, nonce: number, to: Uint8Array): SignedTx {
  const body = [BigInt(CHAIN_ID), BigInt(nonce), MAX_PRIORITY_FEE_PER_GAS, MAX_FEE_PER_GAS, TRANSFER_GAS, to, 1n, EMPTY, []]
  const { signature, recid } = secp.ecdsaSign(keccak256(concatBytes(TX_TYPE, RLP.encode(body))), sender.key)
  // r and s as integers: RLP drops their leading zero bytes, as every node's decoder requires.
  const r = bytesToBigInt(signature.subarray(0, 32))
  const s = bytesToBigInt(signature.subarray(32))
  const raw = concatBytes(TX_TYPE, RLP.encode([...body, BigInt(recid), r, s]))
  return { raw: bytesToHex(raw), hash: bytesToHex(keccak256(raw)) }
}
