import type { Block } from '@ethereumjs/block'
import { bytesToHex } from '@ethereumjs/util'
import type { RunTxResult, VM } from '@ethereumjs/vm'
import { blockOutputs, type BlockOutputs } from './blockOutputs.ts'
import { BlockImportError } from './errors.ts'
import { runBlockTx } from './plainTransfer.ts'
import { underOneCheckpoint } from './state.ts'
import { TrieFaultError } from './trieNodes.ts'

/** What re-executing a block gave, to be checked against its header. */
export interface AppliedBlock extends BlockOutputs {
  gasUsed: bigint
  results: RunTxResult[]
}

/**
 * Runs the block's transactions in order on the VM's state (which must be at the parent's state root),
 * against the block's own header, as buildBlock ran them when the block was sealed: every one must
 * fit the gas left in the block and be valid on the state, or the block is refused.
 */
export async function applyBlock(vm: VM, block: Block): Promise<AppliedBlock> {
  const { gasUsed, results } = await underOneCheckpoint(vm.stateManager, () => runAll(vm, block))
  return { gasUsed, results, ...(await blockOutputs(vm, block.transactions, results)) }
}

async function runAll(vm: VM, block: Block): Promise<{ gasUsed: bigint; results: RunTxResult[] }> {
  const { number, gasLimit } = block.header
  const results: RunTxResult[] = []
  let gasUsed = 0n
  for (const [i, tx] of block.transactions.entries()) {
    if (gasUsed + tx.gasLimit > gasLimit) {
      throw new BlockImportError(number, 'INVALID_TX', `tx ${i} (${bytesToHex(tx.hash())}): gas limit ${tx.gasLimit} exceeds the ${gasLimit - gasUsed} gas left in the block`)
    }
    try {
      const result = await runBlockTx(vm, tx, block, gasUsed)
      gasUsed += result.blockGasSpent
      results.push(result)
    } catch (err) {
      if (err instanceof TrieFaultError) throw err
      throw new BlockImportError(number, 'INVALID_TX', `tx ${i} (${bytesToHex(tx.hash())}): ${(err as Error).message}`)
    }
  }
  return { gasUsed, results }
}
