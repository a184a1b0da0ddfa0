/** The datadir holds a chain with another genesis than the one given. */
export class GenesisMismatchError extends Error {
  readonly code = 'GENESIS_MISMATCH'

  constructor(stored: string, given: string) {
    super(`the datadir holds a chain with genesis ${stored}, but the genesis given hashes to ${given}; use another --datadir or the same genesis`)
  }
}

/** The head block's state is not in the database: the datadir is damaged. */
export class MissingStateError extends Error {
  readonly code = 'MISSING_STATE'

  constructor(number: bigint, root: string) {
    super(`the state of head block ${number} (root ${root}) is missing from the datadir`)
  }
}
