import { createBlock, type Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { createTx, type AccessList, type TypedTransaction } from '@ethereumjs/tx'
import { Address, createZeroAddress, hexToBytes } from '@ethereumjs/util'
import type { CallRequest } from '../call.ts'

/**
 * debug_traceCall's transaction: unsigned, from whoever the request names (the zero address if none),
 * with geth's call defaults; the same shape CallExecutor gives eth_call.
 */
export function callTx(common: Common, req: CallRequest, gas: bigint): TypedTransaction {
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

/** `block`'s context for a call: a zero base fee when the call names no price (geth's NoBaseFee), room for its gas. */
export function callBlock(common: Common, block: Block, req: CallRequest, gas: bigint): Block {
  const h = block.header
  const priced = !!(req.gasPrice || req.maxFeePerGas || req.maxPriorityFeePerGas)
  return createBlock(
    {
      header: {
        number: h.number,
        timestamp: h.timestamp,
        coinbase: h.coinbase,
        gasLimit: h.gasLimit > gas ? h.gasLimit : gas,
        baseFeePerGas: priced ? h.baseFeePerGas : 0n,
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
