/** A genesis file that cannot be used; `field` is the JSON path of the offending value. */
export class GenesisError extends Error {
  readonly code = 'GENESIS_INVALID'

  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`genesis: ${field}: ${reason}`)
  }
}
