import { bigIntToHex, bytesToHex, intToHex } from '@ethereumjs/util'
import type { SimulatedBlock, SimulatedCall } from '../../node/execution/simulate.ts'
import { decodeRevertReason } from '../../node/execution/revertReason.ts'
import type { RpcBackend } from '../backend.ts'
import { formatBlock, type JsonBlock, type JsonLog } from '../format.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { simulationOptions } from '../overrideValidators.ts'
import { requireBlock } from '../resolveBlock.ts'
import { blockRef, optional, type BlockRef } from '../validators.ts'
import { asRpcErrors } from './executionErrors.ts'

const LATEST: BlockRef = { kind: 'tag', tag: 'latest' }
/** geth's codes of a failed call inside a simulated block. */
const REVERTED_CODE = -32000
const VM_ERROR_CODE = -32015

/** eth_simulateV1 (execution-apis), as geth serves it. */
export function simulateMethods(node: RpcBackend): MethodTable {
  return {
    eth_simulateV1: defineMethod([simulationOptions, optional(blockRef, LATEST)], async ([opts, ref]) => {
      const base = await requireBlock(node.chain, ref)
      const blocks = await asRpcErrors(() => node.execution.calls.simulate(base, opts))
      return blocks.map((simulated) => formatSimulatedBlock(simulated, opts.returnFullTransactions))
    }),
  }
}

/** The block as eth_getBlockByNumber prints it, plus `calls`, one result per call. */
function formatSimulatedBlock({ block, calls }: SimulatedBlock, fullTxs: boolean): JsonBlock {
  const ctx = logContext(block)
  let logIndex = 0
  const results = calls.map((call, index) => {
    const json = formatCall(call, simulatedLogs(ctx, index, call, logIndex))
    logIndex += call.logs.length
    return json
  })
  return { ...formatBlock(block, fullTxs), calls: results }
}

interface LogContext {
  blockNumber: string
  blockHash: string
  transactionHashes: string[]
}

function logContext(block: SimulatedBlock['block']): LogContext {
  return {
    blockNumber: bigIntToHex(block.header.number),
    blockHash: bytesToHex(block.hash()),
    transactionHashes: block.transactions.map((tx) => bytesToHex(tx.hash())),
  }
}

function simulatedLogs(ctx: LogContext, index: number, call: SimulatedCall, firstLogIndex: number): JsonLog[] {
  return call.logs.map(([address, topics, data], i) => ({
    address: bytesToHex(address),
    topics: topics.map((t) => bytesToHex(t)),
    data: bytesToHex(data),
    blockNumber: ctx.blockNumber,
    blockHash: ctx.blockHash,
    transactionHash: ctx.transactionHashes[index],
    transactionIndex: intToHex(index),
    logIndex: intToHex(firstLogIndex + i),
    removed: false,
  }))
}

function formatCall(call: SimulatedCall, logs: JsonLog[]) {
  const json = { returnData: bytesToHex(call.returnData), logs, gasUsed: bigIntToHex(call.gasUsed), status: call.error ? '0x0' : '0x1' }
  if (!call.error) return json
  if (call.error.kind === 'halted') return { ...json, error: { code: VM_ERROR_CODE, message: call.error.message } }
  const reason = decodeRevertReason(call.error.data)
  const message = reason === undefined ? 'execution reverted' : `execution reverted: ${reason}`
  return { ...json, error: { code: REVERTED_CODE, message, data: bytesToHex(call.error.data) } }
}
