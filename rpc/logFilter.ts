import type { Block } from '@ethereumjs/block'
import { hexToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { RawLog, StoredReceipt } from '../node/chain/receipts.ts'
import { formatLogs, type JsonLog } from './format.ts'

/** The three bits (byte index, mask) a value sets in a 2048-bit logs bloom (yellow paper M3:2048). */
type BloomBits = [number, number][]

/** The address and topic criteria of eth_getLogs / eth_subscribe("logs"), in bytes for matching. */
export interface LogCriteria {
  /** Empty: any address. */
  addresses: Uint8Array[]
  /** Per position: null is "any", else one of the alternatives. */
  topics: (Uint8Array[] | null)[]
  /** The bloom bits of each address and topic, hashed once per query rather than once per block. */
  addressBits: BloomBits[]
  topicBits: (BloomBits[] | null)[]
}

export function logCriteria(addresses: string[], topics: (string[] | null)[]): LogCriteria {
  const addressBytes = addresses.map((a) => hexToBytes(a as `0x${string}`))
  const topicBytes = topics.map((alts) => alts && alts.map((t) => hexToBytes(t as `0x${string}`)))
  return {
    addresses: addressBytes,
    topics: topicBytes,
    addressBits: addressBytes.map(bloomBits),
    topicBits: topicBytes.map((alts) => alts && alts.map(bloomBits)),
  }
}

function bloomBits(value: Uint8Array): BloomBits {
  const hash = keccak_256(value)
  return [0, 2, 4].map((i) => {
    const bit = ((hash[i] << 8) | hash[i + 1]) & 2047
    return [255 - (bit >> 3), 1 << (bit & 7)]
  })
}

const inBloom = (bloom: Uint8Array, bits: BloomBits) => bits.every(([byte, mask]) => (bloom[byte] & mask) !== 0)

/** Whether the block's bloom filter allows a matching log (no false negatives). */
export function bloomMayMatch(logsBloom: Uint8Array, criteria: LogCriteria): boolean {
  if (criteria.addressBits.length > 0 && !criteria.addressBits.some((bits) => inBloom(logsBloom, bits))) return false
  return criteria.topicBits.every((alts) => alts === null || alts.some((bits) => inBloom(logsBloom, bits)))
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
