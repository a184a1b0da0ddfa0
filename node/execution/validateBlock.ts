import type { Block } from '@ethereumjs/block'
import { bytesToHex, equalsBytes, KECCAK256_RLP, KECCAK256_RLP_ARRAY } from '@ethereumjs/util'
import type { AppliedBlock } from './applyBlock.ts'
import { BlockImportError, type BlockCheck } from './errors.ts'
import { transactionsRoot } from './orderedTrie.ts'

/** The most extra data a header may carry (geth's params.MaximumExtraDataSize). */
const MAX_EXTRA_DATA = 32

/**
 * The header rules against the parent (geth's beacon VerifyHeader): number, time, gas limit within
 * 1/1024 of the parent's, EIP-1559 base fee, EIP-4844 excess blob gas, and the proof-of-stake header
 * format (no difficulty, no nonce, at most 32 bytes of extra data).
 */
export function validateHeader(block: Block, parent: Block): void {
  const { header } = block
  const fail = (code: BlockCheck, detail: string) => new BlockImportError(header.number, code, detail)
  if (header.number !== parent.header.number + 1n) throw fail('NUMBER', `number is not its parent's + 1 (parent is ${parent.header.number})`)
  if (header.timestamp <= parent.header.timestamp) throw fail('TIMESTAMP', `timestamp ${header.timestamp} is not after its parent's ${parent.header.timestamp}`)
  try {
    header.validateGasLimit(parent.header)
  } catch {
    throw fail('GAS_LIMIT', `gas limit ${header.gasLimit} is not within 1/1024 of its parent's ${parent.header.gasLimit}`)
  }
  const baseFee = parent.header.calcNextBaseFee()
  if (header.baseFeePerGas !== baseFee) throw fail('BASE_FEE', mismatch('base fee', header.baseFeePerGas, baseFee))
  if (header.extraData.length > MAX_EXTRA_DATA) throw fail('EXTRA_DATA', `extra data is ${header.extraData.length} bytes, at most ${MAX_EXTRA_DATA} allowed`)
  if (header.difficulty !== 0n) throw fail('DIFFICULTY', `difficulty ${header.difficulty} in a proof-of-stake header, want 0`)
  if (!equalsBytes(header.nonce, new Uint8Array(8))) throw fail('NONCE', `nonce ${bytesToHex(header.nonce)} in a proof-of-stake header, want 0`)
  const excessBlobGas = parent.header.calcNextExcessBlobGas(block.common)
  if (header.excessBlobGas !== excessBlobGas) throw fail('EXCESS_BLOB_GAS', mismatch('excess blob gas', header.excessBlobGas, excessBlobGas))
}

/**
 * The body against the header (geth's ValidateBody): no uncles, transactions and withdrawals roots,
 * transactions well-formed, blob gas (priced from the parent's excess blob gas).
 */
export async function validateBody(block: Block, parent: Block): Promise<void> {
  const { header } = block
  const fail = (code: BlockCheck, detail: string) => new BlockImportError(header.number, code, detail)
  if (block.uncleHeaders.length > 0 || !equalsBytes(header.uncleHash, KECCAK256_RLP_ARRAY)) throw fail('UNCLES', 'uncles in a proof-of-stake block')
  const txRoot = transactionsRoot(block.transactions)
  if (!equalsBytes(txRoot, header.transactionsTrie)) throw fail('TX_ROOT', mismatch('transactions root', header.transactionsTrie, txRoot))
  // The chain has no beacon chain behind it: a withdrawal would mint coins out of nothing.
  if ((block.withdrawals ?? []).length > 0) throw fail('WITHDRAWALS', `${block.withdrawals!.length} withdrawals in a chain without a beacon chain`)
  if (!(await block.withdrawalsTrieIsValid())) throw fail('WITHDRAWALS', mismatch('withdrawals root', header.withdrawalsRoot, KECCAK256_RLP))
  for (const [i, tx] of block.transactions.entries()) {
    const errors = tx.getValidationErrors()
    if (errors.length > 0) throw fail('INVALID_TX', `tx ${i} (${bytesToHex(tx.hash())}): ${errors.join(', ')}`)
  }
  try {
    block.validateBlobTransactions(parent.header)
  } catch (err) {
    throw fail('BLOB_GAS_USED', (err as Error).message)
  }
}

/** The header against what re-executing the block produced (geth's ValidateState), in geth's order. */
export function validateState(block: Block, applied: AppliedBlock): void {
  const { header } = block
  const fail = (code: BlockCheck, detail: string) => new BlockImportError(header.number, code, detail)
  if (header.gasUsed !== applied.gasUsed) throw fail('GAS_USED', mismatch('gas used', header.gasUsed, applied.gasUsed))
  if (!equalsBytes(header.logsBloom, applied.logsBloom)) throw fail('LOGS_BLOOM', mismatch('logs bloom', header.logsBloom, applied.logsBloom))
  if (!equalsBytes(header.receiptTrie, applied.receiptTrie)) throw fail('RECEIPTS_ROOT', mismatch('receipts root', header.receiptTrie, applied.receiptTrie))
  if (!equalsBytes(header.stateRoot, applied.stateRoot)) throw fail('STATE_ROOT', mismatch('state root', header.stateRoot, applied.stateRoot))
}

/** "<what> mismatch: have <the header's>, want <the computed>". */
function mismatch(what: string, have: bigint | Uint8Array | undefined, want: bigint | Uint8Array | undefined): string {
  const show = (v: bigint | Uint8Array | undefined) => (v instanceof Uint8Array ? bytesToHex(v) : String(v))
  return `${what} mismatch: have ${show(have)}, want ${show(want)}`
}
