/** Bytes that are not a well-formed consensus message (or certificate): the peer that sent them misbehaves. */
export class MalformedMessageError extends Error {
  readonly code = 'CONSENSUS_MALFORMED'
}

/** A signature that does not recover, or is not in canonical (low-s) form. */
export class BadSignatureError extends Error {
  readonly code = 'CONSENSUS_BAD_SIGNATURE'
}

export type CertificateFault = 'NO_QUORUM' | 'DUPLICATE_SIGNER' | 'NOT_A_VALIDATOR' | 'BAD_SIGNATURE' | 'WRONG_BLOCK'

/** A commit certificate that does not prove its block was decided. */
export class CertificateError extends Error {
  readonly code = 'CONSENSUS_BAD_CERTIFICATE'

  constructor(
    readonly fault: CertificateFault,
    message: string,
  ) {
    super(message)
  }
}

/** The double-sign guard refused: signing this could equivocate. */
export class DoubleSignError extends Error {
  readonly code = 'CONSENSUS_DOUBLE_SIGN_REFUSED'
}

/** The double-sign guard's state file cannot be read or written: the node must not sign. */
export class SignGuardFileError extends Error {
  readonly code = 'CONSENSUS_SIGN_GUARD_FILE'
}

/** The validator key given is not one of the genesis validators. */
export class NotAValidatorError extends Error {
  readonly code = 'NOT_A_VALIDATOR'

  constructor(address: string) {
    super(`${address} is not among the validators of openledger.consensus in genesis`)
  }
}
