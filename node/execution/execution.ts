import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, type Address } from '@ethereumjs/util'
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
import { proveAccount, type AccountProof } from './proof.ts'
import { createStateManager, type ChainStateManager } from './state.ts'
import { validateState } from './validateBlock.ts'
import { dumpState, type AccountRecord } from './stateDump.ts'
import { TraceExecutor } from './tracing/traceExecutor.ts'

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
    /** debug_trace*, on a VM of their own. */
    readonly traces: TraceExecutor,
  ) {}

  static async create(common: Common, store: TrieStore, chain: ChainStore, opts: { rpcGasCap: bigint; evmTimeoutMs: number }): Promise<Execution> {
    const blockchain = blockHashes(chain)
    // Blocks flush their state only once every checkpoint is closed: the caches alone can undo a failed tx.
    const stateManager = createStateManager(common, store, chain.headStateRoot, { trieCheckpoints: false })
    const vm = await createChainVM({ common, stateManager, blockchain })
    const calls = await CallExecutor.create(common, store, blockchain, { gasCap: opts.rpcGasCap, timeoutMs: opts.evmTimeoutMs }, (block) => chain.stateRootOf(block))
    const traces = await TraceExecutor.create(common, store, blockchain, chain, opts.rpcGasCap)
    return new Execution(common, vm, store, chain, calls, traces)
  }

  /** Runs `txs` on the head state and seals the next block; nothing is written until the chain commits it. */
  async buildOnHead(txs: TypedTransaction[], ctx: BlockContext): Promise<SealedBlock> {
    try {
      const built = await buildBlock(this.vm, this.chain.headBlock, txs, ctx)
      return { ...built, stateOps: this.store.drain(built.block.header.stateRoot) }
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
      return { encodedReceipts: applied.encodedReceipts, stateOps: this.store.drain(block.header.stateRoot) }
    } catch (err) {
      await this.resetToHead()
      throw err
    }
  }

  /** Puts the VM's state back at the head's root, dropping anything a failed build or edit left. */
  async resetToHead(): Promise<void> {
    const state = this.vm.stateManager as ChainStateManager
    // A transaction that threw inside the EVM may have left checkpoints open; setStateRoot refuses those.
    await state.revertTo(0)
    this.store.discard()
    state.clearCaches()
    await state.setStateRoot(this.chain.headStateRoot)
  }

  /**
   * Applies a devnet edit (anvil_setBalance, anvil_loadState, ...) to the head state without
   * sealing a block: its trie nodes and the new root are committed as the head's state in one
   * batch. The caller runs it between blocks (Miner.betweenBlocks). Resolves to the new root.
   */
  async editHeadState(edit: (state: MerkleStateManager) => Promise<void>): Promise<Uint8Array> {
    const state = this.vm.stateManager as MerkleStateManager
    try {
      await edit(state)
      const root = await state.getStateRoot()
      await this.chain.commitHeadState(root, this.store.drain(root))
      return root
    } catch (err) {
      await this.resetToHead()
      throw err
    }
  }

  /** Every account of the head state (for the head, its possibly edited state), with code and storage. */
  dumpHeadState(): Promise<AccountRecord[]> {
    return dumpState(this.common, this.store, this.chain.headStateRoot, this.stateAt(this.chain.headBlock))
  }

  /**
   * A read-only view of the state at `block` (for the head, its possibly edited state), apart from
   * the head VM. Views are kept per state root (the state under a root never changes), so the pool
   * and RPC reading the head share one.
   */
  stateAt(block: Block): MerkleStateManager {
    const root = this.chain.stateRootOf(block)
    const key = bytesToHex(root)
    let view = this.views.get(key)
    if (!view) {
      view = createStateManager(this.common, this.store, root, { caches: false })
      this.views.set(key, view)
    }
    return view
  }

  /** EIP-1186: `address` and its storage `slots` proven against `block`'s state root. */
  proofAt(block: Block, address: Address, slots: Uint8Array[]): Promise<AccountProof> {
    return proveAccount(this.store, block.header.stateRoot, address, slots)
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
