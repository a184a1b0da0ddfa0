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

/** A chain file (concatenated RLP blocks) that cannot be read to its end, or written. */
export class ChainFileError extends Error {
  constructor(
    readonly code: 'TRUNCATED' | 'CORRUPT' | 'UNREADABLE' | 'UNWRITABLE',
    message: string,
  ) {
    super(message)
  }
}

/** The datadir given holds no chain (export from an empty or missing directory). */
export class NoChainError extends Error {
  readonly code = 'NO_CHAIN'

  constructor(datadir: string) {
    super(`${datadir} holds no chain (create one with olnode init or olnode devnet)`)
  }
}

/** A canonical block the index names is not in the datadir: the datadir is damaged. */
export class MissingBlockError extends Error {
  readonly code = 'MISSING_BLOCK'

  constructor(number: bigint) {
    super(`canonical block ${number} is missing from the datadir`)
  }
}

/** A rewind was asked to a block that is not on the canonical chain. */
export class NotCanonicalError extends Error {
  readonly code = 'NOT_CANONICAL'

  constructor(hash: string) {
    super(`block ${hash} is not on the canonical chain`)
  }
}
