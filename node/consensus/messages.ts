import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes, bytesToBigInt, bytesToHex, bytesToInt, intToUnpaddedBytes, utf8ToBytes } from '@ethereumjs/util'
import { BadSignatureError, MalformedMessageError } from './errors.ts'

/** The three kinds of message, numbered in the order a round signs them (the double-sign guard's step). */
export const MESSAGE_CODE = { proposal: 1, prevote: 2, precommit: 3 } as const
export type MessageKind = keyof typeof MESSAGE_CODE
export type VoteKind = 'prevote' | 'precommit'

/** Rounds above this are refused: it keeps a round in a 32-bit field and bounds timeout arithmetic. */
export const MAX_ROUND = 0x7fff_ffff

export interface Proposal {
  kind: 'proposal'
  height: bigint
  round: number
  /** The block's hash: what the votes name. */
  blockHash: Uint8Array
  /** The encoded block; its hash is checked against blockHash by whoever judges it valid. */
  block: Uint8Array
  /** The round whose prevote quorum the proposer re-proposes, or -1. */
  validRound: number
}

export interface Vote {
  kind: VoteKind
  height: bigint
  round: number
  /** undefined: a vote for nil. */
  blockHash: Uint8Array | undefined
}

export type ConsensusMessage = Proposal | Vote

/** A message with its signature and the validator address the signature recovers to (lowercase 0x-hex). */
export interface Signed<M extends ConsensusMessage = ConsensusMessage> {
  message: M
  /** 65 bytes: recovery id, r, s (@noble/curves' "recovered" format), over keccak256(signBytes). */
  signature: Uint8Array
  signer: string
}

/** Makes a signature over one chain's consensus message unusable anywhere else. */
const DOMAIN = utf8ToBytes('olnode/consensus/v1')
const SIGNATURE_BYTES = 65
const HASH_BYTES = 32

/**
 * What a validator signs: RLP([domain, chainId, code, height, round, id]) and, for a proposal,
 * validRound + 1 (0 standing for -1) after id. id is the block hash, or empty for nil. The domain
 * and chain ID keep a signature from being replayed on another chain or protocol; the code, from
 * being replayed as another kind of message.
 */
export function signBytes(chainId: number, message: ConsensusMessage): Uint8Array {
  return RLP.encode([DOMAIN, intToUnpaddedBytes(chainId), ...body(message)])
}

/** The fields a message's sign bytes and its wire form share: code, height, round, id [, validRound + 1]. */
function body(message: ConsensusMessage): Uint8Array[] {
  const common = [intToUnpaddedBytes(MESSAGE_CODE[message.kind]), bigIntToUnpaddedBytes(message.height), intToUnpaddedBytes(message.round), message.blockHash ?? new Uint8Array()]
  return message.kind === 'proposal' ? [...common, intToUnpaddedBytes(message.validRound + 1)] : common
}

/** The vote whose sign bytes these are; undefined for a proposal's (they name its block, not hold it). */
export function voteOfSignBytes(bytes: Uint8Array): Vote | undefined {
  const [, , code, height, round, id] = rlpList(bytes)
  const kind = kindOf(code)
  if (kind === 'proposal') return undefined
  return { kind, height: bytesToBigInt(unsigned(height, 8, 'height')), round: roundOf(round, 'round'), blockHash: id.length === 0 ? undefined : hash(id, 'block hash') }
}

/** A recoverable secp256k1 signature over keccak256(bytes). */
export function signDigest(bytes: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return secp256k1.sign(keccak_256(bytes), privateKey, { prehash: false, format: 'recovered' })
}

/** The address that signed keccak256(bytes); BadSignatureError for a malformed or high-s signature. */
export function recoverSigner(bytes: Uint8Array, signature: Uint8Array): string {
  try {
    if (secp256k1.Signature.fromBytes(signature, 'recovered').hasHighS()) throw new Error('s is not in the lower half of the order')
    const publicKey = secp256k1.recoverPublicKey(signature, keccak_256(bytes), { prehash: false })
    const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false)
    return bytesToHex(keccak_256(uncompressed.subarray(1)).subarray(12))
  } catch (err) {
    throw new BadSignatureError(`bad signature: ${(err as Error).message}`)
  }
}

/** Signs directly with the key: for tests and tools. A validator signs through a GuardedSigner. */
export function signMessage<M extends ConsensusMessage>(message: M, privateKey: Uint8Array, chainId: number): Signed<M> {
  const bytes = signBytes(chainId, message)
  const signature = signDigest(bytes, privateKey)
  return { message, signature, signer: recoverSigner(bytes, signature) }
}

/** The wire form: RLP([code, height, round, id, signature]), and for a proposal [code, height, round, id, validRound + 1, block, signature]. */
export function encodeSigned(signed: Signed): Uint8Array {
  const { message } = signed
  return RLP.encode(message.kind === 'proposal' ? [...body(message), message.block, signed.signature] : [...body(message), signed.signature])
}

/** Decodes a wire message and recovers its signer; MalformedMessageError or BadSignatureError for anything off. */
export function decodeSigned(bytes: Uint8Array, chainId: number): Signed {
  const fields = rlpList(bytes)
  const kind = kindOf(fields[0])
  const expected = kind === 'proposal' ? 7 : 5
  if (fields.length !== expected) throw new MalformedMessageError(`a ${kind} has ${expected} fields, got ${fields.length}`)
  const height = bytesToBigInt(unsigned(fields[1], 8, 'height'))
  const round = roundOf(fields[2], 'round')
  const message: ConsensusMessage =
    kind === 'proposal'
      ? { kind, height, round, blockHash: hash(fields[3], 'block hash'), validRound: roundOf(fields[4], 'valid round') - 1, block: fields[5] }
      : { kind, height, round, blockHash: fields[3].length === 0 ? undefined : hash(fields[3], 'block hash') }
  if (message.kind === 'proposal' && message.validRound >= round) throw new MalformedMessageError(`valid round ${message.validRound} is not below the round ${round}`)
  const signature = fields[fields.length - 1]
  if (signature.length !== SIGNATURE_BYTES) throw new MalformedMessageError(`a signature is ${SIGNATURE_BYTES} bytes, got ${signature.length}`)
  return { message, signature, signer: recoverSigner(signBytes(chainId, message), signature) }
}

/** An RLP list of byte strings, nothing more (no nesting, no trailing bytes). */
export function rlpList(bytes: Uint8Array): Uint8Array[] {
  let decoded: unknown
  try {
    decoded = RLP.decode(bytes)
  } catch (err) {
    throw new MalformedMessageError(`not RLP: ${(err as Error).message}`)
  }
  if (!Array.isArray(decoded) || !decoded.every((item) => item instanceof Uint8Array)) throw new MalformedMessageError('expected a flat RLP list')
  return decoded as Uint8Array[]
}

function kindOf(code: Uint8Array | undefined): MessageKind {
  const kind = (Object.keys(MESSAGE_CODE) as MessageKind[]).find((k) => code?.length === 1 && code[0] === MESSAGE_CODE[k])
  if (!kind) throw new MalformedMessageError(`unknown message code ${code ? bytesToHex(code) : '(none)'}`)
  return kind
}

/** A canonical big-endian integer of at most `maxBytes` bytes (no leading zero byte). */
export function unsigned(bytes: Uint8Array, maxBytes: number, what: string): Uint8Array {
  if (bytes.length > maxBytes) throw new MalformedMessageError(`${what} is longer than ${maxBytes} bytes`)
  if (bytes.length > 0 && bytes[0] === 0) throw new MalformedMessageError(`${what} has a leading zero byte`)
  return bytes
}

export function roundOf(bytes: Uint8Array, what: string): number {
  const round = bytes.length === 0 ? 0 : bytesToInt(unsigned(bytes, 4, what))
  if (round > MAX_ROUND) throw new MalformedMessageError(`${what} ${round} is above ${MAX_ROUND}`)
  return round
}

export function hash(bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.length !== HASH_BYTES) throw new MalformedMessageError(`${what} is ${HASH_BYTES} bytes, got ${bytes.length}`)
  return bytes
}
