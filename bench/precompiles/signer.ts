/**
 * Signs EIP-1559 transactions with libsecp256k1 (tiny-secp256k1, WebAssembly): populating a Datanet
 * takes tens of thousands of signatures, and ethers' pure-JS signing costs ~15 ms per 3.6 KB
 * transaction against ~3 ms here. The node checks every signature as it would any other.
 */
import { RLP } from '@ethereumjs/rlp'
import { bytesToBigInt, bytesToHex, concatBytes, hexToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { Wallet } from 'ethers'
import * as ecc from 'tiny-secp256k1'
import { MAX_FEE_PER_GAS, MAX_PRIORITY_FEE_PER_GAS, type SignedTx } from '../accounts.ts'
import { CHAIN_ID } from '../config.ts'

const TX_TYPE = Uint8Array.of(0x02)

export interface CallFields {
  to: string
  data: Uint8Array
  gasLimit: bigint
  value?: bigint
}

export interface FastSigner {
  address: string
  sign(nonce: number, fields: CallFields): SignedTx
}

export function fastSigner(wallet: Wallet): FastSigner {
  const key = hexToBytes(wallet.privateKey as `0x${string}`)
  return {
    address: wallet.address,
    sign(nonce, f) {
      const body = [BigInt(CHAIN_ID), BigInt(nonce), MAX_PRIORITY_FEE_PER_GAS, MAX_FEE_PER_GAS, f.gasLimit, hexToBytes(f.to as `0x${string}`), f.value ?? 0n, f.data, []]
      const { signature, recoveryId } = ecc.signRecoverable(keccak_256(concatBytes(TX_TYPE, RLP.encode(body))), key)
      const r = bytesToBigInt(signature.subarray(0, 32))
      const s = bytesToBigInt(signature.subarray(32))
      const raw = concatBytes(TX_TYPE, RLP.encode([...body, BigInt(recoveryId), r, s]))
      return { raw: bytesToHex(raw), hash: bytesToHex(keccak_256(raw)) }
    },
  }
}
