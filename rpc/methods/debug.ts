import type { Block } from '@ethereumjs/block'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { BlockNotFoundError, GenesisNotTraceableError, TraceTimeoutError, TraceTooLargeError, UnknownTracerError } from '../../node/execution/tracing/errors.ts'
import { tracerSpec, type TraceConfig } from '../../node/execution/tracing/tracers.ts'
import type { RpcBackend } from '../backend.ts'
import { ServerError } from '../errors.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { findBlock, requireBlock } from '../resolveBlock.ts'
import { traceCallConfig, traceConfig } from '../traceOptions.ts'
import { blockRef, blockTag, callRequest, hash, optional } from '../validators.ts'
import { asRpcErrors } from './executionErrors.ts'

/** The debug namespace: geth's tracers over stored transactions, blocks and calls, and the raw encodings. */
export function debugMethods(node: RpcBackend): MethodTable {
  const { chain } = node
  const traces = () => node.execution.traces
  const traceBlock = (block: Block | undefined, missing: string, config: TraceConfig | undefined) => {
    if (!block) throw new ServerError(`block ${missing} not found`)
    return asTraceErrors(() => traces().traceBlock(block, tracerSpec(config)))
  }
  return {
    debug_traceTransaction: defineMethod([hash, optional(traceConfig)], async ([txHash, config]) => {
      const location = await chain.txLocation(hexToBytes(txHash as `0x${string}`))
      const block = location && (await chain.blockByHash(location.blockHash))
      if (!location || !block) throw new ServerError('transaction not found')
      return asTraceErrors(() => traces().traceTransaction(block, location.index, tracerSpec(config)))
    }),
    debug_traceCall: defineMethod([callRequest, blockRef, optional(traceCallConfig)], async ([req, ref, options]) => {
      const block = await requireBlock(chain, ref)
      return asTraceErrors(() => traces().traceCall(req, block, tracerSpec(options?.config), options?.overrides))
    }),
    debug_traceBlockByNumber: defineMethod([blockTag, optional(traceConfig)], async ([tag, config]) => {
      const block = await findBlock(chain, tag)
      return traceBlock(block, tag.kind === 'number' ? `#${tag.number}` : tag.tag, config)
    }),
    debug_traceBlockByHash: defineMethod([hash, optional(traceConfig)], async ([blockHash, config]) => {
      return traceBlock(await chain.blockByHash(hexToBytes(blockHash as `0x${string}`)), blockHash, config)
    }),
    debug_getRawHeader: defineMethod([blockRef], async ([ref]) => bytesToHex((await requireBlock(chain, ref)).header.serialize())),
    debug_getRawBlock: defineMethod([blockRef], async ([ref]) => bytesToHex((await requireBlock(chain, ref)).serialize())),
    debug_getRawReceipts: defineMethod([blockRef], async ([ref]) => {
      const block = await requireBlock(chain, ref)
      return ((await chain.encodedReceipts(block.hash())) ?? []).map((r) => bytesToHex(r))
    }),
    debug_getRawTransaction: defineMethod([hash], async ([txHash]) => {
      const location = await chain.txLocation(hexToBytes(txHash as `0x${string}`))
      const block = location && (await chain.blockByHash(location.blockHash))
      const tx = block ? block.transactions[location!.index] : node.txpool.get(txHash as `0x${string}`)
      return tx ? bytesToHex(tx.serialize()) : null
    }),
  }
}

/** Tracing's typed errors as geth answers them (-32000 with geth's text); execution's as eth_call's. */
async function asTraceErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await asRpcErrors(run)
  } catch (err) {
    if (isTraceError(err)) {
      throw new ServerError(err.message)
    }
    throw err
  }
}

/** The errors a trace answers with their own text. */
function isTraceError(err: unknown): err is Error {
  return [UnknownTracerError, TraceTimeoutError, TraceTooLargeError, GenesisNotTraceableError, BlockNotFoundError].some((type) => err instanceof type)
}
