import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { EVM, EVMMockBlockchainInterface } from '@ethereumjs/evm'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, createContractAddress } from '@ethereumjs/util'
import { runTx, type RunTxResult, type VM } from '@ethereumjs/vm'
import type { ChainStore } from '../../chain/chainStore.ts'
import type { TrieStore } from '../../db/trieStore.ts'
import { SerialQueue } from '../../util/serialQueue.ts'
import type { CallOverrides, CallRequest } from '../call.ts'
import { callBlock, hasFees, impersonatedTx } from '../callContext.ts'
import { createChainVM } from '../chainVM.ts'
import { applyStateOverride } from '../overrides.ts'
import { CallInvalidError } from '../errors.ts'
import { BlockNotFoundError, GenesisNotTraceableError, TraceTimeoutError } from './errors.ts'
import { attachTracer } from './evmHooks.ts'
import { gethError } from './gethText.ts'
import { ScratchStore } from '../scratchStore.ts'
import { createStateManager } from '../state.ts'
import type { TracerSpec } from './tracers.ts'

/** How far into a block execution is: the gas and the logs of the transactions run so far. */
interface BlockProgress {
  gasUsed: bigint
  logs: number
}

const BLOCK_START: BlockProgress = { gasUsed: 0n, logs: 0 }

/** One transaction's trace in a block trace: its result, or why its tracer failed (geth's txTraceResult). */
export interface TxTrace {
  txHash: string
  result?: unknown
  error?: string
}

/**
 * Re-executes stored transactions and calls under a tracer, on a VM of its own that reads the shared
 * trie store and keeps its writes to itself (the head VM never carries tracing listeners). A
 * transaction of block B runs on B's parent state after B's earlier transactions, replayed untraced
 * with B's header as context. One trace at a time; every state change is dropped afterwards.
 */
export class TraceExecutor {
  private readonly queue = new SerialQueue()

  private constructor(
    private engine: TraceVm,
    private readonly common: Common,
    private readonly store: TrieStore,
    private readonly blockchain: EVMMockBlockchainInterface,
    private readonly chain: ChainStore,
    private readonly gasCap: bigint,
  ) {}

  static async create(common: Common, store: TrieStore, blockchain: EVMMockBlockchainInterface, chain: ChainStore, gasCap: bigint): Promise<TraceExecutor> {
    return new TraceExecutor(await traceVm(common, store, blockchain), common, store, blockchain, chain, gasCap)
  }

  private get vm(): VM {
    return this.engine.vm
  }

  /** Transaction `index` of `block`, traced. */
  traceTransaction(block: Block, index: number, spec: TracerSpec): Promise<unknown> {
    return this.queue.run(() =>
      this.onParentOf(block, async () => {
        const progress = await this.replay(block, index)
        return (await this.traceTx(block, index, progress, spec)).result
      }),
    )
  }

  /** Every transaction of `block`, in order; a tracer's failure (a timeout) is that transaction's error. */
  traceBlock(block: Block, spec: TracerSpec): Promise<TxTrace[]> {
    return this.queue.run(() =>
      this.onParentOf(block, async () => {
        const traces: TxTrace[] = []
        let progress = BLOCK_START
        for (const [index, tx] of block.transactions.entries()) {
          const txHash = bytesToHex(tx.hash())
          try {
            const traced = await this.traceTx(block, index, progress, spec)
            traces.push({ txHash, result: traced.result })
            progress = traced.progress
          } catch (err) {
            if (!(err instanceof TraceTimeoutError)) throw err
            traces.push({ txHash, error: err.message })
            // The stopped run left the VM mid-transaction: start again from the parent, this one untraced.
            progress = await this.restart(block, index + 1)
          }
        }
        return traces
      }),
    )
  }

  /**
   * A call on `block`'s state, traced, with geth's stateOverrides and blockOverrides applied for it
   * alone; the gas defaults to the block's limit, capped as eth_call's.
   */
  traceCall(req: CallRequest, block: Block, spec: TracerSpec, overrides: CallOverrides = {}): Promise<unknown> {
    return this.queue.run(() =>
      this.onState(this.chain.stateRootOf(block), async () => {
        await applyStateOverride(this.vm.stateManager, overrides.state)
        const gas = this.capped(req.gas ?? overrides.block?.gasLimit ?? block.header.gasLimit)
        const tx = impersonatedTx(this.common, req, gas)
        const intrinsic = tx.getIntrinsicGas()
        if (gas < intrinsic) throw new CallInvalidError(`intrinsic gas too low: have ${gas}, want ${intrinsic}`)
        const context = callBlock(this.common, block, hasFees(req), gas, overrides.block)
        return (await this.traced(tx, context, BLOCK_START, spec, { skipNonce: true })).result
      }),
    )
  }

  private capped(gas: bigint): bigint {
    return this.gasCap > 0n && gas > this.gasCap ? this.gasCap : gas
  }

  private async onParentOf<T>(block: Block, run: () => Promise<T>): Promise<T> {
    if (block.header.number === 0n) throw new GenesisNotTraceableError()
    const preState = await this.chain.preStateRoot(block)
    if (!preState) throw new BlockNotFoundError(bytesToHex(block.header.parentHash))
    return this.onState(preState, run)
  }

  /** Runs on the state under `root` and reverts; a run that threw may have left the VM mid-transaction, so it is replaced. */
  private async onState<T>(root: Uint8Array, run: () => Promise<T>): Promise<T> {
    await this.vm.stateManager.setStateRoot(root)
    await this.vm.stateManager.checkpoint()
    try {
      const result = await run()
      // The VM run() ends on (restart may have replaced it) holds the one checkpoint to drop.
      await this.vm.stateManager.revert()
      return result
    } catch (err) {
      this.engine = await traceVm(this.common, this.store, this.blockchain)
      throw err
    } finally {
      this.engine.scratch.clear()
    }
  }

  /** Runs `block`'s first `count` transactions untraced. */
  private async replay(block: Block, count: number): Promise<BlockProgress> {
    let progress = BLOCK_START
    for (const tx of block.transactions.slice(0, count)) {
      const run = await runTx(this.vm, { tx, block, blockGasUsed: progress.gasUsed, skipHardForkValidation: true })
      progress = advance(progress, run)
    }
    return progress
  }

  /** A fresh VM on the state `block` was built on, with the first `count` transactions applied. */
  private async restart(block: Block, count: number): Promise<BlockProgress> {
    this.engine = await traceVm(this.common, this.store, this.blockchain)
    await this.vm.stateManager.setStateRoot((await this.chain.preStateRoot(block))!)
    await this.vm.stateManager.checkpoint()
    return this.replay(block, count)
  }

  private traceTx(block: Block, index: number, progress: BlockProgress, spec: TracerSpec) {
    return this.traced(block.transactions[index], block, progress, spec, {})
  }

  private async traced(tx: TypedTransaction, block: Block, progress: BlockProgress, spec: TracerSpec, opts: { skipNonce?: boolean }): Promise<{ result: unknown; progress: BlockProgress }> {
    const tracer = spec.create()
    const state = this.vm.stateManager
    const from = tx.getSenderAddress()
    const to = tx.to ?? createContractAddress(from, tx.nonce)
    await tracer.onTxStart?.({ state, tx, from, to, coinbase: block.header.coinbase, firstLogIndex: progress.logs })
    const hooks = attachTracer(this.vm.evm as EVM, tracer, Date.now() + spec.timeoutMs)
    let run: RunTxResult
    try {
      run = await runTx(this.vm, { tx, block, blockGasUsed: progress.gasUsed, skipHardForkValidation: true, skipBlockGasLimitValidation: true, ...opts })
    } catch (err) {
      // The tracer's own failures pass as they are; anything else is the transaction refused to run.
      if (err instanceof TraceTimeoutError || err === hooks.failure()) throw err
      throw new CallInvalidError((err as Error).message.replace(/ -> .*$/s, ''))
    } finally {
      hooks.detach()
    }
    if (hooks.failure() !== undefined) throw hooks.failure()
    const { exceptionError, returnValue } = run.execResult
    const error = exceptionError && gethError(exceptionError, undefined)
    const result = await tracer.result({ gasUsed: run.totalGasSpent, output: returnValue, error, state })
    return { result, progress: advance(progress, run) }
  }
}

function advance(progress: BlockProgress, run: RunTxResult): BlockProgress {
  return { gasUsed: progress.gasUsed + run.blockGasSpent, logs: progress.logs + run.receipt.logs.length }
}

/** The VM traces run on, and the database its state writes to. */
interface TraceVm {
  vm: VM
  scratch: ScratchStore
}

/** A VM whose state reads the node's tries and writes to a scratch database of its own. */
async function traceVm(common: Common, store: TrieStore, blockchain: EVMMockBlockchainInterface): Promise<TraceVm> {
  const scratch = new ScratchStore(store)
  const vm = await createChainVM({ common, stateManager: createStateManager(common, scratch), blockchain })
  return { vm, scratch }
}
