import { Block, createBlock, createBlockHeader, type HeaderData } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { KECCAK256_RLP } from '@ethereumjs/util'
import type { RunTxResult, VM } from '@ethereumjs/vm'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { ChainStateManager, underOneCheckpoint } from './state.ts'
import { blockOutputs } from './blockOutputs.ts'
import { runBlockTx } from './plainTransfer.ts'
import { transactionsRoot } from './orderedTrie.ts'
import { TrieFaultError } from './trieNodes.ts'

export interface BlockContext {
  timestamp: bigint
  coinbase: Uint8Array
  extraData?: Uint8Array
}

export interface RejectedTx {
  tx: TypedTransaction
  error: Error
}

export interface BuiltBlock {
  block: Block
  encodedReceipts: Uint8Array[]
  results: RunTxResult[]
  /**
   * Transactions invalid against this state. Those that merely did not fit in the remaining gas
   * (and their senders' later ones) are in neither list: they wait for the next block.
   */
  rejected: RejectedTx[]
}

/** Header fields of the child of `parent` that are known before any transaction runs. */
function childHeader(vm: VM, parent: Block, ctx: BlockContext): HeaderData {
  return {
    parentHash: parent.hash(),
    number: parent.header.number + 1n,
    timestamp: ctx.timestamp,
    gasLimit: parent.header.gasLimit,
    coinbase: ctx.coinbase,
    extraData: ctx.extraData ?? new Uint8Array(),
    baseFeePerGas: parent.header.calcNextBaseFee(),
    excessBlobGas: parent.header.calcNextExcessBlobGas(vm.common),
    blobGasUsed: 0n,
    parentBeaconBlockRoot: new Uint8Array(32),
    // Deterministic randomness for PREVRANDAO: nobody can bias it on a devnet, and every node agrees.
    mixHash: keccak_256(parent.hash()),
    difficulty: 0n,
    withdrawalsRoot: KECCAK256_RLP,
  }
}

function chainState(vm: VM): ChainStateManager {
  if (!(vm.stateManager instanceof ChainStateManager)) throw new TypeError('blocks are built on a ChainStateManager (createStateManager)')
  return vm.stateManager
}

interface RunOutcome {
  included: TypedTransaction[]
  results: RunTxResult[]
  rejected: RejectedTx[]
  gasUsed: bigint
}

/** Runs each of `txs` that fits the block's gas and is valid on the state; the rest are skipped or rejected. */
async function runFitting(vm: VM, context: Block, txs: TypedTransaction[]): Promise<RunOutcome> {
  const included: TypedTransaction[] = []
  const results: RunTxResult[] = []
  const rejected: RejectedTx[] = []
  let gasUsed = 0n
  // A sender whose transaction was left out has its later ones left out too (their nonces would gap).
  // Looked up only once some sender is: most blocks skip none, and a hex key per transaction is not free.
  const skippedSenders = new Set<string>()
  const senderOf = (tx: TypedTransaction) => tx.getSenderAddress().toString()
  for (const tx of txs) {
    if (skippedSenders.size > 0 && skippedSenders.has(senderOf(tx))) continue
    if (gasUsed + tx.gasLimit > context.header.gasLimit) {
      skippedSenders.add(senderOf(tx))
      continue
    }
    const depth = chainState(vm).checkpointDepth
    try {
      const result = await runBlockTx(vm, tx, context, gasUsed)
      gasUsed += result.blockGasSpent
      included.push(tx)
      results.push(result)
    } catch (error) {
      if (error instanceof TrieFaultError) throw error
      // The tx's nonce bump and gas charge must not stay in the block's state.
      await chainState(vm).revertTo(depth)
      rejected.push({ tx, error: error as Error })
      skippedSenders.add(senderOf(tx))
    }
  }
  return { included, results, rejected, gasUsed }
}

/**
 * Runs `txs` in order on the VM's state (which must be at `parent`'s state root) and seals the block.
 * Linear in the number of transactions: each runs once against a header-only block, and the
 * tries are updated once at the end (ethereumjs' BlockBuilder re-creates the block per tx).
 */
export async function buildBlock(vm: VM, parent: Block, txs: TypedTransaction[], ctx: BlockContext): Promise<BuiltBlock> {
  const header = childHeader(vm, parent, ctx)
  const context = createBlock({ header }, { common: vm.common })
  const { included, results, rejected, gasUsed } = await underOneCheckpoint(vm.stateManager, () => runFitting(vm, context, txs))
  const { encodedReceipts, ...roots } = await blockOutputs(vm, included, results)
  const sealedHeader = createBlockHeader(
    {
      ...header,
      ...roots,
      gasUsed,
      transactionsTrie: transactionsRoot(included),
    },
    { common: vm.common },
  )
  // The block holds the very transaction objects that ran (createBlock would rebuild them from
  // their fields and lose each one's recovered sender, which RPC then has to recover again).
  const block = new Block(sealedHeader, included, [], [], { common: vm.common })
  return { block, encodedReceipts, results, rejected }
}
