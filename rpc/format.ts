import type { Block } from '@ethereumjs/block'
import { Capability, type TypedTransaction } from '@ethereumjs/tx'
import { bigIntToHex, bytesToHex, createContractAddress, intToHex } from '@ethereumjs/util'
import type { StoredReceipt } from '../node/chain/receipts.ts'

/** Where a transaction sits in the chain (all null while it is pending). */
export interface TxPosition {
  block: Block
  index: number
}

export type JsonBlock = Record<string, unknown>
export type JsonTx = Record<string, unknown>

export interface JsonLog {
  address: string
  topics: string[]
  data: string
  blockNumber: string
  blockHash: string
  transactionHash: string
  transactionIndex: string
  logIndex: string
  removed: false
}

/** A block as geth prints it; `fullTxs` inlines transaction objects instead of hashes. */
export function formatBlock(block: Block, fullTxs: boolean): JsonBlock {
  const h = block.header
  return {
    number: bigIntToHex(h.number),
    hash: bytesToHex(block.hash()),
    parentHash: bytesToHex(h.parentHash),
    nonce: bytesToHex(h.nonce),
    mixHash: bytesToHex(h.mixHash),
    sha3Uncles: bytesToHex(h.uncleHash),
    logsBloom: bytesToHex(h.logsBloom),
    transactionsRoot: bytesToHex(h.transactionsTrie),
    stateRoot: bytesToHex(h.stateRoot),
    receiptsRoot: bytesToHex(h.receiptTrie),
    miner: h.coinbase.toString(),
    difficulty: bigIntToHex(h.difficulty),
    totalDifficulty: bigIntToHex(h.difficulty),
    extraData: bytesToHex(h.extraData),
    size: intToHex(block.serialize().length),
    gasLimit: bigIntToHex(h.gasLimit),
    gasUsed: bigIntToHex(h.gasUsed),
    timestamp: bigIntToHex(h.timestamp),
    baseFeePerGas: h.baseFeePerGas === undefined ? undefined : bigIntToHex(h.baseFeePerGas),
    withdrawalsRoot: h.withdrawalsRoot && bytesToHex(h.withdrawalsRoot),
    blobGasUsed: h.blobGasUsed === undefined ? undefined : bigIntToHex(h.blobGasUsed),
    excessBlobGas: h.excessBlobGas === undefined ? undefined : bigIntToHex(h.excessBlobGas),
    parentBeaconBlockRoot: h.parentBeaconBlockRoot && bytesToHex(h.parentBeaconBlockRoot),
    transactions: block.transactions.map((tx, index) => (fullTxs ? formatTx(tx, { block, index }) : bytesToHex(tx.hash()))),
    uncles: [],
    withdrawals: [],
  }
}

/** The price the sender paid per gas: the legacy price, or min(maxFee, baseFee + tip). */
export function effectiveGasPrice(tx: TypedTransaction, baseFee: bigint | undefined): bigint {
  if (!tx.supports(Capability.EIP1559FeeMarket)) return (tx as { gasPrice: bigint }).gasPrice
  const { maxFeePerGas, maxPriorityFeePerGas } = tx as unknown as { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
  if (baseFee === undefined) return maxFeePerGas
  const tipped = baseFee + maxPriorityFeePerGas
  return tipped < maxFeePerGas ? tipped : maxFeePerGas
}

/** A transaction as geth prints it; `position` is undefined for a pending one. */
export function formatTx(tx: TypedTransaction, position: TxPosition | undefined): JsonTx {
  const json = tx.toJSON() as Record<string, unknown>
  const fee = tx.supports(Capability.EIP1559FeeMarket)
  return {
    blockHash: position ? bytesToHex(position.block.hash()) : null,
    blockNumber: position ? bigIntToHex(position.block.header.number) : null,
    transactionIndex: position ? intToHex(position.index) : null,
    hash: bytesToHex(tx.hash()),
    from: tx.getSenderAddress().toString(),
    to: tx.to ? tx.to.toString() : null,
    nonce: bigIntToHex(tx.nonce),
    gas: bigIntToHex(tx.gasLimit),
    gasPrice: bigIntToHex(effectiveGasPrice(tx, position?.block.header.baseFeePerGas)),
    maxFeePerGas: fee ? json.maxFeePerGas : undefined,
    maxPriorityFeePerGas: fee ? json.maxPriorityFeePerGas : undefined,
    value: bigIntToHex(tx.value),
    input: bytesToHex(tx.data),
    type: intToHex(tx.type),
    accessList: tx.supports(Capability.EIP2930AccessLists) ? json.accessList : undefined,
    chainId: tx.supports(Capability.EIP155ReplayProtection) || tx.type > 0 ? bigIntToHex(tx.common.chainId()) : undefined,
    v: tx.v === undefined ? undefined : bigIntToHex(tx.v),
    r: tx.r === undefined ? undefined : bigIntToHex(tx.r),
    s: tx.s === undefined ? undefined : bigIntToHex(tx.s),
    yParity: tx.type > 0 && tx.v !== undefined ? bigIntToHex(tx.v) : undefined,
  }
}

/** The logs of receipt `index` in `block`, numbered from `firstLogIndex` (their position in the block). */
export function formatLogs(block: Block, index: number, receipt: StoredReceipt, firstLogIndex: number): JsonLog[] {
  const tx = block.transactions[index]
  return receipt.logs.map(([address, topics, data], i) => ({
    address: bytesToHex(address),
    topics: topics.map((t) => bytesToHex(t)),
    data: bytesToHex(data),
    blockNumber: bigIntToHex(block.header.number),
    blockHash: bytesToHex(block.hash()),
    transactionHash: bytesToHex(tx.hash()),
    transactionIndex: intToHex(index),
    logIndex: intToHex(firstLogIndex + i),
    removed: false,
  }))
}

/** Every receipt of a block as geth prints them (gasUsed and log indexes need the earlier receipts). */
export function formatBlockReceipts(block: Block, receipts: StoredReceipt[]): JsonTx[] {
  let logIndex = 0
  let previousGas = 0n
  return receipts.map((receipt, index) => {
    const json = formatReceipt(block, index, receipt, previousGas, logIndex)
    logIndex += receipt.logs.length
    previousGas = receipt.cumulativeGasUsed
    return json
  })
}

/** Receipt `index` of a block, without formatting the others. */
export function formatReceiptAt(block: Block, receipts: StoredReceipt[], index: number): JsonTx {
  let logIndex = 0
  for (let i = 0; i < index; i++) logIndex += receipts[i].logs.length
  const previousGas = index === 0 ? 0n : receipts[index - 1].cumulativeGasUsed
  return formatReceipt(block, index, receipts[index], previousGas, logIndex)
}

function formatReceipt(block: Block, index: number, receipt: StoredReceipt, previousGas: bigint, firstLogIndex: number): JsonTx {
  const tx = block.transactions[index]
  const from = tx.getSenderAddress()
  return {
    transactionHash: bytesToHex(tx.hash()),
    transactionIndex: intToHex(index),
    blockHash: bytesToHex(block.hash()),
    blockNumber: bigIntToHex(block.header.number),
    from: from.toString(),
    to: tx.to ? tx.to.toString() : null,
    cumulativeGasUsed: bigIntToHex(receipt.cumulativeGasUsed),
    gasUsed: bigIntToHex(receipt.cumulativeGasUsed - previousGas),
    contractAddress: tx.to ? null : createContractAddress(from, tx.nonce).toString(),
    logs: formatLogs(block, index, receipt, firstLogIndex),
    logsBloom: bytesToHex(receipt.logsBloom),
    type: intToHex(tx.type),
    status: intToHex(receipt.status),
    effectiveGasPrice: bigIntToHex(effectiveGasPrice(tx, block.header.baseFeePerGas)),
  }
}
