/** The bytes as a plain Uint8Array view: libp2p hands out Node Buffers, which compare and serialise differently. */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
