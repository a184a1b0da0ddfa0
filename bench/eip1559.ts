/**
 * EIP-1559 transactions signed without ethers, fast enough to pre-sign hundreds of thousands: native
 * libsecp256k1 (the `secp256k1` package the node itself loads) and the node's keccak. Signatures are
 * RFC 6979 and low-s, so the same key, nonce and fields always give the same bytes.
 */
import { createRequire } from 'node:module'
import { RLP } from '@ethereumjs/rlp'
import { bytesToBigInt, bytesToHex, concatBytes } from '@ethereumjs/util'
import { cryptoBackends } from '../node/crypto/backends.ts'
import { MAX_FEE_PER_GAS, MAX_PRIORITY_FEE_PER_GAS, type SignedTx } from './accounts.ts'
import { CHAIN_ID } from './config.ts'

interface Secp256k1 {
  ecdsaSign(msg32: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number }
  publicKeyCreate(key: Uint8Array, compressed: boolean): Uint8Array
}

const secp = createRequire(import.meta.url)('secp256k1') as Secp256k1
export const keccak256 = cryptoBackends.keccak256

const TX_TYPE = Uint8Array.of(0x02)

export interface TxBody {
  to: Uint8Array
  value: bigint
  data: Uint8Array
  gasLimit: bigint
}

/** The address of `key`: the last 20 bytes of its public key's hash. */
export function addressOf(key: Uint8Array): string {
  return bytesToHex(keccak256(secp.publicKeyCreate(key, false).subarray(1)).subarray(12))
}

/** An EIP-1559 transaction on the bench chain, with the fees every workload uses. */
export function signEip1559(key: Uint8Array, nonce: number, tx: TxBody): SignedTx {
  const body = [BigInt(CHAIN_ID), BigInt(nonce), MAX_PRIORITY_FEE_PER_GAS, MAX_FEE_PER_GAS, tx.gasLimit, tx.to, tx.value, tx.data, []]
  const { signature, recid } = secp.ecdsaSign(keccak256(concatBytes(TX_TYPE, RLP.encode(body))), key)
  // r and s as integers: RLP drops their leading zero bytes, as every node's decoder requires.
  const r = bytesToBigInt(signature.subarray(0, 32))
  const s = bytesToBigInt(signature.subarray(32))
  const raw = concatBytes(TX_TYPE, RLP.encode([...body, BigInt(recid), r, s]))
  return { raw: bytesToHex(raw), hash: bytesToHex(keccak256(raw)) }
}
