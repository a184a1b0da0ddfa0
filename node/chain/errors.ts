/** The datadir holds a chain with another genesis than the one given. */
export class GenesisMismatchError extends Error {
  readonly code = 'GENESIS_MISMATCH'

  /** `stored` and `given` are genesis hashes, or chain IDs when `what` says so. */
  constructor(stored: string, given: string, what: 'genesis' | 'chain ID' = 'genesis') {
    super(
      what === 'genesis'
        ? `the datadir holds a chain with genesis ${stored}, but the genesis given hashes to ${given}; use another --datadir or the same genesis`
        : `the datadir holds a chain with chain ID ${stored}, but the genesis given has chain ID ${given}; use another --datadir or the same chain ID`,
    )
  }
}

/** The head block's state is not in the database: the datadir is damaged. */
export class MissingStateError extends Error {
  readonly code = 'MISSING_STATE'

  constructor(number: bigint, root: string) {
    super(`the state of head block ${number} (root ${root}) is missing from the datadir`)
  }
}

/** A rewind was asked to a block that is not on the canonical chain. */
export class NotCanonicalError extends Error {
  readonly code = 'NOT_CANONICAL'

  constructor(hash: string) {
    super(`block ${hash} is not on the canonical chain`)
  }
}
