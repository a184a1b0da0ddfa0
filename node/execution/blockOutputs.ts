import type { TypedTransaction } from '@ethereumjs/tx'
import { Bloom, encodeReceipt, type RunTxResult, type VM } from '@ethereumjs/vm'
import { orderedTrieRoot } from './orderedTrie.ts'

/** What a block's transactions produced, as its header commits to it. */
export interface BlockOutputs {
  encodedReceipts: Uint8Array[]
  receiptTrie: Uint8Array
  logsBloom: Uint8Array
  stateRoot: Uint8Array
}

/** The receipts, receipts root, logs bloom and state root after `txs` ran on the VM with `results`. */
export async function blockOutputs(vm: VM, txs: TypedTransaction[], results: RunTxResult[]): Promise<BlockOutputs> {
  const encodedReceipts = results.map((r, i) => encodeReceipt(r.receipt, txs[i].type))
  return {
    encodedReceipts,
    receiptTrie: orderedTrieRoot(encodedReceipts),
    logsBloom: logsBloom(results, vm),
    stateRoot: await vm.stateManager.getStateRoot(),
  }
}

function logsBloom(results: RunTxResult[], vm: VM): Uint8Array {
  const bloom = new Bloom(undefined, vm.common)
  for (const r of results) bloom.or(r.bloom)
  return bloom.bitvector
}
