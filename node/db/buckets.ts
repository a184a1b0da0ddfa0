import { decodeHexInto } from '../util/hexInto.ts'

/**
 * Every key in the database starts with one bucket byte; this table is the whole key space.
 *
 * | bucket    | key after the prefix                 | value                                        |
 * |-----------|--------------------------------------|----------------------------------------------|
 * | block     | block hash (32)                      | RLP of the whole block (header, txs, ...)    |
 * | canonical | block number (8, big-endian)         | hash of the canonical block at that number   |
 * | txIndex   | tx hash (32)                         | block hash (32) ++ tx index (4, big-endian)  |
 * | receipts  | block hash (32)                      | RLP list of the block's consensus-encoded receipts (logs live here) |
 * | meta      | a name (ASCII), see `MetaKey`        | see `MetaKey`                                |
 * | senders   | block hash (32)                      | the txs' sender addresses, 20 bytes each, in block order |
 * | state     | trie node key (hash, or code prefix + code hash) | trie node / contract code        |
 * | preimage  | keccak256 of a state trie key (32)   | the key: an address (20) or a storage slot (32) |
 * | logBlooms | block number (8, big-endian)         | block hash (32) ++ logs bloom (256), only for canonical blocks with logs |
 * | preState  | block hash (32)                      | the state root the block was built on, only where devnet edits made it differ from the parent's root |
 * | certificate | block hash (32)                    | the block's commit certificate (node/consensus), only on validator networks |
 *
 * Senders are kept as addresses, not public keys: a transaction from an impersonated account
 * (anvil_impersonateAccount) has a placeholder signature and no key to recover.
 * logBlooms lets eth_getLogs walk a range of blocks in one ordered scan that skips every block
 * without logs, reading no block until its bloom matches.
 * A certificate (a quorum of validators' precommit signatures over the block's hash) is what makes
 * a block final; it is committed in the block's own batch and served with the block to peers that sync.
 * Preimages are what the hashed state tries cannot give back: anvil_dumpState walks the tries
 * and names each account and slot through them (geth keeps the same table).
 */
export const Bucket = {
  block: 0x01,
  canonical: 0x02,
  txIndex: 0x03,
  receipts: 0x04,
  meta: 0x05,
  state: 0x06,
  senders: 0x07,
  preimage: 0x08,
  preState: 0x09,
  logBlooms: 0x0a,
  certificate: 0x0b,
} as const

export type Bucket = (typeof Bucket)[keyof typeof Bucket]

/** Keys of the meta bucket. */
export const MetaKey = {
  /** Hash of the head block: written in the same batch as the block it names. */
  head: 'head',
  /** Hash of block 0: a datadir refuses to open with a different genesis. */
  genesis: 'genesis',
  /**
   * Chain ID of the chain (8 bytes, big-endian), written with block 0: it is not in block 0's hash,
   * and the stored blocks' transactions only decode under their own chain ID.
   */
  chainId: 'chainId',
  /**
   * State root (32) the next block builds on and "latest" reads see, when devnet edits
   * (anvil_setBalance, anvil_loadState, ...) moved it away from the head header's stateRoot.
   * Written with the edit's trie nodes in one batch; removed in the batch of the next block.
   */
  headState: 'headState',
} as const

export function bucketKey(bucket: Bucket, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1)
  out[0] = bucket
  out.set(key, 1)
  return out
}

/** bucketKey of the bytes `hex` (lower-case, without 0x) spells, decoded straight into the key. */
export function bucketKeyFromHex(bucket: Bucket, hex: string): Uint8Array {
  const out = new Uint8Array((hex.length >>> 1) + 1)
  out[0] = bucket
  if (hex.length % 2 !== 0 || !decodeHexInto(out, 1, hex)) throw new TypeError(`not a hex key: ${hex}`)
  return out
}

/** The [gte, lt) range that holds exactly the bucket's keys. */
export function bucketRange(bucket: Bucket): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: Uint8Array.of(bucket), lt: Uint8Array.of(bucket + 1) }
}

export function metaKey(name: string): Uint8Array {
  return bucketKey(Bucket.meta, new TextEncoder().encode(name))
}

export function numberKey(n: bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, n)
  return out
}
