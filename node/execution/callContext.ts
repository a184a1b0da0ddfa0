/** What eth_call, eth_estimateGas and debug_traceCall run: an unsigned transaction in a call's block. */
import { createBlock, type Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { createTx, type AccessList, type TypedTransaction } from '@ethereumjs/tx'
import { Address, createZeroAddress, hexToBytes } from '@ethereumjs/util'
import type { CallRequest } from './call.ts'
import { overriddenHeaderFields, overrideBlobBaseFee, type BlockOverrides } from './overrides.ts'

/** A call that names a price pays the base fee; one that does not runs with none (geth's NoBaseFee). */
export function hasFees(req: CallRequest): boolean {
  return !!(req.gasPrice || req.maxFeePerGas || req.maxPriorityFeePerGas)
}

/**
 * The block a call runs in: the same context as `block` with the overrides, but (as geth does for
 * calls without a fee) a zero base fee so an unpriced call is not refused, and room for the call's gas.
 */
export function callBlock(common: Common, block: Block, withFees: boolean, gas: bigint, o: BlockOverrides = {}): Block {
  const h = block.header
  const gasLimit = o.gasLimit ?? h.gasLimit
  const { coinbase, mixHash } = overriddenHeaderFields(o)
  const context = createBlock(
    {
      header: {
        number: o.number ?? h.number,
        timestamp: o.time ?? h.timestamp,
        coinbase: coinbase ?? h.coinbase,
        gasLimit: gasLimit > gas ? gasLimit : gas,
        baseFeePerGas: withFees ? (o.baseFeePerGas ?? h.baseFeePerGas) : 0n,
        mixHash: mixHash ?? h.mixHash,
        difficulty: h.difficulty,
        excessBlobGas: h.excessBlobGas,
        parentBeaconBlockRoot: h.parentBeaconBlockRoot,
        parentHash: h.parentHash,
      },
    },
    { common, freeze: false },
  )
  overrideBlobBaseFee(context, o.blobBaseFee)
  return context
}

/**
 * The call blocks of one executor. Calls in a row at the same block with the same gas and no block
 * overrides run in the same context, so the last one made is kept for them: runTx and the EVM only
 * read the block, and building one (header validation included) costs more than many a call.
 */
export class CallBlocks {
  private last: { block: Block; withFees: boolean; gas: bigint; context: Block } | undefined

  constructor(private readonly common: Common) {}

  /** callBlock's answer, the one made last if it was made from the same arguments without overrides. */
  at(block: Block, withFees: boolean, gas: bigint, overrides?: BlockOverrides): Block {
    if (overrides !== undefined) return callBlock(this.common, block, withFees, gas, overrides)
    const last = this.last
    if (last !== undefined && last.block === block && last.withFees === withFees && last.gas === gas) return last.context
    const context = callBlock(this.common, block, withFees, gas)
    this.last = { block, withFees, gas, context }
    return context
  }
}

/** An unsigned transaction whose sender is whatever the caller says (the ethereumjs client's way). */
export function impersonatedTx(common: Common, req: CallRequest, gas: bigint): TypedTransaction {
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
