/** The tracer ran past its timeout; geth stops the EVM and answers with this text. */
export class TraceTimeoutError extends Error {
  readonly code = 'TRACE_TIMEOUT'

  constructor() {
    super('execution timeout')
  }
}

/** The struct logs of one request grew past what the heap can spare: answered as an error, not an out-of-memory crash. */
export class TraceTooLargeError extends Error {
  readonly code = 'TRACE_TOO_LARGE'

  constructor(readonly budgetBytes: number) {
    super(`trace too large: struct logs past ${Math.round(budgetBytes / 2 ** 20)} MB; narrow it with "limit", "disableStack", "disableStorage" or without "enableMemory"`)
  }
}

/** The options name a tracer the node does not have (geth: "tracer not found"). */
export class UnknownTracerError extends Error {
  readonly code = 'UNKNOWN_TRACER'

  constructor(readonly tracer: string) {
    super('tracer not found')
  }
}

/** Block 0 ran no transactions (geth: "genesis is not traceable"). */
export class GenesisNotTraceableError extends Error {
  readonly code = 'GENESIS_NOT_TRACEABLE'

  constructor() {
    super('genesis is not traceable')
  }
}

/** A block the trace needs is not stored (geth: "block #N not found" / "block 0x… not found"). */
export class BlockNotFoundError extends Error {
  readonly code = 'BLOCK_NOT_FOUND'

  constructor(readonly block: string) {
    super(`block ${block} not found`)
  }
}
