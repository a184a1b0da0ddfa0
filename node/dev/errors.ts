/** Why a devnet control refused a request; codes are ours, messages anvil's where anvil has one. */
export const DevErrorCode = {
  InvalidStateDump: 'INVALID_STATE_DUMP',
  TimestampTooLow: 'TIMESTAMP_TOO_LOW',
  ForkingUnsupported: 'FORKING_UNSUPPORTED',
} as const

export type DevErrorCode = (typeof DevErrorCode)[keyof typeof DevErrorCode]

export class DevError extends Error {
  override readonly name = 'DevError'

  constructor(
    readonly code: DevErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** anvil_loadState was given something that is not a state dump. */
export class InvalidStateDumpError extends DevError {
  constructor(detail: string) {
    super(DevErrorCode.InvalidStateDump, `Failed to decode state dump: ${detail}`)
  }
}

/** evm_setNextBlockTimestamp / evm_mine with a time not after the head block's. */
export class TimestampTooLowError extends DevError {
  constructor(timestamp: bigint, head: bigint) {
    super(DevErrorCode.TimestampTooLow, `Timestamp error: ${timestamp} is lower than or equal to previous block's timestamp ${head}`)
  }
}

/** anvil_reset with a fork to follow: this node has no forking. */
export class ForkingUnsupportedError extends DevError {
  constructor() {
    super(DevErrorCode.ForkingUnsupported, 'forking is not supported: anvil_reset takes no fork on this node')
  }
}
