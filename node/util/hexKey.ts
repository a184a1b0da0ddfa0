/**
 * `bytes` as lower-case hex without 0x, as one flat string, for keys that caches keep. The usual
 * helper (@noble's bytesToHex) appends two characters per byte, and V8 keeps such a string as a
 * rope of one piece per byte: about 1 KB for a 32-byte hash, which the caches' byte budgets never
 * counted (most of the node's heap after 100,000 transactions).
 */
export function hexKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}
