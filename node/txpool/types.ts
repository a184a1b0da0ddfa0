import type { Common } from '@ethereumjs/common'
import type { TypedTransaction } from '@ethereumjs/tx'
import type { Address, PrefixedHexString } from '@ethereumjs/util'
import type { Logger } from 'pino'

/** The account fields the pool checks. */
export interface AccountState {
  nonce: bigint
  balance: bigint
}

/** Reads accounts from the state at the current head. */
export interface AccountReader {
  getAccount(address: Address): Promise<AccountState>
}

/** What the pool needs of the chain head. */
export interface PoolHead {
  /** Gas limit a block may use: no transaction above it is accepted or kept. */
  gasLimit: bigint
  /** Base fee the next block charges: transactions must offer at least this much to get in. */
  baseFee: bigint
}

export interface PoolLimits {
  /** Pending transactions a sender is guaranteed a place for, even when the pool is full (geth's AccountSlots). */
  accountSlots: number
  /** Non-executable (queued) transactions per sender. */
  accountQueue: number
  /** All transactions, pending and queued, of every sender. */
  globalSlots: number
  /** Percent by which a replacement must raise both the fee cap and the tip. */
  priceBumpPercent: number
  /** Largest encoded transaction accepted, in bytes. */
  maxTxBytes: number
}

/** go-ethereum's defaults (legacypool.DefaultConfig, txMaxSize). */
export const DEFAULT_POOL_LIMITS: PoolLimits = {
  accountSlots: 16,
  accountQueue: 64,
  globalSlots: 5120,
  priceBumpPercent: 10,
  maxTxBytes: 131_072,
}

export interface TxPoolOptions {
  /** Chain id and active forks the pool admits transactions for. */
  common: Common
  state: AccountReader
  head: () => PoolHead
  logger: Logger
  limits?: Partial<PoolLimits>
  /** Refuse legacy transactions without EIP-155 chain id (geth's --rpc.allow-unprotected-txs=false). */
  rejectUnprotected?: boolean
}

/** A pooled transaction with what the pool derived from it once, at admission. */
export interface PoolEntry {
  readonly tx: TypedTransaction
  /** Lower-case 0x hash. */
  readonly hash: PrefixedHexString
  /** Recovered once, here, and handed to the miner so it need not recover again. */
  readonly sender: Address
  readonly nonce: bigint
  readonly feeCap: bigint
  readonly tipCap: bigint
  /** gasLimit * feeCap + value: the most the transaction can take from the sender's balance. */
  readonly cost: bigint
  /** Arrival order: breaks price ties deterministically. */
  readonly seq: number
}

/** Transactions by sender (lower-case 0x address) then nonce, both in ascending order. */
export type TxsBySender = Map<PrefixedHexString, Map<bigint, TypedTransaction>>

export interface PoolContent {
  pending: TxsBySender
  queued: TxsBySender
}

export interface PoolStats {
  pending: number
  queued: number
}

export interface TxPoolEvents {
  /** A transaction (lower-case 0x hash) became executable: newPendingTransactions. */
  pending: [hash: PrefixedHexString]
}
