import type { CustomCrypto } from '@ethereumjs/common'
import { calculateSigRecovery, concatBytes, setLengthLeft } from '@ethereumjs/util'
import * as ecc from 'tiny-secp256k1'

/**
 * Sender recovery on libsecp256k1 compiled to WebAssembly (tiny-secp256k1): about 5x faster than
 * the pure-JS default, and recovering senders is the largest single cost of a transaction.
 * It accepts and refuses exactly the signatures libsecp256k1 does (r, s in [1, n), recovery id 0/1);
 * transaction rules such as EIP-2's low s are checked by ethereumjs before it is called.
 */
export const chainCrypto: CustomCrypto = {
  ecrecover(msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array, chainId?: bigint): Uint8Array {
    const recovery = calculateSigRecovery(v, chainId)
    if (recovery !== 0n && recovery !== 1n) throw new Error('Invalid signature v value')
    const signature = concatBytes(setLengthLeft(r, 32), setLengthLeft(s, 32))
    const publicKey = ecc.recover(msgHash, signature, Number(recovery) as 0 | 1, false)
    if (!publicKey) throw new Error('signature does not recover a public key')
    return publicKey.subarray(1)
  },
}
