import type { Common } from '@ethereumjs/common'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, type PrefixedHexString } from '@ethereumjs/util'
import { LRUCache } from 'lru-cache'
import { decodeRawTx } from '../../rpc/rawTransaction.ts'
import type { Logger } from '../logger.ts'
import { TxPoolError, TxPoolErrorCode, type TxPoolErrorCode as Code } from '../txpool/errors.ts'
import type { TxPool } from '../txpool/txPool.ts'
import type { Gossip, Verdict } from './gossip.ts'

/**
 * Refusals that say the transaction is bad in itself, whatever the state: its sender broke the rules.
 * The others (nonce too low, already known, pool full, ...) depend on what this node has seen, so an
 * honest peer can send them: ignored, not held against it.
 */
const REJECTED: ReadonlySet<Code> = new Set([
  TxPoolErrorCode.Unprotected,
  TxPoolErrorCode.TxTypeNotSupported,
  TxPoolErrorCode.OversizedData,
  TxPoolErrorCode.GasLimitExceeded,
  TxPoolErrorCode.TipAboveFeeCap,
  TxPoolErrorCode.InvalidChainId,
  TxPoolErrorCode.InvalidSender,
  TxPoolErrorCode.IntrinsicGasTooLow,
  TxPoolErrorCode.FloorDataGasTooLow,
])

/** Hashes of transactions that came in by gossip: gossipsub forwards those itself. */
const RECEIVED_MEMORY = 16_384

/**
 * Transactions between the pool and the network: a transaction that becomes pending here and did not
 * come from a peer (sent over RPC, or promoted after a gap filled) is published; one from a peer is
 * admitted by the pool before gossipsub forwards it, and the pool's answer is the verdict.
 */
export class TxGossip {
  private readonly received = new LRUCache<PrefixedHexString, true>({ max: RECEIVED_MEMORY })

  constructor(
    private readonly gossip: Gossip,
    private readonly pool: TxPool,
    private readonly common: Common,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.gossip.subscribe('transactions', { validate: (data) => this.admit(data) })
    this.pool.on('pending', (hash) => this.publishIfLocal(hash))
  }

  private async admit(data: Uint8Array): Promise<Verdict> {
    let tx: TypedTransaction
    try {
      tx = decodeRawTx(this.common, data)
    } catch {
      return 'reject'
    }
    this.received.set(bytesToHex(tx.hash()), true)
    try {
      await this.pool.add(tx)
      return 'accept'
    } catch (err) {
      if (err instanceof TxPoolError) return REJECTED.has(err.code) ? 'reject' : 'ignore'
      throw err
    }
  }

  private publishIfLocal(hash: PrefixedHexString): void {
    if (this.received.has(hash)) return
    const tx = this.pool.get(hash)
    if (!tx) return
    this.gossip.publish('transactions', tx.serialize()).catch((err: Error) => this.log.warn({ hash, err: err.message }, 'publishing a transaction failed'))
  }
}
