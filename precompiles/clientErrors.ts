import type { Hash, TransactionReceipt } from 'viem'

/** A transaction the client sent was mined but failed (status 0): its simulation passed, the block's state did not. */
export class TransactionFailedError extends Error {
  readonly code = 'TRANSACTION_FAILED'

  constructor(
    readonly hash: Hash,
    readonly receipt: TransactionReceipt,
  ) {
    super(`transaction ${hash} failed in block ${receipt.blockNumber} (gas used ${receipt.gasUsed})`)
  }
}

/**
 * A model trained on Datanets of different shingle sizes: one output fingerprint cannot match them
 * all, so the client refuses to choose one.
 */
export class MixedShingleSizesError extends Error {
  readonly code = 'MIXED_SHINGLE_SIZES'

  constructor(
    readonly modelId: bigint,
    readonly shingleSizes: readonly number[],
  ) {
    super(`model ${modelId} was trained on Datanets of shingle sizes ${shingleSizes.join(', ')}; fingerprint the output with one of them explicitly`)
  }
}

/** A model that names no Datanet: there is nothing to take the shingle size from. */
export class NoDatanetsError extends Error {
  readonly code = 'NO_DATANETS'

  constructor(readonly modelId: bigint) {
    super(`model ${modelId} names no Datanet, so its outputs have no shingle size to be fingerprinted with`)
  }
}
