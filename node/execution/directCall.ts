import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { TransactionType, type TypedTransaction } from '@ethereumjs/tx'
import { bytesToUnprefixedHex, equalsBytes, KECCAK256_NULL } from '@ethereumjs/util'
import type { RunTxResult, VM } from '@ethereumjs/vm'

/** What a call's run yields, whichever way it ran: the EVM's result, the gas spent after the refund, and the refund counter. */
export type CallRun = Pick<RunTxResult, 'execResult' | 'totalGasSpent' | 'gasRefund'>

/**
 * EIPs under which runTx does more around evm.runCall than runDirectCall repeats (calldata floor,
 * delegations, state gas, block access lists, binary trees, block gas accounting): where one is active,
 * every call goes through runTx.
 */
const RUN_TX_ONLY_EIPS = [7623, 7702, 7778, 7864, 7928, 8037]

/** Whether the chain's rules let calls that qualify skip runTx (see runDirectCall). */
export function directCallsAllowed(common: Common): boolean {
  return !RUN_TX_ONLY_EIPS.some((eip) => common.isActivatedEIP(eip))
}

/** A call runDirectCall may run: it names a recipient, offers no price (so pays nothing) and carries no access list. */
export function qualifiesForDirectCall(tx: TypedTransaction): boolean {
  return tx.to !== undefined && tx.type === TransactionType.Legacy && tx.gasPrice === 0n
}

/**
 * runTx's outcome for a call that qualifies, from evm.runCall itself: runTx builds a receipt and its
 * bloom, pays the coinbase and refunds the sender, all after the EVM returns and all to state the call's
 * revert throws away, and that was a quarter of a call's time in process. What the EVM can observe is
 * done as runTx does it: the warm addresses (EIP-2929 and EIP-3651), the sender's nonce (runCall raises
 * it), the gas left after the intrinsic cost; and the gas spent after the capped refund is counted as
 * runTx counts it. Undefined for a sender with code or a gas limit under the intrinsic cost: runTx's own
 * rules (EIP-3607, its error) answer those.
 */
export async function runDirectCall(vm: VM, tx: TypedTransaction, block: Block): Promise<CallRun | undefined> {
  const caller = tx.getSenderAddress()
  const sender = await vm.stateManager.getAccount(caller)
  const intrinsic = tx.getIntrinsicGas()
  if ((sender !== undefined && !equalsBytes(sender.codeHash, KECCAK256_NULL)) || tx.gasLimit < intrinsic) return undefined
  const { evm } = vm
  await evm.journal.cleanup()
  for (const address of evm.precompiles.keys()) evm.journal.addAlwaysWarmAddress(address)
  evm.journal.addAlwaysWarmAddress(bytesToUnprefixedHex(caller.bytes))
  evm.journal.addAlwaysWarmAddress(bytesToUnprefixedHex(tx.to!.bytes))
  if (vm.common.isActivatedEIP(3651)) evm.journal.addAlwaysWarmAddress(bytesToUnprefixedHex(block.header.coinbase.bytes))
  try {
    const { execResult } = await evm.runCall({ block, gasPrice: 0n, caller, gasLimit: tx.gasLimit - intrinsic, to: tx.to, value: tx.value, data: tx.data })
    const spent = execResult.executionGasUsed + intrinsic
    const gasRefund = execResult.gasRefund ?? 0n
    const cap = spent / vm.common.param('maxRefundQuotient')
    return { execResult, gasRefund, totalGasSpent: spent - (gasRefund < cap ? gasRefund : cap) }
  } finally {
    evm.journal.cleanJournal()
    vm.stateManager.originalStorageCache.clear()
  }
}
