import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex } from '@ethereumjs/util'
import type { Logger } from '../logger.ts'
import type { ChainStore } from '../chain/chainStore.ts'
import type { Execution } from '../execution/execution.ts'
import type { TxPool } from '../txpool/txPool.ts'
import { SerialQueue } from '../util/serialQueue.ts'
import { BlockClock } from './clock.ts'
import { StatePrefetcher } from './statePrefetcher.ts'

/** automine: a block per transaction as soon as it arrives (anvil's default); interval: a block every N ms, empty or not. */
export type MiningMode = { kind: 'auto' } | { kind: 'interval'; blockTimeMs: number } | { kind: 'manual' }

export interface MinerDeps {
  chain: ChainStore
  execution: Execution
  txpool: TxPool
  logger: Logger
  coinbase: Uint8Array
  /** Seconds since the epoch; injected so tests can control block times. */
  now?: () => bigint
}

/** Seals blocks on the head, one at a time, from the pool's executable transactions. */
export class Miner {
  private readonly sealing = new SerialQueue()
  private timer: NodeJS.Timeout | undefined
  /** Whether the block of the last interval tick is still being sealed. */
  private tickSealing = false
  private readonly onPending = () => void this.mineWhileExecutable()
  /** Interval mode only: in automine the block is built on the next turn, before a prefetch could help. */
  private readonly prefetcher: StatePrefetcher
  /** The time blocks are stamped with; devnet methods move it. */
  readonly clock: BlockClock
  /** Who receives the fees of the blocks sealed from now on (anvil_setCoinbase moves it). */
  coinbase: Uint8Array

  constructor(
    private readonly deps: MinerDeps,
    private mode: MiningMode,
  ) {
    this.clock = new BlockClock(deps.now)
    this.coinbase = deps.coinbase
    this.prefetcher = new StatePrefetcher(deps.txpool, () => deps.execution.stateAt(deps.chain.headBlock), deps.logger)
  }

  start(): void {
    if (this.mode.kind === 'auto') {
      this.deps.txpool.on('pending', this.onPending)
      void this.mineWhileExecutable()
    }
    if (this.mode.kind === 'interval') {
      this.prefetcher.start()
      this.timer = setInterval(() => this.onTick(), this.mode.blockTimeMs)
    }
  }

  /** Stops sealing and waits for a block in progress to be committed. */
  async stop(): Promise<void> {
    this.detach()
    await this.sealing.idle()
  }

  get miningMode(): MiningMode {
    return this.mode
  }

  /** Switches the mode of a running miner (evm_setAutomine, evm_setIntervalMining). */
  setMode(mode: MiningMode): void {
    this.detach()
    this.mode = mode
    this.start()
  }

  /** Runs `task` when no block is being sealed, and seals none until it is done (devnet state edits). */
  betweenBlocks<T>(task: () => Promise<T>): Promise<T> {
    return this.sealing.run(task)
  }

  /** Seals one block with every executable transaction that fits (or none). */
  mine(): Promise<Block> {
    return this.sealing.run(() => this.seal(this.deps.txpool.executable()))
  }

  /**
   * automine, as anvil does it: a block of every executable transaction as soon as there is one, so a
   * transaction sent alone gets a block of its own and those that arrived while a block was being
   * sealed share the next one, in the pool's order. Repeats until nothing executable is left.
   * Each block waits one turn of the event loop first, so that the requests already read (those that
   * came in during the last seal) are admitted into it: with 8 senders each awaiting its send, blocks
   * grew from 3.7 to 5.4 transactions and signed transfers/s by about 7 %.
   */
  private mineWhileExecutable(): Promise<unknown> {
    return this.sealing.run(async () => {
      for (;;) {
        await nextTurn()
        const ready = this.deps.txpool.executable()
        if (ready.length === 0) return
        const block = await this.seal(ready)
        // None fitted and none was refused: waiting is all that can help them.
        if (block.transactions.length === 0 && this.deps.txpool.has(ready[0].hash())) return
      }
    }).catch((err) => this.deps.logger.error({ err }, 'automine failed'))
  }

  /**
   * Interval mode: a tick that falls due while the last tick's block is still being sealed is dropped
   * (geth's dev mode re-arms its timer only once a block is sealed: it never queues one either). Queued
   * instead, ticks piled up behind blocks that took longer than the interval and were then sealed back to
   * back, empty, each stamped a second after its parent: under sustained load, two in the 10 ms after a
   * block of 2,800 transfers put the chain's time ahead of the clock, and stop() waited for every one.
   */
  private onTick(): void {
    if (this.tickSealing) return
    this.tickSealing = true
    this.mine()
      .catch((err) => this.deps.logger.error({ err }, 'sealing failed'))
      .finally(() => (this.tickSealing = false))
  }

  private detach(): void {
    this.deps.txpool.off('pending', this.onPending)
    this.prefetcher.stop()
    clearInterval(this.timer)
    this.timer = undefined
  }

  private async seal(txs: TypedTransaction[]): Promise<Block> {
    const { chain, execution, txpool, logger } = this.deps
    const parent = chain.headBlock
    const timestamp = this.clock.timestampAfter(parent.header.timestamp)
    const sealed = await execution.buildOnHead(txs, { timestamp, coinbase: this.coinbase })
    try {
      await chain.commit(sealed.block, sealed.encodedReceipts, sealed.stateOps)
    } catch (err) {
      await execution.resetToHead()
      throw err
    }
    this.clock.sealed(timestamp)
    for (const { tx, error } of sealed.rejected) logger.warn({ tx: bytesToHex(tx.hash()), reason: error.message }, 'transaction dropped')
    await txpool.onBlock(sealed.block.transactions, sealed.rejected.map((r) => r.tx))
    logger.info({ number: Number(sealed.block.header.number), txs: sealed.block.transactions.length, gasUsed: Number(sealed.block.header.gasUsed) }, 'block sealed')
    return sealed.block
  }
}
