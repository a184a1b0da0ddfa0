import { createBlockFromRLP, type Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { bytesToHex, concatBytes, equalsBytes } from '@ethereumjs/util'
import { LRUCache } from 'lru-cache'
import { Bucket, MetaKey, bucketKey, metaKey, numberKey } from '../db/buckets.ts'
import type { KV, KVOp } from '../db/kv.ts'
import { NotCanonicalError } from './errors.ts'
import { ChainEvents } from './events.ts'
import { encodeSenders, restoreSenders } from './senders.ts'
import { decodeReceipt, decodeReceiptList, encodeReceiptList, type StoredReceipt } from './receipts.ts'

export interface TxLocation {
  blockHash: Uint8Array
  index: number
}

/** Blocks kept decoded in memory: the newest ones are what RPC reads most. */
const RECENT_BLOCKS = 512
/**
 * ...and the transactions in them. A decoded transaction holds about 3 KB (its own Common copy,
 * sender, hash), so under load 512 full blocks would keep every transaction of the last hours alive.
 */
const RECENT_BLOCK_TXS = 8_192
/** Decoded receipts kept in memory, by estimated size. */
const RECEIPT_CACHE_BYTES = 32 * 1024 * 1024

/** A block's receipts as the cache holds them, with the size they had encoded (what the cache counts). */
interface DecodedReceipts {
  receipts: StoredReceipt[]
  bytes: number
}

/**
 * The chain on disk: blocks, the canonical index, the tx-hash index, receipts and the head,
 * each block written with its state in one atomic batch (see `commit`).
 */
export class ChainStore {
  private head: Block | undefined
  /** The state root devnet edits left on the head, if any (MetaKey.headState). */
  private editedState: Uint8Array | undefined
  /**
   * Decoded blocks by hash. The caches load through `fetch`, so that concurrent reads of what is not in
   * memory wait for one decode: a batch of receipt requests for one block of 3,000 transfers decoded it
   * 16 times over.
   */
  private readonly recent: LRUCache<string, Block, Uint8Array>
  private readonly decodedReceipts = new LRUCache<string, DecodedReceipts, Uint8Array>({
    maxSize: RECEIPT_CACHE_BYTES,
    // Decoded, a receipt takes a few times its encoded size.
    sizeCalculation: (entry) => entry.bytes * 4 + 200,
    fetchMethod: (_key, _stale, { context }) => this.loadReceipts(context),
  })
  readonly events = new ChainEvents()

  constructor(
    private readonly kv: KV,
    private readonly common: Common,
    recentBlockTxs = RECENT_BLOCK_TXS,
  ) {
    // A block counts one more than its transactions (empty blocks are bounded by `max`); one larger than
    // the whole budget counts as the budget, so it is still kept, alone, and the head stays cheap to read.
    const size = (block: Block) => Math.min(1 + block.transactions.length, recentBlockTxs)
    this.recent = new LRUCache({ max: RECENT_BLOCKS, maxSize: recentBlockTxs, sizeCalculation: size, fetchMethod: (_key, _stale, { context }) => this.loadBlock(context) })
  }

  /** Loads the head pointer; undefined for an empty database. */
  async open(): Promise<Block | undefined> {
    const headHash = await this.kv.get(metaKey(MetaKey.head))
    this.head = headHash ? await this.blockByHash(headHash) : undefined
    this.editedState = await this.kv.get(metaKey(MetaKey.headState))
    return this.head
  }

  get headBlock(): Block {
    if (!this.head) throw new Error('chain has no head: genesis not written')
    return this.head
  }

  /** The state the next block builds on and "latest" reads: the head's, or what devnet edits made of it. */
  get headStateRoot(): Uint8Array {
    return this.editedState ?? this.headBlock.header.stateRoot
  }

  /** The state root reads at `block` see: for the head, `headStateRoot`. */
  stateRootOf(block: Block): Uint8Array {
    return this.head !== undefined && equalsBytes(block.hash(), this.head.hash()) ? this.headStateRoot : block.header.stateRoot
  }

  /**
   * Writes the trie nodes of a devnet state edit and its root as the head's state, in ONE batch:
   * no block is sealed, but "latest" and the next block see the edit, also after a restart.
   */
  async commitHeadState(root: Uint8Array, stateOps: KVOp[]): Promise<void> {
    await this.kv.batch([...stateOps, { type: 'put', key: metaKey(MetaKey.headState), value: root }])
    this.editedState = root
  }

  /**
   * Moves the head back to the canonical block `target`, with `stateRoot` as its state, in ONE batch:
   * the later blocks leave the canonical index and their transactions the tx index (so their receipts
   * read as unknown); their bodies stay, unreferenced. evm_revert and anvil_reset.
   */
  async rewindTo(target: Block, stateRoot: Uint8Array): Promise<void> {
    if (!(await this.isCanonical(target))) throw new NotCanonicalError(bytesToHex(target.hash()))
    const ops: KVOp[] = []
    for (let n = this.headBlock.header.number; n > target.header.number; n--) {
      const dropped = (await this.blockByNumber(n))!
      ops.push({ type: 'del', key: bucketKey(Bucket.canonical, numberKey(n)) })
      ops.push({ type: 'del', key: bucketKey(Bucket.logBlooms, numberKey(n)) })
      // The same block may be sealed again on another state: its recorded start must not outlive it.
      ops.push({ type: 'del', key: bucketKey(Bucket.preState, dropped.hash()) })
      for (const tx of dropped.transactions) ops.push({ type: 'del', key: bucketKey(Bucket.txIndex, tx.hash()) })
    }
    const edited = !equalsBytes(stateRoot, target.header.stateRoot)
    ops.push({ type: 'put', key: metaKey(MetaKey.head), value: target.hash() })
    ops.push(edited ? { type: 'put', key: metaKey(MetaKey.headState), value: stateRoot } : { type: 'del', key: metaKey(MetaKey.headState) })
    await this.kv.batch(ops)
    this.head = target
    this.editedState = edited ? stateRoot : undefined
  }

  async genesisHash(): Promise<Uint8Array | undefined> {
    return this.kv.get(metaKey(MetaKey.genesis))
  }

  /** The chain ID written with block 0; undefined for an empty database (or one written before it was kept). */
  async chainId(): Promise<bigint | undefined> {
    const value = await this.kv.get(metaKey(MetaKey.chainId))
    return value ? new DataView(value.buffer, value.byteOffset, value.byteLength).getBigUint64(0) : undefined
  }

  /** The state root `block` was built on: its parent's, unless devnet edits changed it in between. */
  async preStateRoot(block: Block): Promise<Uint8Array | undefined> {
    const edited = await this.kv.get(bucketKey(Bucket.preState, block.hash()))
    if (edited) return edited
    return (await this.blockByHash(block.header.parentHash))?.header.stateRoot
  }

  /**
   * Writes the block, its receipts, its tx index entries, the state nodes it produced, its commit
   * certificate (validator networks) and the new head in ONE batch: after a crash either all of it
   * is there or none.
   */
  async commit(block: Block, encodedReceipts: Uint8Array[], stateOps: KVOp[], certificate?: Uint8Array): Promise<void> {
    const hash = block.hash()
    const ops: KVOp[] = [
      ...stateOps,
      { type: 'put', key: bucketKey(Bucket.block, hash), value: block.serialize() },
      { type: 'put', key: bucketKey(Bucket.canonical, numberKey(block.header.number)), value: hash },
      { type: 'put', key: bucketKey(Bucket.receipts, hash), value: encodeReceiptList(encodedReceipts) },
      { type: 'put', key: bucketKey(Bucket.senders, hash), value: encodeSenders(block) },
      ...block.transactions.map((tx, i): KVOp => ({ type: 'put', key: bucketKey(Bucket.txIndex, tx.hash()), value: txLocationValue(hash, i) })),
      { type: 'put', key: metaKey(MetaKey.head), value: hash },
    ]
    if (certificate) ops.push({ type: 'put', key: bucketKey(Bucket.certificate, hash), value: certificate })
    if (hasLogs(block)) ops.push({ type: 'put', key: bucketKey(Bucket.logBlooms, numberKey(block.header.number)), value: concatBytes(hash, block.header.logsBloom) })
    // The block was built on the edited state: from now on its own root says where it ended, and
    // preState where it began (a trace replays it from there).
    if (this.editedState) {
      ops.push({ type: 'del', key: metaKey(MetaKey.headState) })
      ops.push({ type: 'put', key: bucketKey(Bucket.preState, hash), value: this.editedState })
    }
    if (block.header.number === 0n) {
      ops.push({ type: 'put', key: metaKey(MetaKey.genesis), value: hash })
      ops.push({ type: 'put', key: metaKey(MetaKey.chainId), value: numberKey(this.common.chainId()) })
    }
    await this.kv.batch(ops)
    this.remember(block)
    this.head = block
    this.editedState = undefined
    // Decoding the receipts is only worth it for a subscriber.
    if (this.events.listenerCount('head') > 0) this.events.emit('head', { block, receipts: encodedReceipts.map(decodeReceipt) })
  }

  /** The commit certificate stored with the block, as the consensus engine encoded it. */
  certificate(blockHash: Uint8Array): Promise<Uint8Array | undefined> {
    return this.kv.get(bucketKey(Bucket.certificate, blockHash))
  }

  blockByHash(hash: Uint8Array): Promise<Block | undefined> {
    return this.recent.fetch(bytesToHex(hash), { context: hash })
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

  /** The canonical blocks in [from, to] that have logs, in order, each with its logs bloom. */
  async *blocksWithLogs(from: bigint, to: bigint): AsyncIterable<{ hash: Uint8Array; bloom: Uint8Array }> {
    const range = { gte: bucketKey(Bucket.logBlooms, numberKey(from)), lt: bucketKey(Bucket.logBlooms, numberKey(to + 1n)) }
    for await (const value of this.kv.values(range)) yield { hash: value.subarray(0, 32), bloom: value.subarray(32) }
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

  /** A block's receipts, decoded; kept by block hash (a block's receipts never change), so log queries that come back are cheap. */
  async receipts(blockHash: Uint8Array): Promise<StoredReceipt[] | undefined> {
    return (await this.decodedReceipts.fetch(bytesToHex(blockHash), { context: blockHash }))?.receipts
  }

  private async loadBlock(hash: Uint8Array): Promise<Block | undefined> {
    const rlp = await this.kv.get(bucketKey(Bucket.block, hash))
    if (!rlp) return undefined
    // Unfrozen until each transaction has its stored sender (restoreSenders freezes them).
    const block = createBlockFromRLP(rlp, { common: this.common, setHardfork: false, freeze: false })
    restoreSenders(block, await this.kv.get(bucketKey(Bucket.senders, hash)))
    return block
  }

  private async loadReceipts(blockHash: Uint8Array): Promise<DecodedReceipts | undefined> {
    const value = await this.kv.get(bucketKey(Bucket.receipts, blockHash))
    return value ? { receipts: decodeReceiptList(value).map(decodeReceipt), bytes: value.length } : undefined
  }

  private remember(block: Block): void {
    this.recent.set(bytesToHex(block.hash()), block)
  }
}

/** A block has logs exactly when its bloom has a bit set. */
function hasLogs(block: Block): boolean {
  return block.header.logsBloom.some((byte) => byte !== 0)
}

function txLocationValue(blockHash: Uint8Array, index: number): Uint8Array {
  const out = new Uint8Array(36)
  out.set(blockHash, 0)
  new DataView(out.buffer).setUint32(32, index)
  return out
}
