import { EventEmitter } from 'node:events'
import type { Common } from '@ethereumjs/common'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, createAddressFromString, type Address, type PrefixedHexString } from '@ethereumjs/util'
import type { Logger } from 'pino'
import { poolErrors } from './errors.ts'
import { costOf, feesOf, outbids } from './fees.ts'
import { byPriceAndNonce } from './ordering.ts'
import { SerialQueue } from '../util/serialQueue.ts'
import { SenderTxs } from './senderTxs.ts'
import {
  DEFAULT_POOL_LIMITS,
  type AccountReader,
  type AccountState,
  type PoolContent,
  type PoolEntry,
  type PoolHead,
  type PoolLimits,
  type PoolStats,
  type TxPoolEvents,
  type TxPoolOptions,
  type TxsBySender,
} from './types.ts'
import { isUnprotected, validateAgainstAccount, validateTx } from './validation.ts'

export type { AccountReader, AccountState, PoolContent, PoolHead, PoolLimits, PoolStats, TxPoolOptions } from './types.ts'

/**
 * Transactions waiting for a block, per sender: pending (executable now, in nonce order from the
 * account's nonce) and queued (waiting for a gap to fill, or for a pending slot). Admission follows
 * go-ethereum's checks and messages; see validation.ts for the order.
 *
 * When the pool is full it refuses new transactions ('txpool is full') instead of evicting the
 * cheapest as geth does: simpler, and nothing already accepted disappears behind a sender's back.
 */
export class TxPool extends EventEmitter<TxPoolEvents> {
  private readonly common: Common
  private readonly state: AccountReader
  private readonly head: () => PoolHead
  private readonly logger: Logger
  private readonly limits: PoolLimits
  private readonly rejectUnprotected: boolean
  private readonly entries = new Map<PrefixedHexString, PoolEntry>()
  private readonly senders = new Map<PrefixedHexString, SenderTxs>()
  // Admissions and block updates read state, then change the pool: one at a time, none acts on a stale read.
  private readonly serial = new SerialQueue()
  private arrivals = 0

  constructor(opts: TxPoolOptions) {
    super()
    this.common = opts.common
    this.state = opts.state
    this.head = opts.head
    this.logger = opts.logger
    this.limits = { ...DEFAULT_POOL_LIMITS, ...opts.limits }
    this.rejectUnprotected = opts.rejectUnprotected ?? false
  }

  /** Validates and pools `tx`; resolves to its hash or rejects with a TxPoolError. */
  add(tx: TypedTransaction): Promise<Uint8Array> {
    return this.serial.run(() => this.admit(tx))
  }

  /**
   * After a block is committed: forgets its transactions and those the block builder `rejected`,
   * then re-checks every remaining one against the new state (stale nonce, unaffordable, over the
   * gas limit: dropped; after a gap: queued) and promotes those now executable. One account read
   * per pooled sender. `rejected` is for transactions invalid in themselves: one that merely did not
   * fit in the block's remaining gas must not be passed, or it is lost.
   */
  onBlock(included: TypedTransaction[], rejected: TypedTransaction[] = []): Promise<void> {
    return this.serial.run(() => this.applyBlock([...included, ...rejected]))
  }

  /**
   * Re-checks every pooled transaction against the head state after it changed without a new block
   * (devnet state edits, evm_revert, anvil_reset): as `onBlock` with nothing included.
   */
  revalidate(): Promise<void> {
    return this.onBlock([])
  }

  /**
   * Removes one transaction (anvil_dropTransaction); the sender's later ones wait as queued behind
   * the gap. False if the pool does not hold it.
   */
  async drop(hash: Uint8Array): Promise<boolean> {
    const tx = this.get(hash)
    if (!tx) return false
    await this.onBlock([], [tx])
    return true
  }

  /**
   * The transactions for the next block, best-paying first, each sender's in nonce order, at most
   * `limit` of them. A sender's run stops at its first transaction whose fee cap is below `baseFee`.
   */
  executable(limit = Infinity, baseFee: bigint = this.head().baseFee): TypedTransaction[] {
    // The merge is a total order (price, then arrival), so the senders' order here does not matter.
    const runs = [...this.senders.values()].map((txs) => affordablePrefix(txs.pending(), baseFee))
    return byPriceAndNonce(runs, baseFee, limit).map((entry) => entry.tx)
  }


  /** The sender recovered at admission; recovers (once more) only for a transaction not pooled. */
  senderOf(tx: TypedTransaction): Address {
    return this.entries.get(bytesToHex(tx.hash()))?.sender ?? tx.getSenderAddress()
  }

  get(hash: Uint8Array | PrefixedHexString): TypedTransaction | undefined {
    return this.entries.get(hashKey(hash))?.tx
  }

  has(hash: Uint8Array | PrefixedHexString): boolean {
    return this.entries.has(hashKey(hash))
  }

  /**
   * The nonce for the sender's next transaction (eth_getTransactionCount 'pending'): the state
   * nonce advanced past every consecutive pooled transaction, pending or waiting for a slot.
   */
  async pendingNonce(address: Address): Promise<bigint> {
    const { nonce } = await this.state.getAccount(address)
    return this.senders.get(address.toString())?.nextNonce(nonce) ?? nonce
  }

  /** Everything pooled, by sender and nonce, both ascending (txpool_content). */
  content(): PoolContent {
    const pending: TxsBySender = new Map()
    const queued: TxsBySender = new Map()
    for (const key of [...this.senders.keys()].sort()) {
      const txs = this.senders.get(key)!
      addByNonce(pending, key, txs.pending())
      addByNonce(queued, key, txs.queued())
    }
    return { pending, queued }
  }

  stats(): PoolStats {
    let pending = 0
    for (const txs of this.senders.values()) pending += txs.pendingCount()
    return { pending, queued: this.entries.size - pending }
  }

  clear(): void {
    this.entries.clear()
    this.senders.clear()
  }

  private async admit(tx: TypedTransaction): Promise<Uint8Array> {
    if (this.rejectUnprotected && isUnprotected(tx)) throw poolErrors.unprotected()
    // Only a tx built in-process can lack a signature (decoded ones always carry v, r, s); it has no hash.
    if (!tx.isSigned()) throw poolErrors.invalidSender()
    const hash = bytesToHex(tx.hash())
    if (this.entries.has(hash)) throw poolErrors.alreadyKnown()
    const head = this.head()
    const fees = feesOf(tx)
    const sender = validateTx(tx, fees, { common: this.common, head, maxTxBytes: this.limits.maxTxBytes })
    const account = await this.state.getAccount(sender)
    const key = sender.toString()
    const txs = this.currentTxs(key, account, head)
    const cost = costOf(tx, fees.feeCap)
    const old = txs.get(tx.nonce)
    validateAgainstAccount(tx.nonce, cost, {
      account,
      spent: txs.pendingCost(),
      replacedCost: old !== undefined && txs.isPending(old.nonce) ? old.cost : undefined,
    })
    const entry: PoolEntry = { tx, hash, sender, nonce: tx.nonce, ...fees, cost, seq: this.arrivals++ }
    if (old === undefined) this.insert(key, txs, entry)
    else this.replace(txs, old, entry)
    return tx.hash()
  }

  /** The sender's pooled txs checked against `account`, or a new empty (not yet kept) list. */
  private currentTxs(key: PrefixedHexString, account: AccountState, head: PoolHead): SenderTxs {
    const txs = this.senders.get(key)
    if (txs === undefined) return new SenderTxs(account, head.gasLimit)
    // The head moved on before onBlock told us: catch this sender up now.
    if (txs.base !== account.nonce) this.settle(key, txs, account, head)
    return txs
  }

  private insert(key: PrefixedHexString, txs: SenderTxs, entry: PoolEntry): void {
    if (this.isFullFor(txs)) throw poolErrors.poolFull()
    const pendingBefore = txs.pendingCount()
    txs.put(entry)
    if (txs.queuedCount() > this.limits.accountQueue) {
      txs.remove(entry.nonce)
      throw poolErrors.accountLimit(txs.size)
    }
    this.senders.set(key, txs)
    this.entries.set(entry.hash, entry)
    this.logger.debug({ hash: entry.hash, sender: key, nonce: entry.nonce }, 'pooled transaction')
    // Only a gap-filling insert extends the run; the entries already pending stay in front.
    for (const promoted of txs.pendingFrom(pendingBefore)) this.emit('pending', promoted.hash)
  }

  /**
   * A full pool refuses a sender only once it holds its guaranteed `accountSlots` pending (geth
   * guarantees them by evicting others; we admit instead, at most `accountSlots` past the limit per sender).
   */
  private isFullFor(txs: SenderTxs): boolean {
    return this.entries.size >= this.limits.globalSlots && txs.pendingCount() >= this.limits.accountSlots
  }

  private replace(txs: SenderTxs, old: PoolEntry, entry: PoolEntry): void {
    if (!outbids(entry, old, this.limits.priceBumpPercent)) throw poolErrors.replaceUnderpriced()
    txs.put(entry)
    this.entries.delete(old.hash)
    this.entries.set(entry.hash, entry)
    this.logger.debug({ hash: entry.hash, replaced: old.hash, nonce: entry.nonce }, 'replaced transaction')
    if (txs.isPending(entry.nonce)) this.emit('pending', entry.hash)
  }

  private async applyBlock(gone: TypedTransaction[]): Promise<void> {
    const touched = new Set(gone.map((tx) => this.entries.get(bytesToHex(tx.hash()))?.sender.toString()).filter((key) => key !== undefined))
    // Taken before anything moves, so that only transactions newly pending are announced.
    const wasPending = new Set([...touched].flatMap((key) => this.senders.get(key)?.pending() ?? []))
    for (const tx of gone) this.forget(bytesToHex(tx.hash()))
    const head = this.head()
    const keys = [...this.senders.keys()].sort()
    const accounts = await Promise.all(keys.map((key) => this.state.getAccount(createAddressFromString(key))))
    keys.forEach((key, i) => {
      const txs = this.senders.get(key) // gone if clear() ran while the accounts were read
      if (txs === undefined) return
      if (touched.has(key)) this.settle(key, txs, accounts[i], head, wasPending)
      else if (!txs.stillValidFor(accounts[i], head.gasLimit)) this.settle(key, txs, accounts[i], head)
    })
  }

  /** geth's demoteUnexecutables + promoteExecutables for one sender, against fresh account state. */
  private settle(
    key: PrefixedHexString,
    txs: SenderTxs,
    account: AccountState,
    head: PoolHead,
    wasPending: ReadonlySet<PoolEntry> = new Set(txs.pending()),
  ): void {
    const stale = txs.rebase(account.nonce)
    const invalid = txs.removeWhere((entry) => entry.cost > account.balance || entry.tx.gasLimit > head.gasLimit)
    const overflow = txs.trimQueue(this.limits.accountQueue)
    for (const entry of [...stale, ...invalid, ...overflow]) this.entries.delete(entry.hash)
    if (txs.size === 0) this.senders.delete(key)
    if (invalid.length + overflow.length > 0) {
      this.logger.debug({ sender: key, invalid: invalid.length, overflow: overflow.length }, 'dropped transactions')
    }
    txs.checkedAgainst(account, head.gasLimit)
    for (const entry of txs.pending()) if (!wasPending.has(entry)) this.emit('pending', entry.hash)
  }

  private forget(hash: PrefixedHexString): void {
    const entry = this.entries.get(hash)
    if (entry === undefined) return
    this.entries.delete(hash)
    const key = entry.sender.toString()
    const txs = this.senders.get(key)!
    txs.remove(entry.nonce)
    if (txs.size === 0) this.senders.delete(key)
  }
}

/** The leading transactions that can pay `baseFee`; the rest must wait for their predecessor. */
function affordablePrefix(run: PoolEntry[], baseFee: bigint): PoolEntry[] {
  const stop = run.findIndex((entry) => entry.feeCap < baseFee)
  return stop === -1 ? run : run.slice(0, stop)
}

function addByNonce(into: TxsBySender, key: PrefixedHexString, entries: PoolEntry[]): void {
  if (entries.length > 0) into.set(key, new Map(entries.map((entry) => [entry.nonce, entry.tx])))
}

function hashKey(hash: Uint8Array | PrefixedHexString): PrefixedHexString {
  return typeof hash === 'string' ? (hash.toLowerCase() as PrefixedHexString) : bytesToHex(hash)
}
