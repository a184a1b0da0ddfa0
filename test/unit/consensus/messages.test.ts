import { RLP } from '@ethereumjs/rlp'
import { bytesToHex } from '@ethereumjs/util'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { describe, expect, it } from 'vitest'
import { BadSignatureError, MalformedMessageError } from '../../../node/consensus/errors.ts'
import { decodeSigned, encodeSigned, signBytes, signMessage, type Proposal, type Vote } from '../../../node/consensus/messages.ts'
import { ValidatorSet } from '../../../node/consensus/validatorSet.ts'
import { CHAIN_ID, testBlock, testValidators } from './fixtures.ts'

const { keys } = testValidators(4)
const A = testBlock('a')
const proposal: Proposal = { kind: 'proposal', height: 7n, round: 2, blockHash: A.blockHash, block: A.block, validRound: 1 }
const prevote: Vote = { kind: 'prevote', height: 7n, round: 2, blockHash: A.blockHash }
const nilPrecommit: Vote = { kind: 'precommit', height: 7n, round: 0, blockHash: undefined }

function malformed(bytes: Uint8Array): string {
  try {
    decodeSigned(bytes, CHAIN_ID)
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedMessageError)
    return (err as Error).message
  }
  throw new Error('decoded malformed bytes')
}

/** A vote's wire fields with one replaced. */
function voteWith(index: number, value: Uint8Array): Uint8Array {
  const fields = RLP.decode(encodeSigned(signMessage(prevote, keys[0].privateKey, CHAIN_ID))) as Uint8Array[]
  fields[index] = value
  return RLP.encode(fields)
}

describe('consensus messages', () => {
  it('round-trip through the wire form, recovering the signer', () => {
    for (const message of [proposal, prevote, nilPrecommit, { ...proposal, validRound: -1 }]) {
      const signed = signMessage(message, keys[1].privateKey, CHAIN_ID)
      expect(signed.signer).toBe(keys[1].address)
      const decoded = decodeSigned(encodeSigned(signed), CHAIN_ID)
      expect(decoded).toEqual(signed)
    }
  })

  it('sign bytes differ by chain, kind, height, round, id and valid round', () => {
    const base = bytesToHex(signBytes(CHAIN_ID, prevote))
    const variants = [
      signBytes(CHAIN_ID + 1, prevote),
      signBytes(CHAIN_ID, { ...prevote, kind: 'precommit' }),
      signBytes(CHAIN_ID, { ...prevote, height: 8n }),
      signBytes(CHAIN_ID, { ...prevote, round: 3 }),
      signBytes(CHAIN_ID, { ...prevote, blockHash: undefined }),
      signBytes(CHAIN_ID, { ...proposal, validRound: -1 }),
      signBytes(CHAIN_ID, proposal),
    ].map(bytesToHex)
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1)
    // The block's bytes are not signed: its hash stands for it.
    expect(signBytes(CHAIN_ID, { ...proposal, block: new Uint8Array([1]) })).toEqual(signBytes(CHAIN_ID, proposal))
  })

  it('a message signed for another chain recovers to another address', () => {
    const signed = signMessage(prevote, keys[0].privateKey, CHAIN_ID + 1)
    expect(decodeSigned(encodeSigned(signed), CHAIN_ID).signer).not.toBe(keys[0].address)
  })

  it('rejects malformed bytes with a typed error', () => {
    expect(malformed(new Uint8Array([0xc2, 0x01]))).toMatch(/not RLP/)
    expect(malformed(RLP.encode([new Uint8Array([9]), new Uint8Array(), new Uint8Array(), new Uint8Array(), new Uint8Array(65)]))).toMatch(/unknown message code/)
    expect(malformed(RLP.encode(new Uint8Array([2])))).toMatch(/flat RLP list|unknown/)
    expect(malformed(RLP.encode([new Uint8Array([2]), [new Uint8Array()]]))).toMatch(/flat RLP list/)
    expect(malformed(voteWith(1, new Uint8Array([0, 7])))).toMatch(/leading zero/)
    expect(malformed(voteWith(1, new Uint8Array(9).fill(1)))).toMatch(/longer than 8 bytes/)
    expect(malformed(voteWith(2, new Uint8Array([0x80, 0, 0, 0])))).toMatch(/above/)
    expect(malformed(voteWith(3, new Uint8Array(31)))).toMatch(/32 bytes/)
    expect(malformed(voteWith(4, new Uint8Array(64)))).toMatch(/65 bytes/)
    const fields = RLP.decode(encodeSigned(signMessage(prevote, keys[0].privateKey, CHAIN_ID))) as Uint8Array[]
    expect(malformed(RLP.encode([...fields, new Uint8Array()]))).toMatch(/5 fields/)
    const trailing = new Uint8Array([...encodeSigned(signMessage(prevote, keys[0].privateKey, CHAIN_ID)), 0])
    expect(malformed(trailing)).toMatch(/not RLP/)
    const badRound = signMessage({ ...proposal, validRound: 2 }, keys[0].privateKey, CHAIN_ID)
    expect(malformed(encodeSigned(badRound))).toMatch(/valid round 2 is not below/)
  })

  it('rejects a signature that does not recover, and the high-s twin of a good one', () => {
    const signed = signMessage(prevote, keys[0].privateKey, CHAIN_ID)
    const zeroed = { ...signed, signature: new Uint8Array(65) }
    expect(() => decodeSigned(encodeSigned(zeroed), CHAIN_ID)).toThrow(BadSignatureError)
    const sig = secp256k1.Signature.fromBytes(signed.signature, 'recovered')
    const twin = new secp256k1.Signature(sig.r, secp256k1.Point.CURVE().n - sig.s, sig.recovery! ^ 1).toBytes('recovered')
    expect(() => decodeSigned(encodeSigned({ ...signed, signature: twin }), CHAIN_ID)).toThrow(BadSignatureError)
  })
})

describe('ValidatorSet', () => {
  it('sorts, computes Q = floor(2n/3) + 1 and f + 1, and rotates the proposer by (h + r) mod n', () => {
    const quorums = [1, 2, 3, 4, 5, 6, 7, 10].map((n) => {
      const set = new ValidatorSet(testValidators(n).keys.map((k) => k.address))
      return [n, set.quorum, set.oneHonest]
    })
    expect(quorums).toEqual([[1, 1, 1], [2, 2, 1], [3, 3, 1], [4, 3, 2], [5, 4, 2], [6, 5, 2], [7, 5, 3], [10, 7, 4]])
    const addresses = testValidators(4).keys.map((k) => k.address)
    const set = new ValidatorSet([...addresses].reverse().map((a) => a.toUpperCase().replace('0X', '0x')))
    expect(set.addresses).toEqual([...addresses].sort())
    expect(set.proposer(0n, 0)).toBe(set.addresses[0])
    expect(set.proposer(5n, 0)).toBe(set.addresses[1])
    expect(set.proposer(5n, 2)).toBe(set.addresses[3])
    expect(set.proposer(5n, 3)).toBe(set.addresses[0])
    expect(() => new ValidatorSet([addresses[0], addresses[0]])).toThrow(/twice/)
    expect(() => new ValidatorSet([])).toThrow()
  })
})
