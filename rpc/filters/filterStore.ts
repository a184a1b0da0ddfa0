import type { EventEmitter } from 'node:events'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, type PrefixedHexString } from '@ethereumjs/util'
import type { ChainEvents, NewHead } from '../../node/chain/events.ts'
import type { TxPoolEvents } from '../../node/txpool/types.ts'
import type { JsonLog } from '../format.ts'
import { randomId } from '../ids.ts'
import { logCriteria, matchingLogs, type LogCriteria } from '../logFilter.ts'
import type { FilterOptions } from '../validators.ts'

/** geth's filter deadline: a filter not polled for this long is uninstalled. */
export const FILTER_TIMEOUT_MS = 5 * 60_000

/** What a filter has gathered since it was last polled. */
export type FilterChanges =
  | { kind: 'logs'; logs: JsonLog[] }
  | { kind: 'blocks'; hashes: string[] }
  | { kind: 'pendingTxs'; txs: TypedTransaction[]; fullTx: boolean }

interface LogFilter {
  kind: 'logs'
  options: FilterOptions
  criteria: LogCriteria
  logs: JsonLog[]
}

interface BlockFilter {
  kind: 'blocks'
  hashes: string[]
}

interface PendingTxFilter {
  kind: 'pendingTxs'
  txs: TypedTransaction[]
  fullTx: boolean
}

type Filter = (LogFilter | BlockFilter | PendingTxFilter) & { lastPolled: number }

export interface FilterStoreOptions {
  chain: ChainEvents
  /** The pool's 'pending' announcements, and the transactions they name. */
  txpool: EventEmitter<TxPoolEvents> & { get(hash: PrefixedHexString): TypedTransaction | undefined }
  /** Idle time after which a filter is uninstalled; geth's 5 minutes by default. */
  timeoutMs?: number
  /** The clock deadlines are measured on (tests move it). */
  now?: () => number
}

/**
 * The installed filters of eth_newFilter / eth_newBlockFilter / eth_newPendingTransactionFilter,
 * fed by new heads and newly pending transactions, polled with eth_getFilterChanges. Listens to the
 * chain and the pool only while some filter needs it: head events decode receipts for listeners.
 */
export class FilterStore {
  private readonly filters = new Map<string, Filter>()
  private readonly timeoutMs: number
  private readonly now: () => number
  private readonly sweeper: NodeJS.Timeout
  private listeningHeads = false
  private listeningPending = false

  constructor(private readonly opts: FilterStoreOptions) {
    this.timeoutMs = opts.timeoutMs ?? FILTER_TIMEOUT_MS
    this.now = opts.now ?? Date.now
    // geth's timeoutLoop: every timeout, drop the filters whose deadline has passed.
    this.sweeper = setInterval(() => this.sweep(), this.timeoutMs)
    this.sweeper.unref()
  }

  installLogs(options: FilterOptions): string {
    return this.install({ kind: 'logs', options, criteria: logCriteria(options.addresses, options.topics), logs: [] })
  }

  installBlocks(): string {
    return this.install({ kind: 'blocks', hashes: [] })
  }

  installPendingTxs(fullTx: boolean): string {
    return this.install({ kind: 'pendingTxs', txs: [], fullTx })
  }

  /** The criteria of a log filter (eth_getFilterLogs); undefined for an unknown id or another kind. */
  logOptions(id: string): FilterOptions | undefined {
    const filter = this.filters.get(id)
    return filter?.kind === 'logs' ? filter.options : undefined
  }

  /** Hands over and forgets what the filter gathered; restarts its deadline. Undefined for an unknown id. */
  takeChanges(id: string): FilterChanges | undefined {
    const filter = this.filters.get(id)
    if (!filter) return undefined
    filter.lastPolled = this.now()
    switch (filter.kind) {
      case 'logs':
        return { kind: 'logs', logs: filter.logs.splice(0) }
      case 'blocks':
        return { kind: 'blocks', hashes: filter.hashes.splice(0) }
      case 'pendingTxs':
        return { kind: 'pendingTxs', txs: filter.txs.splice(0), fullTx: filter.fullTx }
    }
  }

  uninstall(id: string): boolean {
    const found = this.filters.delete(id)
    if (found) this.updateListeners()
    return found
  }

  /** Uninstalls every filter idle for the timeout or longer. */
  sweep(): void {
    const deadline = this.now() - this.timeoutMs
    for (const [id, filter] of this.filters) if (filter.lastPolled <= deadline) this.filters.delete(id)
    this.updateListeners()
  }

  /** Stops the expiry timer and the listeners; the filters are gone. */
  close(): void {
    clearInterval(this.sweeper)
    this.filters.clear()
    this.updateListeners()
  }

  private install(filter: LogFilter | BlockFilter | PendingTxFilter): string {
    const id = randomId()
    this.filters.set(id, { ...filter, lastPolled: this.now() })
    this.updateListeners()
    return id
  }

  private readonly onHead = ({ block, receipts }: NewHead): void => {
    const number = block.header.number
    for (const filter of this.filters.values()) {
      if (filter.kind === 'blocks') filter.hashes.push(bytesToHex(block.hash()))
      else if (filter.kind === 'logs' && inRange(filter.options, number)) filter.logs.push(...matchingLogs(block, receipts, filter.criteria))
    }
  }

  private readonly onPending = (hash: PrefixedHexString): void => {
    const tx = this.opts.txpool.get(hash)
    if (!tx) return
    for (const filter of this.filters.values()) if (filter.kind === 'pendingTxs') filter.txs.push(tx)
  }

  private updateListeners(): void {
    const kinds = new Set([...this.filters.values()].map((filter) => filter.kind))
    const wantHeads = kinds.has('logs') || kinds.has('blocks')
    const wantPending = kinds.has('pendingTxs')
    if (wantHeads !== this.listeningHeads) {
      if (wantHeads) this.opts.chain.on('head', this.onHead)
      else this.opts.chain.off('head', this.onHead)
      this.listeningHeads = wantHeads
    }
    if (wantPending !== this.listeningPending) {
      if (wantPending) this.opts.txpool.on('pending', this.onPending)
      else this.opts.txpool.off('pending', this.onPending)
      this.listeningPending = wantPending
    }
  }
}

/** geth's filterLogs: a numbered fromBlock / toBlock bounds which new blocks a log filter takes logs from. */
function inRange(options: FilterOptions, number: bigint): boolean {
  if (options.fromBlock?.kind === 'number' && number < options.fromBlock.number) return false
  if (options.toBlock?.kind === 'number' && number > options.toBlock.number) return false
  return true
}
