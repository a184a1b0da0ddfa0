import { RLP } from '@ethereumjs/rlp'
import { bytesToBigInt } from '@ethereumjs/util'
import { Bucket, MetaKey, bucketKey, metaKey, numberKey } from '../db/buckets.ts'
import type { KV } from '../db/kv.ts'
import { MissingBlockError } from './errors.ts'

/**
 * Canonical blocks as the datadir stores them (their RLP, never decoded): what export writes. Reading
 * them needs no Common, so a datadir exports whatever genesis and chain ID it was made with.
 */
export class StoredBlocks {
  constructor(private readonly kv: KV) {}

  /** Number of the head block; undefined for a datadir without a chain. */
  async headNumber(): Promise<bigint | undefined> {
    const hash = await this.kv.get(metaKey(MetaKey.head))
    const head = hash && (await this.kv.get(bucketKey(Bucket.block, hash)))
    return head ? bytesToBigInt((RLP.decode(head) as Uint8Array[][])[0][8]) : undefined
  }

  /** The RLP of the canonical blocks first..last, in order (the caller keeps last <= head). */
  async *encodedRange(first: bigint, last: bigint): AsyncGenerator<Uint8Array> {
    for (let n = first; n <= last; n++) {
      const hash = await this.kv.get(bucketKey(Bucket.canonical, numberKey(n)))
      const block = hash && (await this.kv.get(bucketKey(Bucket.block, hash)))
      if (!block) throw new MissingBlockError(n)
      yield block
    }
  }
}
