import type { Block } from '@ethereumjs/block'
import { hexToBytes } from '@ethereumjs/util'
import { Bloom } from '@ethereumjs/vm'
import type { RawLog, StoredReceipt } from '../node/chain/receipts.ts'
import { formatLogs, type JsonLog } from './format.ts'

/** The address and topic criteria of eth_getLogs / eth_subscribe("logs"), in bytes for matching. */
export interface LogCriteria {
  /** Empty: any address. */
  addresses: Uint8Array[]
  /** Per position: null is "any", else one of the alternatives. */
  topics: (Uint8Array[] | null)[]
}

export function logCriteria(addresses: string[], topics: (string[] | null)[]): LogCriteria {
  return {
    addresses: addresses.map((a) => hexToBytes(a as `0x${string}`)),
    topics: topics.map((alts) => alts && alts.map((t) => hexToBytes(t as `0x${string}`))),
  }
}

/** Whether the block's bloom filter allows a matching log (no false negatives). */
export function bloomMayMatch(logsBloom: Uint8Array, criteria: LogCriteria): boolean {
  const bloom = new Bloom(logsBloom)
  if (criteria.addresses.length > 0 && !criteria.addresses.some((a) => bloom.check(a))) return false
  return criteria.topics.every((alts) => alts === null || alts.some((t) => bloom.check(t)))
}

function logMatches([address, topics]: RawLog, criteria: LogCriteria): boolean {
  if (criteria.addresses.length > 0 && !criteria.addresses.some((a) => equal(a, address))) return false
  if (criteria.topics.length > topics.length) return false
  return criteria.topics.every((alts, i) => alts === null || alts.some((t) => equal(t, topics[i])))
}

/** The block's logs that match, formatted, in block order. */
export function matchingLogs(block: Block, receipts: StoredReceipt[], criteria: LogCriteria): JsonLog[] {
  const out: JsonLog[] = []
  let logIndex = 0
  receipts.forEach((receipt, txIndex) => {
    const formatted = formatLogs(block, txIndex, receipt, logIndex)
    receipt.logs.forEach((log, i) => {
      if (logMatches(log, criteria)) out.push(formatted[i])
    })
    logIndex += receipt.logs.length
  })
  return out
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0
}
