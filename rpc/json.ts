import { bytesToHex } from '@ethereumjs/util'

/**
 * JSON text of a handler's result. Handlers return JSON-ready values (hex strings);
 * a bigint or byte array that slips through becomes 0x hex instead of failing the call.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, hexReplacer) ?? 'null'
}

// Reads the holder because Buffer's toJSON has already run on `value`.
function hexReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key]
  if (typeof original === 'bigint') return original < 0n ? `-0x${(-original).toString(16)}` : `0x${original.toString(16)}`
  if (original instanceof Uint8Array) return bytesToHex(original)
  return value
}
