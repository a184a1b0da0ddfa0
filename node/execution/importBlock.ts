import { createBlockFromRLP, type Block } from '@ethereumjs/block'
import { restoreSenders } from '../chain/senders.ts'
import type { TypedTransaction } from '@ethereumjs/tx'
import type { Common } from '@ethereumjs/common'
import { RLP } from '@ethereumjs/rlp'
import { bytesToBigInt, bytesToHex, equalsBytes } from '@ethereumjs/util'
import type { ChainStore } from '../chain/chainStore.ts'
import type { KVOp } from '../db/kv.ts'
import { SerialQueue } from '../util/serialQueue.ts'
import { BlockImportError } from './errors.ts'
import type { BlockContext } from './blockBuilder.ts'
import type { Execution } from './execution.ts'
import { validateBody, validateHeader } from './validateBlock.ts'

/** `imported`: checked, re-executed and committed as the new head; `known`: already on the chain, left as it is. */
export type ImportOutcome = 'imported' | 'known'

/**
 * Imports blocks from outside (a chain file; later, peers) onto the head: each is checked against its
 * parent and its own body, re-executed on the parent's state, checked against that outcome, and
 * committed in one batch; a block that fails any check is refused with a BlockImportError and leaves
 * the chain and the head VM as they were. Imports run one at a time; nothing else may build on the
 * same Execution's head VM meanwhile (a node imports or seals, never both at once).
 */
export class BlockImporter {
  private readonly queue = new SerialQueue()

  constructor(
    private readonly chain: ChainStore,
    private readonly execution: Execution,
  ) {}

  /** `certificate`: the block's commit certificate, already verified by the caller, stored with it. */
  importBlock(block: Block, certificate?: Uint8Array): Promise<ImportOutcome> {
    return this.queue.run(() => this.importOnHead(block, certificate))
  }

  /**
   * Checks a proposed child of the head as import would, executing it, and keeps nothing: the
   * consensus engine's verdict on a proposal. Throws BlockImportError naming the failed check.
   */
  verify(block: Block): Promise<void> {
    return this.queue.run(async () => {
      await this.executeOnHead(block)
      await this.execution.resetToHead()
    })
  }

  /** Builds a child of the head from `txs` (a proposal) and keeps nothing: it is committed only once decided. */
  build(txs: TypedTransaction[], ctx: BlockContext): Promise<Block> {
    return this.queue.run(async () => {
      const { block } = await this.execution.buildOnHead(txs, ctx)
      await this.execution.resetToHead()
      return block
    })
  }

  private async importOnHead(block: Block, certificate: Uint8Array | undefined): Promise<ImportOutcome> {
    const canonical = await this.chain.canonicalHash(block.header.number)
    if (canonical && equalsBytes(canonical, block.hash())) return 'known'
    const { encodedReceipts, stateOps } = await this.executeOnHead(block, canonical)
    try {
      await this.chain.commit(block, encodedReceipts, stateOps, certificate)
    } catch (err) {
      await this.execution.resetToHead()
      throw err
    }
    return 'imported'
  }

  /** The block checked against the head and its own body, then re-executed on the head state (left applied). */
  private async executeOnHead(block: Block, canonical?: Uint8Array): Promise<{ encodedReceipts: Uint8Array[]; stateOps: KVOp[] }> {
    const parent = this.chain.headBlock
    checkParent(block, parent, canonical ?? (await this.chain.canonicalHash(block.header.number)))
    validateHeader(block, parent)
    await validateBody(block, parent)
    return this.execution.applyOnHead(block)
  }
}

/** The block must extend the head: the chain keeps one line of blocks and does not reorganise. */
function checkParent(block: Block, head: Block, canonical: Uint8Array | undefined): void {
  const { number } = block.header
  if (number === 0n) throw new BlockImportError(number, 'GENESIS_MISMATCH', `genesis ${bytesToHex(block.hash())} is not this chain's ${bytesToHex(canonical!)}`)
  if (canonical) throw new BlockImportError(number, 'CONFLICTS_WITH_CHAIN', `${bytesToHex(block.hash())} conflicts with the chain's block ${bytesToHex(canonical)} at this number (reorganisations are not supported)`)
  if (!equalsBytes(block.header.parentHash, head.hash())) {
    throw new BlockImportError(number, 'UNKNOWN_PARENT', `unknown parent ${bytesToHex(block.header.parentHash)}: the chain's head is block ${head.header.number} ${bytesToHex(head.hash())}`)
  }
}

/**
 * Decodes a block as it travels (RLP of header, transactions, uncles, withdrawals). The proof-of-stake
 * header format is left to validateHeader, which names the check; a block that does not decode at all
 * is MALFORMED, with its number if its header can still be read.
 */
export function decodeBlock(bytes: Uint8Array, common: Common, position: string): Block {
  try {
    const block = createBlockFromRLP(bytes, { common, setHardfork: false, skipConsensusFormatValidation: true, freeze: false })
    // ethereumjs passes over extra list elements; geth's decoding refuses them, and so does this.
    if (!equalsBytes(block.serialize(), bytes)) throw new Error('not the canonical encoding of a block')
    // A block travels without its senders: each is recovered once, when first asked for.
    restoreSenders(block, undefined)
    return block
  } catch (err) {
    const number = readableNumber(bytes)
    const where = number === undefined ? `${position} is not a block` : `malformed (${position})`
    throw new BlockImportError(number, 'MALFORMED', `${where}: ${(err as Error).message}`)
  }
}

/** The number in the header of an RLP block, if that much of it decodes. */
function readableNumber(bytes: Uint8Array): bigint | undefined {
  try {
    const number = (RLP.decode(bytes) as Uint8Array[][])[0][8]
    return number instanceof Uint8Array ? bytesToBigInt(number) : undefined
  } catch {
    return undefined
  }
}
