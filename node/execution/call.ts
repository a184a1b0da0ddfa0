import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Address, createContractAddress, createZeroAddress, equalsBytes, hexToBytes } from '@ethereumjs/util'
import { runTx, type RunTxResult, type VM } from '@ethereumjs/vm'
import { EVMError, getActivePrecompiles, type EVM, type EVMMockBlockchainInterface, type InterpreterStep } from '@ethereumjs/evm'
import type { TrieStore } from '../db/trieStore.ts'
import { AccessListTracer, type AccessListItem } from './accessList.ts'
import { CallInvalidError, CallTimeoutError, ExecutionHaltedError, ExecutionRevertedError, GasRequiredExceedsAllowanceError } from './errors.ts'
import { CallBlockHashes } from './callBlockHashes.ts'
import { CallBlocks, hasFees, impersonatedTx } from './callContext.ts'
import { directCallsAllowed, qualifiesForDirectCall, runDirectCall, type CallRun } from './directCall.ts'
import { Interrupter } from './interrupt.ts'
import { applyStateOverride, type BlockOverrides, type StateOverride } from './overrides.ts'
import { decodeRevertReason } from './revertReason.ts'
import { ScratchStore } from './scratchStore.ts'
import { simulateChain, type SimulatedBlock, type SimulationInput } from './simulate.ts'
import { createChainVM } from './chainVM.ts'
import { CallStateManager } from './callState.ts'
import type { ChainStateManager } from './state.ts'
import { TransferTracer } from './transferTracer.ts'
import { TrieFaultError } from './trieNodes.ts'
import { SerialQueue } from '../util/serialQueue.ts'

/** A call as eth_call / eth_estimateGas take it; absent fields get geth's defaults. */
export interface CallRequest {
  from?: string
  to?: string
  gas?: bigint
  gasPrice?: bigint
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  value?: bigint
  data?: Uint8Array
  /** Used by simulations (and to name the address a creation makes); calls ignore it otherwise. */
  nonce?: bigint
  accessList?: { address: string; storageKeys: string[] }[]
}

export interface CallOutcome {
  returnValue: Uint8Array
  gasUsed: bigint
}

/** What eth_call and eth_estimateGas may change for the one call: accounts, and the block context. */
export interface CallOverrides {
  state?: StateOverride
  block?: BlockOverrides
}

/** eth_createAccessList's answer: the list, the gas the call uses with it, and its EVM error if it fails. */
export interface AccessListOutcome {
  accessList: AccessListItem[]
  gasUsed: bigint
  error?: string
}

interface ExecuteOptions {
  tx: TypedTransaction
  block: Block
  blockGasUsed?: bigint
}

/** geth's --rpc.gascap and --rpc.evmtimeout; 0 is none. */
export interface CallLimits {
  gasCap: bigint
  timeoutMs: number
}

const TX_GAS = 21_000n
/** geth's estimator stops once the bracket is within 1.5% of the answer. */
const ESTIMATE_ERROR_RATIO_PPM = 15_000n
const CALL_STIPEND = 2_300n

/**
 * Runs calls and estimates against the state of any stored block, on its own VM so the head VM
 * is never disturbed; one at a time, with the state left exactly as it was after each.
 */
export class CallExecutor {
  private readonly queue = new SerialQueue()
  private readonly blocks: CallBlocks
  /** Whether calls that qualify skip runTx (directCall.ts): under the chain's rules, always. */
  private readonly directCalls: boolean
  private root: Uint8Array | undefined

  private constructor(
    private readonly vm: VM,
    private readonly scratch: ScratchStore,
    private readonly hashes: CallBlockHashes,
    private readonly interrupter: Interrupter,
    private readonly limits: CallLimits,
    private readonly stateRootOf: (block: Block) => Uint8Array,
  ) {
    this.blocks = new CallBlocks(vm.common)
    this.directCalls = directCallsAllowed(vm.common)
  }

  /** `stateRootOf` names the state a call at a block runs on (the head's may differ from its header's after devnet edits). */
  static async create(
    common: Common,
    store: TrieStore,
    blockchain: EVMMockBlockchainInterface,
    limits: CallLimits,
    stateRootOf: (block: Block) => Uint8Array = (block) => block.header.stateRoot,
  ): Promise<CallExecutor> {
    const scratch = new ScratchStore(store)
    const hashes = new CallBlockHashes(blockchain)
    const interrupter = new Interrupter()
    const vm = await createChainVM({ common, stateManager: new CallStateManager(common, scratch), blockchain: hashes, evmOpts: interrupter.evmOpts(common) })
    return new CallExecutor(vm, scratch, hashes, interrupter, limits, stateRootOf)
  }

  /** eth_call: the return data, or a typed error for a revert or halt. */
  call(req: CallRequest, block: Block, overrides: CallOverrides = {}): Promise<CallOutcome> {
    return this.exclusive(async () => {
      const gas = this.capped(req.gas ?? overrides.block?.gasLimit ?? block.header.gasLimit)
      const result = await this.run(req, block, gas, overrides)
      throwIfFailed(result)
      return { returnValue: result.execResult.returnValue, gasUsed: result.totalGasSpent }
    })
  }

  /** eth_estimateGas: geth's search for the least gas limit at which the call succeeds. */
  estimateGas(req: CallRequest, block: Block, overrides: CallOverrides = {}): Promise<bigint> {
    return this.exclusive(() => this.estimate(req, block, overrides))
  }

  /**
   * eth_createAccessList, geth's way: run with the list found so far until a run touches nothing
   * new; the sender, the recipient (or created address) and the precompiles are left out.
   */
  createAccessList(req: CallRequest, block: Block, state?: StateOverride): Promise<AccessListOutcome> {
    return this.exclusive(async () => {
      const gas = this.capped(req.gas ?? block.header.gasLimit)
      const excluded = await this.accessListExclusions(req, block, state)
      let previous = new AccessListTracer(req.accessList ?? [], excluded)
      for (;;) {
        const accessList = previous.accessList()
        const tracer = new AccessListTracer(accessList, excluded)
        const result = await this.run({ ...req, accessList }, block, gas, { state }, tracer.onStep)
        if (tracer.equals(previous)) return { accessList, gasUsed: result.totalGasSpent, error: evmErrorMessage(result) }
        previous = tracer
      }
    })
  }

  /** eth_simulateV1: blocks built on `base` one after another, every change dropped afterwards. */
  simulate(base: Block, input: SimulationInput): Promise<SimulatedBlock[]> {
    return this.exclusive(async () => {
      await this.positionAt(base)
      const state = this.vm.stateManager as ChainStateManager
      const depth = state.checkpointDepth
      await state.checkpoint()
      const tracer = input.traceTransfers ? new TransferTracer() : undefined
      const detach = tracer?.attach(this.vm.evm as EVM)
      try {
        const host = { gasCap: this.limits.gasCap, tracer, execute: (opts: ExecuteOptions) => this.execute(opts), sealed: (block: Block) => this.hashes.putBlock(block) }
        return await simulateChain(this.vm, base, input, host)
      } finally {
        detach?.()
        this.hashes.forgetSimulated()
        await state.revertTo(depth)
      }
    })
  }

  /** Runs `task` alone on the VM, its time limit counted from now: from the request's arrival, queueing included. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const deadline = this.limits.timeoutMs > 0 ? performance.now() + this.limits.timeoutMs : Infinity
    return this.queue.run(async () => {
      this.interrupter.arm(deadline)
      // Calls that expired in the queue are refused at once: a backlog of them would hold the event loop.
      this.throwIfTimedOut()
      try {
        return await task()
      } finally {
        this.dropScratch()
      }
    })
  }

  /**
   * Forgets the trie nodes a task wrote (storage tries flushed without their account trie's
   * checkpoint, simulated state roots); the state root is set afresh for the next task then.
   */
  private dropScratch(): void {
    if (this.scratch.clear()) this.root = undefined
  }

  private async estimate(req: CallRequest, block: Block, overrides: CallOverrides): Promise<bigint> {
    let hi = this.capped(req.gas !== undefined && req.gas >= TX_GAS ? req.gas : (overrides.block?.gasLimit ?? block.header.gasLimit))
    if (await this.isPlainTransfer(req, block, overrides.state) && (await this.succeeds(req, block, TX_GAS, overrides))) return TX_GAS
    const first = await this.tryRun(req, block, hi, overrides)
    if (first instanceof Error) throw first
    // As geth: out of gas at the highest limit means no limit works; other failures are the call's own.
    if (first.execResult.exceptionError?.error === EVMError.errorMessages.OUT_OF_GAS) throw new GasRequiredExceedsAllowanceError(hi)
    throwIfFailed(first)
    let lo = first.totalGasSpent - 1n
    const optimistic = ((first.totalGasSpent + first.gasRefund + CALL_STIPEND) * 64n) / 63n
    if (optimistic < hi && (await this.succeeds(req, block, optimistic, overrides))) hi = optimistic
    while (lo + 1n < hi) {
      if (((hi - lo) * 1_000_000n) / hi < ESTIMATE_ERROR_RATIO_PPM) break
      let mid = (hi + lo) / 2n
      if (mid > lo * 2n) mid = lo * 2n
      if (await this.succeeds(req, block, mid, overrides)) hi = mid
      else lo = mid
    }
    return hi
  }

  /** A cap of 0 means none (geth's --rpc.gascap 0). */
  private capped(gas: bigint): bigint {
    return this.limits.gasCap > 0n && gas > this.limits.gasCap ? this.limits.gasCap : gas
  }

  private async isPlainTransfer(req: CallRequest, block: Block, state: StateOverride | undefined): Promise<boolean> {
    if (req.to === undefined || (req.data !== undefined && req.data.length > 0)) return false
    await this.positionAt(block)
    const code = state?.[req.to.toLowerCase()]?.code ?? (await this.vm.stateManager.getCode(new Address(hexToBytes(req.to as `0x${string}`))))
    return code.length === 0
  }

  private async succeeds(req: CallRequest, block: Block, gas: bigint, overrides: CallOverrides): Promise<boolean> {
    const result = await this.tryRun(req, block, gas, overrides)
    return !(result instanceof Error) && result.execResult.exceptionError === undefined
  }

  /** A run whose invalidity is an answer (the search goes on); a timeout or a bad override is not. */
  private async tryRun(req: CallRequest, block: Block, gas: bigint, overrides: CallOverrides): Promise<CallRun | Error> {
    try {
      return await this.run(req, block, gas, overrides)
    } catch (err) {
      if (!(err instanceof CallInvalidError)) throw err
      return err
    }
  }

  /** One execution on top of `block`'s state with the overrides, always reverted afterwards. */
  private async run(req: CallRequest, block: Block, gas: bigint, overrides: CallOverrides, onStep?: (step: InterpreterStep) => void): Promise<CallRun> {
    await this.positionAt(block)
    const tx = impersonatedTx(this.vm.common, req, gas)
    const state = this.vm.stateManager as ChainStateManager
    const depth = state.checkpointDepth
    await state.checkpoint()
    const events = (this.vm.evm as EVM).events
    if (onStep) events.on('step', onStep)
    try {
      await applyStateOverride(state, overrides.state)
      await checkPreconditions(this.vm, tx, req, gas)
      const context = this.blocks.at(block, hasFees(req), gas, overrides.block)
      // A tracer watches runTx's steps as they are: only untraced calls take the direct way.
      const direct = !onStep && this.directCalls && qualifiesForDirectCall(tx) ? await this.guarded(() => runDirectCall(this.vm, tx, context)) : undefined
      return direct ?? (await this.execute({ tx, block: context }))
    } finally {
      if (onStep) events.off('step', onStep)
      await state.revertTo(depth)
    }
  }

  /** runTx as calls run it (no nonce or balance rule), within the time limit. */
  private execute(opts: ExecuteOptions): Promise<RunTxResult> {
    return this.guarded(() => runTx(this.vm, { ...opts, skipNonce: true, skipBalance: true, skipBlockGasLimitValidation: true, skipHardForkValidation: true }))
  }

  /** `execution` within the time limit; what it throws, but for a damaged store, makes the call invalid. */
  private async guarded<T>(execution: () => Promise<T>): Promise<T> {
    this.throwIfTimedOut()
    let result: T
    try {
      result = await execution()
    } catch (err) {
      if (err instanceof TrieFaultError) throw err
      throw new CallInvalidError((err as Error).message.replace(/ -> .*$/s, ''))
    }
    this.throwIfTimedOut()
    return result
  }

  private throwIfTimedOut(): void {
    if (this.interrupter.expired) throw new CallTimeoutError(this.limits.timeoutMs)
  }

  /** geth's addressesToExclude: sender, recipient (or the address a creation makes), precompiles. */
  private async accessListExclusions(req: CallRequest, block: Block, state: StateOverride | undefined): Promise<Set<string>> {
    const from = (req.from ?? createZeroAddress().toString()).toLowerCase()
    let to = req.to?.toLowerCase()
    if (to === undefined) {
      await this.positionAt(block)
      const sender = new Address(hexToBytes(from as `0x${string}`))
      const nonce = req.nonce ?? state?.[from]?.nonce ?? (await this.vm.stateManager.getAccount(sender))?.nonce ?? 0n
      to = createContractAddress(sender, nonce).toString()
    }
    const precompiles = [...getActivePrecompiles(this.vm.common).keys()].map((hex) => `0x${hex.replace(/^0x/, '')}`)
    return new Set([from, to, ...precompiles])
  }

  private async positionAt(block: Block): Promise<void> {
    const root = this.stateRootOf(block)
    if (this.root && equalsBytes(this.root, root)) return
    await this.vm.stateManager.setStateRoot(root)
    this.root = root
  }
}

/**
 * geth's checks before a call runs, with geth's words: the gas covers the intrinsic cost, and the
 * sender can pay value + gas * price (a call without a price only needs the value).
 */
async function checkPreconditions(vm: VM, tx: TypedTransaction, req: CallRequest, gas: bigint): Promise<void> {
  const intrinsic = tx.getIntrinsicGas()
  if (gas < intrinsic) throw new CallInvalidError(`intrinsic gas too low: have ${gas}, want ${intrinsic}`)
  const want = (req.value ?? 0n) + gas * (req.maxFeePerGas ?? req.gasPrice ?? 0n)
  if (want === 0n) return
  const from = tx.getSenderAddress()
  const have = (await vm.stateManager.getAccount(from))?.balance ?? 0n
  if (have < want) throw new CallInvalidError(`insufficient funds for gas * price + value: address ${from} have ${have} want ${want}`)
}

/** The EVM's error as geth words it in eth_createAccessList's answer, if the call failed. */
function evmErrorMessage(result: CallRun): string | undefined {
  const error = result.execResult.exceptionError?.error
  if (error === undefined) return undefined
  return error === 'revert' ? 'execution reverted' : error
}

function throwIfFailed(result: CallRun): void {
  const error = result.execResult.exceptionError
  if (!error) return
  if (error.error === 'revert') {
    const data = result.execResult.returnValue
    throw new ExecutionRevertedError(data, decodeRevertReason(data))
  }
  throw new ExecutionHaltedError(error.error)
}
