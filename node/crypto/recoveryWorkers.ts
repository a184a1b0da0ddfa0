import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Logger } from '../logger.ts'
import { rememberRecovery } from './recoveredKeys.ts'
import { recoveryWorkerSource, type RecoveryWorkerData, type WorkerMessage } from './recoveryWorker.ts'

/** At most this many: a node's other work (execution, RPC, LevelDB) keeps the rest of the cores. */
const MAX_THREADS = 4

/**
 * Fewer raw transactions than this are left to the main thread: for one transaction sent alone, the round
 * trip to a worker cost more than the recovery (automine, 8 senders: 609-652 tx/s with it, 731-769 without).
 */
export const MIN_BATCH = 4

/** One worker per core but the main thread's, up to MAX_THREADS; none on one core, where it would only add messages. */
export function defaultRecoveryThreads(): number {
  return Math.min(MAX_THREADS, availableParallelism() - 1)
}

/**
 * A worker keeps nothing between batches but its modules, so its heap is kept small: left to V8's
 * defaults its young generation alone may take 48 MB (a batch's raw bytes and answers are garbage at once).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 }

/** How long close() waits for a worker still loading its modules before terminating it anyway. */
const LOAD_WAIT_MS = 5_000

/** Sender recovery ahead of admission: what the RPC server asks of it. */
export interface SenderRecovery {
  /**
   * Recovers the signers of these raw transactions off the main thread, so that their ecrecover finds
   * the key waiting (recoveredKeys.ts). Never rejects: what it could not do is done on the main thread,
   * as without it.
   */
  warm(raws: Uint8Array[]): Promise<void>
}

const require = createRequire(import.meta.url)

export function recoveryWorkerData(): RecoveryWorkerData {
  return { rlp: require.resolve('@ethereumjs/rlp'), secp256k1: require.resolve('secp256k1'), hashWasm: require.resolve('hash-wasm') }
}

/**
 * Settles when the worker has loaded its modules, or has failed or exited: until then, terminating it may
 * abort the process (an N-API addon whose init is cut off by the thread's teardown is a fatal error).
 */
function loaded(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: WorkerMessage) => 'ready' in message && settle()
    const settle = () => {
      worker.off('message', onMessage).off('error', settle).off('exit', settle)
      resolve()
    }
    worker.on('message', onMessage).on('error', settle).on('exit', settle)
  })
}

/** `promise`, or nothing once `ms` have passed. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))])
  clearTimeout(timer)
}

/**
 * Worker threads that recover transaction senders, as Lodestar verifies signatures in a pool: a batch
 * of raw transactions goes to one worker in one message. Unref'd, so they never hold a process open.
 */
export class RecoveryWorkers implements SenderRecovery {
  /** The resolver of each batch a worker has yet to answer, by id. */
  private readonly jobs = new Map<number, () => void>()
  private nextJob = 0
  private nextWorker = 0
  private failed = false
  private readonly loading: Promise<unknown>

  private constructor(
    private readonly workers: Worker[],
    private readonly logger: Logger,
  ) {
    this.loading = Promise.all(workers.map(loaded))
    for (const worker of workers) {
      worker.unref()
      worker.on('message', (message: WorkerMessage) => 'id' in message && this.settle(message))
      worker.on('error', (err) => this.fail(err))
    }
  }

  /** `data` names the modules the workers load (tests name a missing one). */
  static start(threads: number, logger: Logger, data: RecoveryWorkerData = recoveryWorkerData()): RecoveryWorkers {
    const workers = Array.from({ length: threads }, () => new Worker(recoveryWorkerSource, { eval: true, workerData: data, resourceLimits: WORKER_LIMITS }))
    return new RecoveryWorkers(workers, logger)
  }

  get threads(): number {
    return this.workers.length
  }

  warm(raws: Uint8Array[]): Promise<void> {
    if (this.failed || this.workers.length === 0 || raws.length < MIN_BATCH) return Promise.resolve()
    const id = this.nextJob++
    const worker = this.workers[this.nextWorker++ % this.workers.length]
    return new Promise((resolve) => {
      this.jobs.set(id, resolve)
      worker.postMessage({ id, raws })
    })
  }

  /** Waits (bounded) for workers still loading their modules: see `loaded`. */
  async close(): Promise<void> {
    this.releaseAll()
    await within(this.loading, LOAD_WAIT_MS)
    await Promise.all(this.workers.map((w) => w.terminate()))
  }

  private settle({ id, recoveries }: Extract<WorkerMessage, { id: number }>): void {
    for (const recovery of recoveries) if (recovery) rememberRecovery(recovery[0], recovery[1])
    this.jobs.get(id)?.()
    this.jobs.delete(id)
  }

  /** A worker that fails takes the pool with it: recovery goes back to the main thread, with a log line. */
  private fail(err: Error): void {
    if (!this.failed) this.logger.warn({ err }, 'sender recovery worker failed: recovering on the main thread')
    this.failed = true
    this.releaseAll()
  }

  private releaseAll(): void {
    for (const resolve of this.jobs.values()) resolve()
    this.jobs.clear()
  }
}
