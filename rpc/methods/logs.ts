import type { Block } from '@ethereumjs/block'
import { hexToBytes } from '@ethereumjs/util'
import type { RpcBackend } from '../backend.ts'
import { InvalidParamsError, LimitExceededError, ServerError } from '../errors.ts'
import type { JsonLog } from '../format.ts'
import { bloomMayMatch, logCriteria, matchingLogs, type LogCriteria } from '../logFilter.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { findBlock } from '../resolveBlock.ts'
import { filterOptions, type BlockTag, type FilterOptions } from '../validators.ts'

const LATEST: BlockTag = { kind: 'tag', tag: 'latest' }

export function logMethods(node: RpcBackend): MethodTable {
  return {
    eth_getLogs: defineMethod([filterOptions], ([filter]) => queryLogs(node, filter)),
  }
}

/**
 * eth_getLogs: the matching logs of one block (blockHash) or of a range of canonical blocks.
 * A range wider than --rpc.logs-block-range, or more logs than --rpc.logs-result-limit, is -32005
 * (0 = no limit), worded as the public endpoints word it so that clients that split queries recognise it.
 */
export async function queryLogs(node: RpcBackend, filter: FilterOptions): Promise<JsonLog[]> {
  const criteria = logCriteria(filter.addresses, filter.topics)
  const { logsBlockRange, logsResultLimit } = node.limits
  if (filter.blockHash) {
    const block = await node.chain.blockByHash(hexToBytes(filter.blockHash as `0x${string}`))
    if (!block) throw new ServerError('unknown block')
    return withinResultLimit(await logsOf(node, block, criteria), logsResultLimit)
  }
  const head = node.chain.headBlock.header.number
  const from = await blockNumberOf(node, filter.fromBlock ?? LATEST)
  const to = await blockNumberOf(node, filter.toBlock ?? LATEST)
  if (from > to) throw new InvalidParamsError('invalid block range params')
  // As geth (execution-apis eth_getLogs/filter-error-future-block-range): an error, not a range cut short.
  if (to > head) throw new InvalidParamsError('block range extends beyond current head block')
  if (logsBlockRange > 0 && to - from + 1n > BigInt(logsBlockRange)) throw new LimitExceededError(`exceed maximum block range: ${logsBlockRange}`)
  const logs: JsonLog[] = []
  // Only blocks with logs are indexed, and only those whose bloom matches are read.
  for await (const { hash, bloom } of node.chain.blocksWithLogs(from, to)) {
    if (!bloomMayMatch(bloom, criteria)) continue
    const block = await node.chain.blockByHash(hash)
    if (!block) continue
    logs.push(...matchingLogs(block, (await node.chain.receipts(hash)) ?? [], criteria))
    withinResultLimit(logs, logsResultLimit)
  }
  return logs
}

function withinResultLimit(logs: JsonLog[], limit: number): JsonLog[] {
  if (limit > 0 && logs.length > limit) throw new LimitExceededError(`query returned more than ${limit} results`)
  return logs
}

async function logsOf(node: RpcBackend, block: Block, criteria: LogCriteria): Promise<JsonLog[]> {
  if (!bloomMayMatch(block.header.logsBloom, criteria)) return []
  return matchingLogs(block, (await node.chain.receipts(block.hash())) ?? [], criteria)
}

async function blockNumberOf(node: RpcBackend, tag: BlockTag): Promise<bigint> {
  if (tag.kind === 'number') return tag.number
  return (await findBlock(node.chain, tag))!.header.number
}
