import { bytesToBigInt, bytesToHex } from '@ethereumjs/util'

const ERROR_STRING_SELECTOR = '0x08c379a0'
const PANIC_SELECTOR = '0x4e487b71'

/** The human reason in revert data: Error(string) text, or "panic: 0x.." for Panic(uint256); else undefined. */
export function decodeRevertReason(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined
  const selector = bytesToHex(data.subarray(0, 4))
  if (selector === ERROR_STRING_SELECTOR) return decodeErrorString(data.subarray(4))
  if (selector === PANIC_SELECTOR && data.length === 36) return `panic: 0x${bytesToBigInt(data.subarray(4)).toString(16)}`
  return undefined
}

function decodeErrorString(body: Uint8Array): string | undefined {
  if (body.length < 64) return undefined
  // Whole 256-bit words: a word with high bits set is out of range, not its low 64 bits.
  const offset = bytesToBigInt(body.subarray(0, 32))
  if (offset + 32n > BigInt(body.length)) return undefined
  const start = Number(offset) + 32
  const length = bytesToBigInt(body.subarray(start - 32, start))
  if (BigInt(start) + length > BigInt(body.length)) return undefined
  return new TextDecoder().decode(body.subarray(start, start + Number(length)))
}
