/** A precompile call that ends in a REVERT carrying `data` (a custom error's selector and arguments). */
export class PrecompileRevert extends Error {
  readonly code = 'PRECOMPILE_REVERT'

  constructor(
    readonly data: Uint8Array,
    readonly errorName: string,
  ) {
    super(`precompile reverted with ${errorName}`)
  }
}

/** The call's gas cannot pay for the next piece of work: the call halts and consumes all its gas. */
export class PrecompileOutOfGas extends Error {
  readonly code = 'PRECOMPILE_OUT_OF_GAS'

  constructor(
    readonly needed: bigint,
    readonly left: bigint,
  ) {
    super(`precompile out of gas: needs ${needed}, has ${left}`)
  }
}

/** A precompile was run by an EVM that does not say which message called it (not a ChainEVM). */
export class PrecompileHostError extends Error {
  readonly code = 'PRECOMPILE_HOST'
}
