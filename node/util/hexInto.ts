/**
 * Decodes the hex digits `hex` (no 0x) into `out` from `at` with Node's decoder; whether every pair was
 * hex. The decoder stops at the first pair that is not, so a short count is the check, in the same pass.
 */
export function decodeHexInto(out: Uint8Array, at: number, hex: string): boolean {
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength).write(hex, at, 'hex') === hex.length >>> 1
}
