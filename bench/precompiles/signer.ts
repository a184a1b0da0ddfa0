/**
 * Signs the precompile calls that populate a Datanet (tens of thousands of signatures) through
 * bench/eip1559.ts: ethers' pure-JS signing costs ~15 ms per 3.6 KB transaction. The node checks every
 * signature as it would any other.
 */
import { hexToBytes } from '@ethereumjs/util'
import type { Wallet } from 'ethers'
import type { SignedTx } from '../accounts.ts'
import { signEip1559 } from '../eip1559.ts'

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
    sign: (nonce, f) => signEip1559(key, nonce, { to: hexToBytes(f.to as `0x${string}`), value: f.value ?? 0n, data: f.data, gasLimit: f.gasLimit }),
  }
}
