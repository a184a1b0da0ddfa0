import { describe, expect, it } from 'vitest'
import { certificateOf, decodeCertificate, encodeCertificate, verifyCertificate, type CommitCertificate } from '../../../node/consensus/certificate.ts'
import { CertificateError, MalformedMessageError, type CertificateFault } from '../../../node/consensus/errors.ts'
import { signMessage, type Vote } from '../../../node/consensus/messages.ts'
import { CHAIN_ID, testBlock, testValidators } from './fixtures.ts'

const { keys, set } = testValidators(4)
const outsider = testValidators(5).keys.find((k) => !set.has(k.address))!
const A = testBlock('a')
const precommit: Vote = { kind: 'precommit', height: 3n, round: 1, blockHash: A.blockHash }
const signed = keys.map((k) => signMessage(precommit, k.privateKey, CHAIN_ID))

function fault(certificate: CommitCertificate, chainId = CHAIN_ID): CertificateFault {
  try {
    verifyCertificate(certificate, set, chainId, A.blockHash)
  } catch (err) {
    expect(err).toBeInstanceOf(CertificateError)
    return (err as CertificateError).fault
  }
  throw new Error('an invalid certificate verified')
}

describe('commit certificates', () => {
  it('verify with a quorum of distinct validators, signatures in signer order, and round-trip through RLP', () => {
    const certificate = certificateOf([signed[2], signed[0], signed[1]])
    expect(certificate.signatures).toEqual([signed[0], signed[1], signed[2]].map((s) => s.signature))
    expect(verifyCertificate(certificate, set, CHAIN_ID, A.blockHash)).toEqual([keys[0], keys[1], keys[2]].map((k) => k.address))
    expect(decodeCertificate(encodeCertificate(certificate))).toEqual(certificate)
    expect(verifyCertificate(certificateOf(signed), set, CHAIN_ID, A.blockHash)).toHaveLength(4)
  })

  it('rejects a missing quorum, a duplicate signer, a non-validator, a bad signature, another block or chain', () => {
    const good = certificateOf(signed.slice(0, 3))
    expect(fault(certificateOf(signed.slice(0, 2)))).toBe('NO_QUORUM')
    expect(fault({ ...good, signatures: [signed[0].signature, signed[1].signature, signed[1].signature] })).toBe('DUPLICATE_SIGNER')
    expect(fault({ ...good, signatures: [...good.signatures.slice(0, 2), signMessage(precommit, outsider.privateKey, CHAIN_ID).signature] })).toBe('NOT_A_VALIDATOR')
    expect(fault({ ...good, signatures: [...good.signatures.slice(0, 2), new Uint8Array(65)] })).toBe('BAD_SIGNATURE')
    expect(fault({ ...good, blockHash: testBlock('b').blockHash })).toBe('WRONG_BLOCK')
    // A signature over another round, or on another chain, recovers to someone who is not a validator.
    expect(fault({ ...good, round: 2 })).toBe('NOT_A_VALIDATOR')
    expect(fault(good, CHAIN_ID + 1)).toBe('NOT_A_VALIDATOR')
    const prevotes = keys.slice(0, 3).map((k) => signMessage({ ...precommit, kind: 'prevote' }, k.privateKey, CHAIN_ID).signature)
    expect(fault({ ...good, signatures: prevotes })).toBe('NOT_A_VALIDATOR')
  })

  it('decoding rejects malformed bytes', () => {
    const bytes = encodeCertificate(certificateOf(signed))
    expect(() => decodeCertificate(bytes.subarray(1))).toThrow(MalformedMessageError)
    expect(() => decodeCertificate(encodeCertificate({ ...certificateOf(signed), signatures: [new Uint8Array(64)] }))).toThrow(MalformedMessageError)
    expect(() => decodeCertificate(encodeCertificate({ ...certificateOf(signed), blockHash: new Uint8Array(31) }))).toThrow(MalformedMessageError)
  })
})
