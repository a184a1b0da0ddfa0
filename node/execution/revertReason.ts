import { bytesToBigInt, bytesToHex } from '@ethereumjs/util'

const ERROR_STRING_SELECTOR = '0x08c379a0'
const PANIC_SELECTOR = '0x4e487b71'

/** Solidity's Panic(uint256) codes, worded as geth words them (accounts/abi). */
const PANIC_REASONS: Record<string, string> = {
  '0': 'generic panic',
  '1': 'assert(false)',
  '17': 'arithmetic underflow or overflow',
  '18': 'division or modulo by zero',
  '33': 'enum overflow',
  '34': 'invalid encoded storage byte array accessed',
  '49': 'out-of-bounds array access; popping on an empty array',
  '50': 'out-of-bounds access of an array or bytesN',
  '65': 'out of memory',
  '81': 'uninitialized function',
}

/** The human reason in revert data: Error(string) text or the Panic(uint256) reason; else undefined. */
export function decodeRevertReason(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined
  const selector = bytesToHex(data.subarray(0, 4))
  if (selector === ERROR_STRING_SELECTOR) return decodeErrorString(data.subarray(4))
  if (selector === PANIC_SELECTOR && data.length === 36) return panicReason(bytesToBigInt(data.subarray(4)))
  return undefined
}

function panicReason(code: bigint): string {
  return PANIC_REASONS[code.toString()] ?? `unknown panic code: 0x${code.toString(16)}`
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
