import { RLP } from '@ethereumjs/rlp'
import { bytesToBigInt } from '@ethereumjs/util'

/** A log as the receipt stores it: [address, topics, data]. */
export type RawLog = [Uint8Array, Uint8Array[], Uint8Array]

/** A receipt decoded from its consensus (EIP-2718 typed) encoding. */
export interface StoredReceipt {
  type: number
  status: 0 | 1
  cumulativeGasUsed: bigint
  logsBloom: Uint8Array
  logs: RawLog[]
}

/** Decodes `type || rlp([status, cumulativeGas, bloom, logs])` (legacy receipts have no type byte). */
export function decodeReceipt(encoded: Uint8Array): StoredReceipt {
  const typed = encoded[0] <= 0x7f
  const type = typed ? encoded[0] : 0
  const [status, cumulative, bloom, logs] = RLP.decode(typed ? encoded.subarray(1) : encoded) as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    RawLog[],
  ]
  return {
    type,
    status: status.length === 0 ? 0 : 1,
    cumulativeGasUsed: bytesToBigInt(cumulative),
    logsBloom: bloom,
    logs,
  }
}

export function encodeReceiptList(encodedReceipts: Uint8Array[]): Uint8Array {
  return RLP.encode(encodedReceipts)
}

export function decodeReceiptList(bytes: Uint8Array): Uint8Array[] {
  return RLP.decode(bytes) as Uint8Array[]
}
