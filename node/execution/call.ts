import { createBlock, type Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { createTx, type AccessList, type TypedTransaction } from '@ethereumjs/tx'
import { Address, createZeroAddress, equalsBytes, hexToBytes } from '@ethereumjs/util'
import { runTx, type RunTxResult, type VM } from '@ethereumjs/vm'
import { EVMError, type EVMMockBlockchainInterface } from '@ethereumjs/evm'
import type { TrieStore } from '../db/trieStore.ts'
import { CallInvalidError, ExecutionHaltedError, ExecutionRevertedError, GasRequiredExceedsAllowanceError } from './errors.ts'
import { decodeRevertReason } from './revertReason.ts'
import { createChainVM } from './chainVM.ts'
import { createStateManager } from './state.ts'
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
  accessList?: { address: string; storageKeys: string[] }[]
}

export interface CallOutcome {
  returnValue: Uint8Array
  gasUsed: bigint
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
  private root: Uint8Array | undefined

  private constructor(
    private readonly vm: VM,
    private readonly gasCap: bigint,
  ) {}

  static async create(common: Common, store: TrieStore, blockchain: EVMMockBlockchainInterface, gasCap: bigint): Promise<CallExecutor> {
    const vm = await createChainVM({ common, stateManager: createStateManager(common, store), blockchain })
    return new CallExecutor(vm, gasCap)
  }

  /** eth_call: the return data, or a typed error for a revert or halt. */
  call(req: CallRequest, block: Block): Promise<CallOutcome> {
    return this.queue.run(async () => {
      const gas = this.capped(req.gas ?? block.header.gasLimit)
      const result = await this.run(req, block, gas)
      throwIfFailed(result)
      return { returnValue: result.execResult.returnValue, gasUsed: result.totalGasSpent }
    })
  }

  /** eth_estimateGas: geth's search for the least gas limit at which the call succeeds. */
  estimateGas(req: CallRequest, block: Block): Promise<bigint> {
    return this.queue.run(async () => {
      let hi = this.capped(req.gas !== undefined && req.gas >= TX_GAS ? req.gas : block.header.gasLimit)
      if (await this.isPlainTransfer(req, block) && (await this.succeeds(req, block, TX_GAS))) return TX_GAS
      const first = await this.tryRun(req, block, hi)
      if (first instanceof Error) throw first instanceof CallInvalidError ? first : new GasRequiredExceedsAllowanceError(hi)
      // As geth: out of gas at the highest limit means no limit works; other failures are the call's own.
      if (first.execResult.exceptionError?.error === EVMError.errorMessages.OUT_OF_GAS) throw new GasRequiredExceedsAllowanceError(hi)
      throwIfFailed(first)
      let lo = first.totalGasSpent - 1n
      const optimistic = ((first.totalGasSpent + first.gasRefund + CALL_STIPEND) * 64n) / 63n
      if (optimistic < hi && (await this.succeeds(req, block, optimistic))) hi = optimistic
      while (lo + 1n < hi) {
        if (((hi - lo) * 1_000_000n) / hi < ESTIMATE_ERROR_RATIO_PPM) break
        let mid = (hi + lo) / 2n
        if (mid > lo * 2n) mid = lo * 2n
        if (await this.succeeds(req, block, mid)) hi = mid
        else lo = mid
      }
      return hi
    })
  }

  /** A cap of 0 means none (geth's --rpc.gascap 0). */
  private capped(gas: bigint): bigint {
    return this.gasCap > 0n && gas > this.gasCap ? this.gasCap : gas
  }

  private async isPlainTransfer(req: CallRequest, block: Block): Promise<boolean> {
    if (req.to === undefined || (req.data !== undefined && req.data.length > 0)) return false
    await this.positionAt(block)
    const code = await this.vm.stateManager.getCode(new Address(hexToBytes(req.to as `0x${string}`)))
    return code.length === 0
  }

  private async succeeds(req: CallRequest, block: Block, gas: bigint): Promise<boolean> {
    const result = await this.tryRun(req, block, gas)
    return !(result instanceof Error) && result.execResult.exceptionError === undefined
  }

  private async tryRun(req: CallRequest, block: Block, gas: bigint): Promise<RunTxResult | Error> {
    try {
      return await this.run(req, block, gas)
    } catch (err) {
      return err as Error
    }
  }

  /** One execution on top of `block`'s state, always reverted afterwards. */
  private async run(req: CallRequest, block: Block, gas: bigint): Promise<RunTxResult> {
    await this.positionAt(block)
    const tx = impersonatedTx(this.vm.common, req, gas)
    await this.checkPreconditions(tx, req, gas)
    const state = this.vm.stateManager
    await state.checkpoint()
    try {
      return await runTx(this.vm, {
        tx,
        block: callBlock(this.vm.common, block, hasFees(req), gas),
        skipNonce: true,
        skipBalance: true,
        skipBlockGasLimitValidation: true,
        skipHardForkValidation: true,
      })
    } catch (err) {
      throw new CallInvalidError((err as Error).message.replace(/ -> .*$/s, ''))
    } finally {
      await state.revert()
    }
  }

  /**
   * geth's checks before a call runs, with geth's words: the gas covers the intrinsic cost, and the
   * sender can pay value + gas * price (a call without a price only needs the value).
   */
  private async checkPreconditions(tx: TypedTransaction, req: CallRequest, gas: bigint): Promise<void> {
    const intrinsic = tx.getIntrinsicGas()
    if (gas < intrinsic) throw new CallInvalidError(`intrinsic gas too low: have ${gas}, want ${intrinsic}`)
    const want = (req.value ?? 0n) + gas * (req.maxFeePerGas ?? req.gasPrice ?? 0n)
    if (want === 0n) return
    const from = tx.getSenderAddress()
    const have = (await this.vm.stateManager.getAccount(from))?.balance ?? 0n
    if (have < want) throw new CallInvalidError(`insufficient funds for gas * price + value: address ${from} have ${have} want ${want}`)
  }

  private async positionAt(block: Block): Promise<void> {
    if (this.root && equalsBytes(this.root, block.header.stateRoot)) return
    await this.vm.stateManager.setStateRoot(block.header.stateRoot)
    this.root = block.header.stateRoot
  }
}

function throwIfFailed(result: RunTxResult): void {
  const error = result.execResult.exceptionError
  if (!error) return
  if (error.error === 'revert') {
    const data = result.execResult.returnValue
    throw new ExecutionRevertedError(data, decodeRevertReason(data))
  }
  throw new ExecutionHaltedError(error.error)
}

function hasFees(req: CallRequest): boolean {
  return !!(req.gasPrice || req.maxFeePerGas || req.maxPriorityFeePerGas)
}

/**
 * The block a call runs in: the same context as `block`, but (as geth does for calls without a
 * fee) a zero base fee so an unpriced call is not refused, and room for the call's gas.
 */
function callBlock(common: Common, block: Block, withFees: boolean, gas: bigint): Block {
  const h = block.header
  return createBlock(
    {
      header: {
        number: h.number,
        timestamp: h.timestamp,
        coinbase: h.coinbase,
        gasLimit: h.gasLimit > gas ? h.gasLimit : gas,
        baseFeePerGas: withFees ? h.baseFeePerGas : 0n,
        mixHash: h.mixHash,
        difficulty: h.difficulty,
        excessBlobGas: h.excessBlobGas,
        parentBeaconBlockRoot: h.parentBeaconBlockRoot,
        parentHash: h.parentHash,
      },
    },
    { common },
  )
}

/** An unsigned transaction whose sender is whatever the caller says (the ethereumjs client's way). */
function impersonatedTx(common: Common, req: CallRequest, gas: bigint): TypedTransaction {
  const feeMarket = req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined
  const tx = createTx(
    {
      type: feeMarket ? 2 : req.accessList ? 1 : 0,
      gasLimit: gas,
      to: req.to as `0x${string}` | undefined,
      value: req.value ?? 0n,
      data: req.data ?? new Uint8Array(),
      ...(feeMarket
        ? { maxFeePerGas: req.maxFeePerGas ?? req.maxPriorityFeePerGas, maxPriorityFeePerGas: req.maxPriorityFeePerGas ?? 0n }
        : { gasPrice: req.gasPrice ?? 0n }),
      accessList: req.accessList as AccessList | undefined,
    },
    { common, freeze: false },
  )
  const from = req.from ? new Address(hexToBytes(req.from as `0x${string}`)) : createZeroAddress()
  tx.getSenderAddress = () => from
  return tx
}
