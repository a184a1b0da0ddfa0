import type { Common } from '@ethereumjs/common'
import { TransactionType, type TypedTransaction } from '@ethereumjs/tx'
import type { Address } from '@ethereumjs/util'
import { poolErrors } from './errors.ts'
import type { Fees } from './fees.ts'
import type { AccountState, PoolHead } from './types.ts'

export interface AdmissionRules {
  common: Common
  head: PoolHead
  maxTxBytes: number
}

/**
 * The checks that need no state, in go-ethereum's order (txpool.ValidateTransaction): type, size,
 * block gas limit, fee sanity, sender (chain id, then signature), intrinsic gas, calldata floor.
 * Cheap checks come before sender recovery, the one expensive step. Then, unlike geth's pool
 * (which keeps such txs until the base fee falls), a fee cap below the base fee is refused.
 * Returns the recovered sender.
 */
export function validateTx(tx: TypedTransaction, fees: Fees, rules: AdmissionRules): Address {
  checkType(tx, rules.common)
  checkSize(tx, rules.maxTxBytes)
  if (tx.gasLimit > rules.head.gasLimit) throw poolErrors.gasLimitExceeded()
  if (fees.tipCap > fees.feeCap) throw poolErrors.tipAboveFeeCap()
  const sender = recoverSender(tx, rules.common.chainId())
  checkGas(tx)
  if (fees.feeCap < rules.head.baseFee) throw poolErrors.feeCapTooLow(sender, fees.feeCap, rules.head.baseFee)
  return sender
}

/** A legacy transaction signed without EIP-155 replay protection (v = 27/28), or unsigned. */
export function isUnprotected(tx: TypedTransaction): boolean {
  return tx.type === TransactionType.Legacy && (tx.v === undefined || tx.v === 27n || tx.v === 28n)
}

/** The fork that introduced each typed transaction the pool takes (geth's legacypool Filter). */
const TYPE_GATES: ReadonlyMap<number, { eip: number; fork: string }> = new Map([
  [TransactionType.AccessListEIP2930, { eip: 2930, fork: 'Berlin' }],
  [TransactionType.FeeMarketEIP1559, { eip: 1559, fork: 'London' }],
  [TransactionType.EOACodeEIP7702, { eip: 7702, fork: 'Prague' }],
])

function checkType(tx: TypedTransaction, common: Common): void {
  if (tx.type === TransactionType.Legacy) return
  const gate = TYPE_GATES.get(tx.type)
  // Blob transactions need a blob pool (sidecars, blob fees), which this node does not have.
  if (gate === undefined) throw poolErrors.typeNotInPool(tx.type)
  if (!common.isActivatedEIP(gate.eip)) throw poolErrors.typeNotYetActive(tx.type, gate.fork)
}

function checkSize(tx: TypedTransaction, limit: number): void {
  const size = tx.serialize().length
  if (size > limit) throw poolErrors.oversized(size, limit)
}

function recoverSender(tx: TypedTransaction, want: bigint): Address {
  const have = signedChainId(tx)
  if (have !== undefined && have !== want) throw poolErrors.invalidChainId(have, want)
  try {
    return tx.getSenderAddress()
  } catch {
    throw poolErrors.invalidSender()
  }
}

/** The chain id the signature commits to; undefined for pre-EIP-155 legacy txs. */
function signedChainId(tx: TypedTransaction): bigint | undefined {
  if ('chainId' in tx) return tx.chainId
  if (isUnprotected(tx)) return undefined
  return (tx.v! - 35n) / 2n
}

function checkGas(tx: TypedTransaction): void {
  const intrinsic = tx.getIntrinsicGas()
  if (tx.gasLimit < intrinsic) throw poolErrors.intrinsicGas(tx.gasLimit, intrinsic)
  // Adds the EIP-7623 calldata floor when the tx's fork has it (Prague); equals intrinsic before.
  const minimum = tx.getMinimumGasLimit()
  if (tx.gasLimit < minimum) throw poolErrors.floorDataGas(tx.gasLimit, minimum)
}

export interface FundsCheck {
  account: AccountState
  /** Total cost of the sender's pending transactions (geth's ExistingExpenditure). */
  spent: bigint
  /** Cost of the pending transaction this one replaces, if any (geth's ExistingCost). */
  replacedCost: bigint | undefined
}

/** geth's ValidateTransactionWithState: nonce not stale, balance covers this tx and the pending ones. */
export function validateAgainstAccount(nonce: bigint, cost: bigint, check: FundsCheck): void {
  const { account, spent, replacedCost } = check
  if (account.nonce > nonce) throw poolErrors.nonceTooLow(account.nonce, nonce)
  const balance = account.balance
  if (balance < cost) throw poolErrors.insufficientFunds(balance, cost)
  if (replacedCost !== undefined) {
    const bump = cost - replacedCost
    if (balance < spent + bump) throw poolErrors.insufficientFundsBumped(balance, spent, bump)
  } else if (balance < spent + cost) {
    throw poolErrors.insufficientFundsQueued(balance, spent, cost)
  }
}
