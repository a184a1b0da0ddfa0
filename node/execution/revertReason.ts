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
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength)
  const offset = Number(view.getBigUint64(24))
  if (offset + 32 > body.length) return undefined
  const length = Number(view.getBigUint64(offset + 24))
  if (offset + 32 + length > body.length) return undefined
  return new TextDecoder().decode(body.subarray(offset + 32, offset + 32 + length))
}
