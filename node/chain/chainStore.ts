import { createBlockFromRLP, type Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import { Bucket, MetaKey, bucketKey, metaKey, numberKey } from '../db/buckets.ts'
import type { KV, KVOp } from '../db/kv.ts'
import { ChainEvents } from './events.ts'
import { decodeReceipt, decodeReceiptList, encodeReceiptList, type StoredReceipt } from './receipts.ts'

export interface TxLocation {
  blockHash: Uint8Array
  index: number
}

/** Blocks kept decoded in memory: the newest ones are what RPC reads most. */
const RECENT_BLOCKS = 512

/**
 * The chain on disk: blocks, the canonical index, the tx-hash index, receipts and the head,
 * each block written with its state in one atomic batch (see `commit`).
 */
export class ChainStore {
  private head: Block | undefined
  private readonly recent = new Map<string, Block>()
  readonly events = new ChainEvents()

  constructor(
    private readonly kv: KV,
    private readonly common: Common,
  ) {}

  /** Loads the head pointer; undefined for an empty database. */
  async open(): Promise<Block | undefined> {
    const headHash = await this.kv.get(metaKey(MetaKey.head))
    this.head = headHash ? await this.blockByHash(headHash) : undefined
    return this.head
  }

  get headBlock(): Block {
    if (!this.head) throw new Error('chain has no head: genesis not written')
    return this.head
  }

  async genesisHash(): Promise<Uint8Array | undefined> {
    return this.kv.get(metaKey(MetaKey.genesis))
  }

  /** The chain ID written with block 0; undefined for an empty database (or one written before it was kept). */
  async chainId(): Promise<bigint | undefined> {
    const value = await this.kv.get(metaKey(MetaKey.chainId))
    return value ? new DataView(value.buffer, value.byteOffset, value.byteLength).getBigUint64(0) : undefined
  }

  /**
   * Writes the block, its receipts, its tx index entries, the state nodes it produced and the
   * new head in ONE batch: after a crash either all of it is there or none.
   */
  async commit(block: Block, encodedReceipts: Uint8Array[], stateOps: KVOp[]): Promise<void> {
    const hash = block.hash()
    const ops: KVOp[] = [
      ...stateOps,
      { type: 'put', key: bucketKey(Bucket.block, hash), value: block.serialize() },
      { type: 'put', key: bucketKey(Bucket.canonical, numberKey(block.header.number)), value: hash },
      { type: 'put', key: bucketKey(Bucket.receipts, hash), value: encodeReceiptList(encodedReceipts) },
      { type: 'put', key: bucketKey(Bucket.senders, hash), value: senderKeys(block) },
      ...block.transactions.map((tx, i): KVOp => ({ type: 'put', key: bucketKey(Bucket.txIndex, tx.hash()), value: txLocationValue(hash, i) })),
      { type: 'put', key: metaKey(MetaKey.head), value: hash },
    ]
    if (block.header.number === 0n) {
      ops.push({ type: 'put', key: metaKey(MetaKey.genesis), value: hash })
      ops.push({ type: 'put', key: metaKey(MetaKey.chainId), value: numberKey(this.common.chainId()) })
    }
    await this.kv.batch(ops)
    this.remember(block)
    this.head = block
    // Decoding the receipts is only worth it for a subscriber.
    if (this.events.listenerCount('head') > 0) this.events.emit('head', { block, receipts: encodedReceipts.map(decodeReceipt) })
  }

  async blockByHash(hash: Uint8Array): Promise<Block | undefined> {
    const cached = this.recent.get(bytesToHex(hash))
    if (cached) return cached
    const rlp = await this.kv.get(bucketKey(Bucket.block, hash))
    if (!rlp) return undefined
    const block = createBlockFromRLP(rlp, { common: this.common, setHardfork: false })
    await this.restoreSenders(block)
    this.remember(block)
    return block
  }

  async canonicalHash(number: bigint): Promise<Uint8Array | undefined> {
    if (this.head && number > this.head.header.number) return undefined
    if (this.head && number === this.head.header.number) return this.head.hash()
    return this.kv.get(bucketKey(Bucket.canonical, numberKey(number)))
  }

  async blockByNumber(number: bigint): Promise<Block | undefined> {
    const hash = await this.canonicalHash(number)
    return hash ? this.blockByHash(hash) : undefined
  }

  async isCanonical(block: Block): Promise<boolean> {
    const hash = await this.canonicalHash(block.header.number)
    return hash !== undefined && equalsBytes(hash, block.hash())
  }

  async txLocation(txHash: Uint8Array): Promise<TxLocation | undefined> {
    const value = await this.kv.get(bucketKey(Bucket.txIndex, txHash))
    if (!value) return undefined
    return { blockHash: value.subarray(0, 32), index: new DataView(value.buffer, value.byteOffset + 32, 4).getUint32(0) }
  }

  async encodedReceipts(blockHash: Uint8Array): Promise<Uint8Array[] | undefined> {
    const value = await this.kv.get(bucketKey(Bucket.receipts, blockHash))
    return value ? decodeReceiptList(value) : undefined
  }

  async receipts(blockHash: Uint8Array): Promise<StoredReceipt[] | undefined> {
    return (await this.encodedReceipts(blockHash))?.map(decodeReceipt)
  }

  /** Puts the stored sender keys back into the decoded transactions, so RPC never recovers them again. */
  private async restoreSenders(block: Block): Promise<void> {
    const keys = await this.kv.get(bucketKey(Bucket.senders, block.hash()))
    if (!keys || keys.length !== block.transactions.length * 64) return
    block.transactions.forEach((tx, i) => (tx.cache.senderPubKey = keys.subarray(i * 64, (i + 1) * 64)))
  }

  private remember(block: Block): void {
    const key = bytesToHex(block.hash())
    this.recent.delete(key)
    this.recent.set(key, block)
    if (this.recent.size > RECENT_BLOCKS) this.recent.delete(this.recent.keys().next().value!)
  }
}

/** The 64-byte public keys of the block's senders (already recovered when the block was built or checked). */
function senderKeys(block: Block): Uint8Array {
  const out = new Uint8Array(block.transactions.length * 64)
  block.transactions.forEach((tx, i) => out.set(tx.getSenderPublicKey(), i * 64))
  return out
}

function txLocationValue(blockHash: Uint8Array, index: number): Uint8Array {
  const out = new Uint8Array(36)
  out.set(blockHash, 0)
  new DataView(out.buffer).setUint32(32, index)
  return out
}
