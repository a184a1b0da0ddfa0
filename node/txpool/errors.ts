import { toChecksumAddress, type Address } from '@ethereumjs/util'

/**
 * Why the pool refused a transaction. The codes are ours; the messages are go-ethereum's, word for
 * word, because wallets and tools (ethers, viem, Foundry) match on them.
 */
export const TxPoolErrorCode = {
  AlreadyKnown: 'ALREADY_KNOWN',
  Unprotected: 'UNPROTECTED',
  TxTypeNotSupported: 'TX_TYPE_NOT_SUPPORTED',
  OversizedData: 'OVERSIZED_DATA',
  GasLimitExceeded: 'GAS_LIMIT_EXCEEDED',
  TipAboveFeeCap: 'TIP_ABOVE_FEE_CAP',
  InvalidChainId: 'INVALID_CHAIN_ID',
  InvalidSender: 'INVALID_SENDER',
  IntrinsicGasTooLow: 'INTRINSIC_GAS_TOO_LOW',
  FloorDataGasTooLow: 'FLOOR_DATA_GAS_TOO_LOW',
  FeeCapTooLow: 'FEE_CAP_TOO_LOW',
  NonceTooLow: 'NONCE_TOO_LOW',
  InsufficientFunds: 'INSUFFICIENT_FUNDS',
  ReplaceUnderpriced: 'REPLACE_UNDERPRICED',
  PoolFull: 'POOL_FULL',
  AccountLimitExceeded: 'ACCOUNT_LIMIT_EXCEEDED',
} as const

export type TxPoolErrorCode = (typeof TxPoolErrorCode)[keyof typeof TxPoolErrorCode]

export class TxPoolError extends Error {
  override readonly name = 'TxPoolError'

  constructor(
    readonly code: TxPoolErrorCode,
    message: string,
  ) {
    super(message)
  }
}

const C = TxPoolErrorCode
const INSUFFICIENT_FUNDS = 'insufficient funds for gas * price + value'
const TYPE_NOT_SUPPORTED = 'transaction type not supported'

/** One constructor per refusal, so each message is written once (geth's format strings in comments). */
export const poolErrors = {
  alreadyKnown: () => new TxPoolError(C.AlreadyKnown, 'already known'),

  // internal/ethapi: checked before the pool when the node disallows unprotected txs over RPC.
  unprotected: () =>
    new TxPoolError(C.Unprotected, 'only replay-protected (EIP-155) transactions allowed over RPC'),

  // "%w: tx type %v not supported by this pool"
  typeNotInPool: (type: number) =>
    new TxPoolError(C.TxTypeNotSupported, `${TYPE_NOT_SUPPORTED}: tx type ${type} not supported by this pool`),

  // "%w: type %d rejected, pool not yet in London"
  typeNotYetActive: (type: number, fork: string) =>
    new TxPoolError(C.TxTypeNotSupported, `${TYPE_NOT_SUPPORTED}: type ${type} rejected, pool not yet in ${fork}`),

  // "%w: transaction size %v, limit %v"
  oversized: (size: number, limit: number) =>
    new TxPoolError(C.OversizedData, `oversized data: transaction size ${size}, limit ${limit}`),

  gasLimitExceeded: () => new TxPoolError(C.GasLimitExceeded, 'exceeds block gas limit'),

  tipAboveFeeCap: () =>
    new TxPoolError(C.TipAboveFeeCap, 'max priority fee per gas higher than max fee per gas'),

  // The signer's error wrapped in ErrInvalidSender: "invalid sender: invalid chain id for signer: have %d want %d"
  invalidChainId: (have: bigint, want: bigint) =>
    new TxPoolError(C.InvalidChainId, `invalid sender: invalid chain id for signer: have ${have} want ${want}`),

  invalidSender: () => new TxPoolError(C.InvalidSender, 'invalid sender'),

  // "%w: gas %v, minimum needed %v"
  intrinsicGas: (gas: bigint, needed: bigint) =>
    new TxPoolError(C.IntrinsicGasTooLow, `intrinsic gas too low: gas ${gas}, minimum needed ${needed}`),

  // EIP-7623 (Prague): "%w: gas %v, minimum needed %v"
  floorDataGas: (gas: bigint, needed: bigint) =>
    new TxPoolError(
      C.FloorDataGasTooLow,
      `insufficient gas for floor data gas cost: gas ${gas}, minimum needed ${needed}`,
    ),

  // core/state_transition: "%w: address %v, maxFeePerGas: %s, baseFee: %s" (address in checksum case)
  feeCapTooLow: (sender: Address, feeCap: bigint, baseFee: bigint) =>
    new TxPoolError(
      C.FeeCapTooLow,
      `max fee per gas less than block base fee: address ${toChecksumAddress(sender.toString())}, ` +
        `maxFeePerGas: ${feeCap}, baseFee: ${baseFee}`,
    ),

  // "%w: next nonce %v, tx nonce %v"
  nonceTooLow: (next: bigint, nonce: bigint) =>
    new TxPoolError(C.NonceTooLow, `nonce too low: next nonce ${next}, tx nonce ${nonce}`),

  // "%w: balance %v, tx cost %v, overshot %v"
  insufficientFunds: (balance: bigint, cost: bigint) =>
    new TxPoolError(
      C.InsufficientFunds,
      `${INSUFFICIENT_FUNDS}: balance ${balance}, tx cost ${cost}, overshot ${cost - balance}`,
    ),

  // "%w: balance %v, queued cost %v, tx cost %v, overshot %v"
  insufficientFundsQueued: (balance: bigint, spent: bigint, cost: bigint) =>
    new TxPoolError(
      C.InsufficientFunds,
      `${INSUFFICIENT_FUNDS}: balance ${balance}, queued cost ${spent}, tx cost ${cost}, ` +
        `overshot ${spent + cost - balance}`,
    ),

  // "%w: balance %v, queued cost %v, tx bumped %v, overshot %v"
  insufficientFundsBumped: (balance: bigint, spent: bigint, bump: bigint) =>
    new TxPoolError(
      C.InsufficientFunds,
      `${INSUFFICIENT_FUNDS}: balance ${balance}, queued cost ${spent}, tx bumped ${bump}, ` +
        `overshot ${spent + bump - balance}`,
    ),

  replaceUnderpriced: () => new TxPoolError(C.ReplaceUnderpriced, 'replacement transaction underpriced'),

  poolFull: () => new TxPoolError(C.PoolFull, 'txpool is full'),

  // "%w: pooled %d txs"
  accountLimit: (pooled: number) =>
    new TxPoolError(C.AccountLimitExceeded, `account limit exceeded: pooled ${pooled} txs`),
}
