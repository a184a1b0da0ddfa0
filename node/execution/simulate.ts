import { Block, createBlockHeader, type HeaderData } from '@ethereumjs/block'
import type { Log } from '@ethereumjs/evm'
import { createTx, type AccessList, type TypedTransaction } from '@ethereumjs/tx'
import { Address, createZeroAddress, hexToBytes, KECCAK256_RLP, toChecksumAddress } from '@ethereumjs/util'
import { Bloom, encodeReceipt, type RunTxResult, type VM } from '@ethereumjs/vm'
import type { CallRequest } from './call.ts'
import { CallInvalidError, SimulationError } from './errors.ts'
import type { TransferTracer } from './transferTracer.ts'
import { orderedTrieRoot, transactionsRoot } from './orderedTrie.ts'
import { applyStateOverride, overriddenHeaderFields, overrideBlobBaseFee, type BlockOverrides, type StateOverride } from './overrides.ts'

/** geth's maxSimulateBlocks: blocks one request may span, gaps included. */
export const MAX_SIMULATE_BLOCKS = 256
/** Seconds between simulated blocks whose time is not given (geth's timestampIncrement). */
const TIMESTAMP_INCREMENT = 12n
const MAX_UINT64 = 2n ** 64n - 1n
const ZERO_HASH = new Uint8Array(32)

export interface SimulationBlockInput {
  blockOverrides?: BlockOverrides
  stateOverrides?: StateOverride
  calls?: CallRequest[]
}

export interface SimulationInput {
  blocks: SimulationBlockInput[]
  /** Run with a block's base fee and nonce checks (geth's `validation`). */
  validation: boolean
  /** List ether transfers among each call's logs (geth's `traceTransfers`). */
  traceTransfers?: boolean
}

/** A failed call: reverted (with its data) or halted by the EVM. */
export type SimulatedCallError = { kind: 'reverted'; data: Uint8Array } | { kind: 'halted'; message: string }

export interface SimulatedCall {
  returnData: Uint8Array
  logs: Log[]
  gasUsed: bigint
  error?: SimulatedCallError
}

export interface SimulatedBlock {
  block: Block
  calls: SimulatedCall[]
}

/** How a simulation runs a transaction (the call executor's runTx with its time limit), and where its blocks go for BLOCKHASH. */
export interface SimulationHost {
  gasCap: bigint
  /** Set when transfers are traced: each call's logs come from it. */
  tracer?: TransferTracer
  execute(opts: { tx: TypedTransaction; block: Block; blockGasUsed: bigint }): Promise<RunTxResult>
  sealed(block: Block): Promise<void>
}

/**
 * geth's eth_simulateV1 (internal/ethapi/simulate.go): blocks on top of `base`, each on the state
 * the one before left, numbers and times strictly increasing, gaps filled with empty blocks.
 * The VM's state must be at `base` inside a checkpoint the caller reverts.
 */
export async function simulateChain(vm: VM, base: Block, input: SimulationInput, host: SimulationHost): Promise<SimulatedBlock[]> {
  const simulation = new Simulation(vm, host, input.validation)
  const results: SimulatedBlock[] = []
  let parent = base
  for (const spec of sanitizeChain(base, input.blocks)) {
    const simulated = await simulation.block(parent, spec)
    await host.sealed(simulated.block)
    results.push(simulated)
    parent = simulated.block
  }
  return results
}

/** A block with its number and time settled. */
interface SettledBlock extends SimulationBlockInput {
  blockOverrides: BlockOverrides & { number: bigint; time: bigint }
}

/** geth's sanitizeChain: defaults for number and time, order checks, the block limit, empty gap blocks. */
function sanitizeChain(base: Block, blocks: SimulationBlockInput[]): SettledBlock[] {
  const settled: SettledBlock[] = []
  let number = base.header.number
  let time = base.header.timestamp
  for (const block of blocks) {
    const overrides = block.blockOverrides ?? {}
    const target = overrides.number ?? number + 1n
    if (target <= number) throw new SimulationError('blockNumberInvalid', `block numbers must be in order: ${target} <= ${number}`)
    if (target - base.header.number > BigInt(MAX_SIMULATE_BLOCKS)) throw new SimulationError('clientLimitExceeded', 'too many blocks')
    for (let gap = number + 1n; gap < target; gap++) {
      time += TIMESTAMP_INCREMENT
      settled.push({ blockOverrides: { number: gap, time } })
    }
    const blockTime = overrides.time ?? time + TIMESTAMP_INCREMENT
    if (blockTime <= time) throw new SimulationError('blockTimestampInvalid', `block timestamps must be in order: ${blockTime} <= ${time}`)
    settled.push({ ...block, blockOverrides: { ...overrides, number: target, time: blockTime } })
    number = target
    time = blockTime
  }
  return settled
}

class Simulation {
  /** Gas left for the whole request: geth's gas pool of --rpc.gascap. */
  private gasPool: bigint

  constructor(
    private readonly vm: VM,
    private readonly host: SimulationHost,
    private readonly validation: boolean,
  ) {
    this.gasPool = host.gasCap > 0n ? host.gasCap : MAX_UINT64
  }

  async block(parent: Block, spec: SettledBlock): Promise<SimulatedBlock> {
    const header = this.header(parent, spec.blockOverrides)
    const context = new Block(createBlockHeader(header, { common: this.vm.common, freeze: false }), [], [], [], { common: this.vm.common })
    overrideBlobBaseFee(context, spec.blockOverrides.blobBaseFee)
    await applyStateOverride(this.vm.stateManager, spec.stateOverrides)
    const txs: TypedTransaction[] = []
    const results: RunTxResult[] = []
    const calls: SimulatedCall[] = []
    let gasUsed = 0n
    for (const call of spec.calls ?? []) {
      const tx = await this.transaction(call, context, gasUsed)
      const result = await this.execute(tx, context, gasUsed)
      gasUsed += result.totalGasSpent
      this.gasPool -= result.totalGasSpent
      txs.push(tx)
      results.push(result)
      calls.push(callResult(result, this.host.tracer?.take()))
    }
    const sealed = await this.seal(header, txs, results, gasUsed)
    return { block: sealed, calls }
  }

  /** A transaction the EVM refuses to run stops the simulation, as geth's txValidationError does. */
  private async execute(tx: TypedTransaction, block: Block, blockGasUsed: bigint): Promise<RunTxResult> {
    try {
      return await this.host.execute({ tx, block, blockGasUsed })
    } catch (err) {
      if (err instanceof CallInvalidError) throw new SimulationError('invalidTransaction', err.message)
      throw err
    }
  }

  /** geth's makeHeaders and processBlock: the parent's fields, the overrides, a zero base fee unless validating. */
  private header(parent: Block, o: SettledBlock['blockOverrides']): HeaderData {
    const p = parent.header
    const { coinbase, mixHash } = overriddenHeaderFields(o)
    return {
      parentHash: parent.hash(),
      number: o.number,
      timestamp: o.time,
      gasLimit: o.gasLimit ?? p.gasLimit,
      coinbase: coinbase ?? p.coinbase,
      difficulty: 0n,
      mixHash: mixHash ?? ZERO_HASH,
      baseFeePerGas: o.baseFeePerGas ?? (this.validation ? p.calcNextBaseFee() : 0n),
      excessBlobGas: p.calcNextExcessBlobGas(this.vm.common),
      blobGasUsed: 0n,
      parentBeaconBlockRoot: ZERO_HASH,
      withdrawalsRoot: KECCAK256_RLP,
    }
  }

  /** geth's sanitizeCall and the checks of its state transition, with geth's words. */
  private async transaction(call: CallRequest, context: Block, gasUsed: bigint): Promise<TypedTransaction> {
    const from = call.from ? new Address(hexToBytes(call.from as `0x${string}`)) : createZeroAddress()
    // geth prints addresses checksummed in these messages.
    const who = toChecksumAddress(from.toString())
    const account = await this.vm.stateManager.getAccount(from)
    const stateNonce = account?.nonce ?? 0n
    const nonce = call.nonce ?? stateNonce
    const blockGasLimit = context.header.gasLimit
    let gas = call.gas ?? blockGasLimit - gasUsed
    if (gasUsed + gas > blockGasLimit) throw new SimulationError('blockGasLimitReached', `block gas limit reached: ${gasUsed} >= ${blockGasLimit}`)
    if (gas > this.gasPool) gas = this.gasPool
    if (this.validation && nonce < stateNonce) throw new SimulationError('nonceTooLow', `nonce too low: address ${who}, tx: ${nonce} state: ${stateNonce}`)
    if (this.validation && nonce > stateNonce) throw new SimulationError('nonceTooHigh', `nonce too high: address ${who}, tx: ${nonce} state: ${stateNonce}`)
    const tx = simulatedTx(this.vm, call, from, who, nonce, gas)
    const { maxFeePerGas } = tx as unknown as { maxFeePerGas: bigint }
    const baseFee = context.header.baseFeePerGas ?? 0n
    if (this.validation && maxFeePerGas < baseFee) {
      throw new SimulationError('invalidFees', `max fee per gas less than block base fee: address ${who}, maxFeePerGas: ${maxFeePerGas}, baseFee: ${baseFee}`)
    }
    const intrinsic = tx.getIntrinsicGas()
    if (gas < intrinsic) throw new SimulationError('intrinsicGas', `intrinsic gas too low: have ${gas}, want ${intrinsic}`)
    const want = gas * maxFeePerGas + (call.value ?? 0n)
    const have = account?.balance ?? 0n
    if (have < want) throw new SimulationError('insufficientFunds', `insufficient funds for gas * price + value: address ${who} have ${have} want ${want}`)
    return tx
  }

  /** The block as geth returns it: state root after the calls, their receipts and transactions. */
  private async seal(header: HeaderData, txs: TypedTransaction[], results: RunTxResult[], gasUsed: bigint): Promise<Block> {
    const common = this.vm.common
    const bloom = new Bloom(undefined, common)
    for (const r of results) bloom.or(r.bloom)
    const receipts = results.map((r, i) => encodeReceipt(r.receipt, txs[i].type))
    const sealed = createBlockHeader(
      {
        ...header,
        gasUsed,
        stateRoot: await this.vm.stateManager.getStateRoot(),
        transactionsTrie: transactionsRoot(txs),
        receiptTrie: orderedTrieRoot(receipts),
        logsBloom: bloom.bitvector,
      },
      { common },
    )
    return new Block(sealed, txs, [], [], { common })
  }
}

/**
 * The call as the dynamic-fee transaction geth lists in a simulated block: unsigned (a zero
 * signature, which is how geth hashes it) and sent by whoever the call names.
 */
function simulatedTx(vm: VM, call: CallRequest, from: Address, who: string, nonce: bigint, gas: bigint): TypedTransaction {
  const maxFeePerGas = call.maxFeePerGas ?? call.gasPrice ?? 0n
  const maxPriorityFeePerGas = call.maxPriorityFeePerGas ?? call.gasPrice ?? 0n
  if (maxPriorityFeePerGas > maxFeePerGas) {
    throw new SimulationError('invalidFees', `max priority fee per gas higher than max fee per gas: address ${who}, maxPriorityFeePerGas: ${maxPriorityFeePerGas}, maxFeePerGas: ${maxFeePerGas}`)
  }
  try {
    const tx = createTx(
      {
        type: 2,
        chainId: vm.common.chainId(),
        nonce,
        gasLimit: gas,
        to: call.to as `0x${string}` | undefined,
        value: call.value ?? 0n,
        data: call.data ?? new Uint8Array(),
        maxFeePerGas,
        maxPriorityFeePerGas,
        accessList: (call.accessList ?? []) as AccessList,
        v: 0n,
        r: 0n,
        s: 0n,
      },
      { common: vm.common, freeze: false },
    )
    tx.getSenderAddress = () => from
    return tx
  } catch (err) {
    throw new SimulationError('invalidTransaction', (err as Error).message.replace(/ -> .*$/s, ''))
  }
}

/** A call's outcome; `tracedLogs` (transfers included) stand for the EVM's logs when transfers are traced. */
function callResult(result: RunTxResult, tracedLogs: Log[] | undefined): SimulatedCall {
  const exec = result.execResult
  const call: SimulatedCall = { returnData: exec.returnValue, logs: tracedLogs ?? exec.logs ?? [], gasUsed: result.totalGasSpent }
  const error = exec.exceptionError?.error
  if (error === 'revert') call.error = { kind: 'reverted', data: exec.returnValue }
  else if (error !== undefined) call.error = { kind: 'halted', message: error }
  return call
}
