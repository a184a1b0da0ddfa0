import type { Address, PrefixedHexString } from '@ethereumjs/util'
import type { Logger } from '../logger.ts'
import type { TxPool } from '../txpool/txPool.ts'

/** Recipients read per turn of the event loop: RPC requests are served between turns. */
const CHUNK = 64
/** Most recipients waiting to be read; the pool itself holds about 5,000 transactions. */
const MAX_QUEUED = 16_384

/** The head state, as the prefetcher reads it. */
export interface AccountSource {
  getAccount(address: Address): Promise<unknown>
}

/**
 * Reads the recipient of each transaction that becomes pending, between RPC requests, so that the
 * next interval block finds it in the head state's read memo (geth's state prefetcher, for the one
 * account admission does not read: the sender's is read there). Block building holds the event loop,
 * while these reads fill the time the node waits for the next tick. Only caches change: a failed read
 * is left for the block builder to meet.
 */
export class StatePrefetcher {
  private queued: Address[] = []
  private scheduled = false
  private readonly onPending = (hash: PrefixedHexString) => this.enqueue(hash)

  constructor(
    private readonly txpool: TxPool,
    /** The head's state now: a chunk is read at the head its turn finds. */
    private readonly headState: () => AccountSource,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.txpool.on('pending', this.onPending)
  }

  stop(): void {
    this.txpool.off('pending', this.onPending)
    this.queued = []
  }

  private enqueue(hash: PrefixedHexString): void {
    const to = this.txpool.get(hash)?.to
    if (to === undefined || this.queued.length >= MAX_QUEUED) return
    this.queued.push(to)
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => void this.readChunk())
  }

  private async readChunk(): Promise<void> {
    const chunk = this.queued.splice(0, CHUNK)
    try {
      const state = this.headState()
      await Promise.all(chunk.map((address) => state.getAccount(address)))
    } catch (err) {
      this.logger.debug({ err }, 'state prefetch failed')
    }
    if (this.queued.length === 0) this.scheduled = false
    else setImmediate(() => void this.readChunk())
  }
}
