/** A batch op without a byte key, or a put without a byte value: nothing of its batch is written. */
export class InvalidBatchOpError extends Error {
  readonly code = 'INVALID_BATCH_OP'

  constructor(index: number, reason: string) {
    super(`batch op ${index}: ${reason}; nothing of the batch was written`)
  }
}
