import type { Block } from '@ethereumjs/block'
import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes, bytesToBigInt, bytesToHex, equalsBytes, intToUnpaddedBytes } from '@ethereumjs/util'
import { CertificateError, MalformedMessageError } from './errors.ts'
import { hash, recoverSigner, roundOf, signBytes, unsigned, type Signed, type Vote } from './messages.ts'
import type { ValidatorSet } from './validatorSet.ts'

/** A quorum of precommit signatures for one block at one round: the proof that the block is decided. */
export interface CommitCertificate {
  height: bigint
  round: number
  blockHash: Uint8Array
  /** Ordered by signer address, so every node encodes the same precommits the same way. */
  signatures: Uint8Array[]
}

/** The certificate of the precommits given (all for the same block, height and round). */
export function certificateOf(precommits: readonly Signed<Vote>[]): CommitCertificate {
  const [first] = precommits
  if (!first?.message.blockHash) throw new Error('a certificate needs precommits for a block')
  const sorted = [...precommits].sort((a, b) => (a.signer < b.signer ? -1 : a.signer > b.signer ? 1 : 0))
  return { height: first.message.height, round: first.message.round, blockHash: first.message.blockHash, signatures: sorted.map((p) => p.signature) }
}

/**
 * Checks that the certificate proves `blockHash` decided at its height: every signature recovers to a
 * distinct validator from its precommit sign bytes, and there are at least a quorum of them. Returns the
 * signers; throws CertificateError naming the fault.
 */
export function verifyCertificate(certificate: CommitCertificate, validators: ValidatorSet, chainId: number, blockHash: Uint8Array): string[] {
  if (!equalsBytes(certificate.blockHash, blockHash)) throw new CertificateError('WRONG_BLOCK', `certificate is for ${bytesToHex(certificate.blockHash)}, not ${bytesToHex(blockHash)}`)
  const bytes = signBytes(chainId, { kind: 'precommit', height: certificate.height, round: certificate.round, blockHash })
  const signers: string[] = []
  for (const signature of certificate.signatures) {
    const signer = signerOf(bytes, signature)
    if (!validators.has(signer)) throw new CertificateError('NOT_A_VALIDATOR', `${signer} signed the certificate but is not a validator`)
    if (signers.includes(signer)) throw new CertificateError('DUPLICATE_SIGNER', `${signer} signed the certificate twice`)
    signers.push(signer)
  }
  if (signers.length < validators.quorum) throw new CertificateError('NO_QUORUM', `${signers.length} signatures, the quorum is ${validators.quorum}`)
  return signers
}

function signerOf(bytes: Uint8Array, signature: Uint8Array): string {
  try {
    return recoverSigner(bytes, signature)
  } catch (err) {
    throw new CertificateError('BAD_SIGNATURE', (err as Error).message)
  }
}

/**
 * The check a node applies to every block that reaches it with a certificate (gossip, sync): the
 * certificate decodes, is for this block at its height, and carries a quorum of the validators'
 * precommit signatures. Throws MalformedMessageError or CertificateError.
 */
export function certifiedBlockCheck(validators: ValidatorSet, chainId: number): (block: Block, certificate: Uint8Array) => void {
  return (block, bytes) => {
    const certificate = decodeCertificate(bytes)
    if (certificate.height !== block.header.number) {
      throw new CertificateError('WRONG_BLOCK', `certificate is for height ${certificate.height}, the block is number ${block.header.number}`)
    }
    verifyCertificate(certificate, validators, chainId, block.hash())
  }
}

/** RLP([height, round, blockHash, [signature, ...]]). */
export function encodeCertificate(certificate: CommitCertificate): Uint8Array {
  return RLP.encode([bigIntToUnpaddedBytes(certificate.height), intToUnpaddedBytes(certificate.round), certificate.blockHash, certificate.signatures])
}

/** The inverse of encodeCertificate; MalformedMessageError for anything else. Says nothing of validity: verify it. */
export function decodeCertificate(bytes: Uint8Array): CommitCertificate {
  let decoded: unknown
  try {
    decoded = RLP.decode(bytes)
  } catch (err) {
    throw new MalformedMessageError(`certificate is not RLP: ${(err as Error).message}`)
  }
  if (!Array.isArray(decoded) || decoded.length !== 4) throw new MalformedMessageError('a certificate is a list of 4 fields')
  const [height, round, blockHash, signatures] = decoded as unknown[]
  if (!(height instanceof Uint8Array) || !(round instanceof Uint8Array) || !(blockHash instanceof Uint8Array)) throw new MalformedMessageError('certificate height, round and block hash are byte strings')
  if (!Array.isArray(signatures) || !signatures.every((s) => s instanceof Uint8Array && s.length === 65)) throw new MalformedMessageError('certificate signatures are a list of 65-byte strings')
  return { height: bytesToBigInt(unsigned(height, 8, 'height')), round: roundOf(round, 'round'), blockHash: hash(blockHash, 'block hash'), signatures }
}
