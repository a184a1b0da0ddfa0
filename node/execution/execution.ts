import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex } from '@ethereumjs/util'
import type { VM } from '@ethereumjs/vm'
import { LRUCache } from 'lru-cache'
import type { EVMMockBlockchainInterface } from '@ethereumjs/evm'
import type { ChainStore } from '../chain/chainStore.ts'
import type { KVOp } from '../db/kv.ts'
import type { TrieStore } from '../db/trieStore.ts'
import { applyBlock } from './applyBlock.ts'
import { CallExecutor } from './call.ts'
import { createChainVM } from './chainVM.ts'
import { buildBlock, type BlockContext, type BuiltBlock } from './blockBuilder.ts'
import { createStateManager } from './state.ts'
import { validateState } from './validateBlock.ts'

/** Read-only state views kept, by state root: the head and the few blocks before it are what RPC reads. */
const STATE_VIEWS = 16

/** A block built on the head, with the state writes it made, ready for one atomic commit. */
export interface SealedBlock extends BuiltBlock {
  stateOps: KVOp[]
}

/**
 * The EVM side of the node: one VM whose state follows the chain head (blocks are built on it),
 * and read-only views of the state at any stored block for RPC.
 */
export class Execution {
  private readonly views = new LRUCache<string, MerkleStateManager>({ max: STATE_VIEWS })

  private constructor(
    readonly common: Common,
    readonly vm: VM,
    private readonly store: TrieStore,
    private readonly chain: ChainStore,
    /** eth_call and eth_estimateGas, on a VM of their own. */
    readonly calls: CallExecutor,
  ) {}

  static async create(common: Common, store: TrieStore, chain: ChainStore, opts: { rpcGasCap: bigint; evmTimeoutMs: number }): Promise<Execution> {
    const blockchain = blockHashes(chain)
    const stateManager = createStateManager(common, store, chain.headBlock.header.stateRoot)
    const vm = await createChainVM({ common, stateManager, blockchain })
    const calls = await CallExecutor.create(common, store, blockchain, opts.rpcGasCap)
    return new Execution(common, vm, store, chain, calls)
  }

  /** Runs `txs` on the head state and seals the next block; nothing is written until the chain commits it. */
  async buildOnHead(txs: TypedTransaction[], ctx: BlockContext): Promise<SealedBlock> {
    try {
      const built = await buildBlock(this.vm, this.chain.headBlock, txs, ctx)
      return { ...built, stateOps: this.store.drain() }
    } catch (err) {
      await this.resetToHead()
      throw err
    }
  }

  /**
   * Re-executes `block`, a child of the head, on the head state and checks its header against the
   * outcome (BlockImportError if it differs); nothing is written until the chain commits it.
   */
  async applyOnHead(block: Block): Promise<{ encodedReceipts: Uint8Array[]; stateOps: KVOp[] }> {
    try {
      const applied = await applyBlock(this.vm, block)
      validateState(block, applied)
      return { encodedReceipts: applied.encodedReceipts, stateOps: this.store.drain() }
    } catch (err) {
      await this.resetToHead()
      throw err
    }
  }

  /** Puts the VM's state back at the head's root, dropping anything a failed build left. */
  async resetToHead(): Promise<void> {
    this.store.discard()
    this.vm.stateManager.clearCaches()
    await this.vm.stateManager.setStateRoot(this.chain.headBlock.header.stateRoot)
  }

  /**
   * A read-only view of the state at `block`, apart from the head VM. Views are kept per state root
   * (the state under a root never changes), so the pool and RPC reading the head share one.
   */
  stateAt(block: Block): MerkleStateManager {
    const key = bytesToHex(block.header.stateRoot)
    let view = this.views.get(key)
    if (!view) {
      view = createStateManager(this.common, this.store, block.header.stateRoot, { caches: false })
      this.views.set(key, view)
    }
    return view
  }
}

/** BLOCKHASH reads canonical hashes from the chain store. */
function blockHashes(chain: ChainStore): EVMMockBlockchainInterface {
  const blockchain: EVMMockBlockchainInterface = {
    async getBlock(number: number) {
      const block = await chain.blockByNumber(BigInt(number))
      if (!block) throw new Error(`block ${number} not found`)
      return block
    },
    async putBlock() {},
    shallowCopy: () => blockchain,
  }
  return blockchain
}
