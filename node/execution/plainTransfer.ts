import type { Block } from '@ethereumjs/block'
import type { Common, StateManagerInterface } from '@ethereumjs/common'
import { TransactionType, type TypedTransaction } from '@ethereumjs/tx'
import { Account, bytesToUnprefixedHex, equalsBytes, KECCAK256_NULL, MAX_INTEGER, type Address } from '@ethereumjs/util'
import { Bloom, runTx, type RunTxResult, type VM } from '@ethereumjs/vm'

/**
 * EIPs under which a value transfer does more than move value and pay for 21,000 gas: state gas
 * (2780, 8037), witnesses (6800, 7864), block access lists (7928), transfer logs (7708), calldata floors
 * (7623, 7778), delegations (7702). With any of them active every transaction goes through runTx.
 */
const RESHAPING_EIPS = [2780, 6800, 7623, 7702, 7708, 7778, 7864, 7928, 8037]

/** Types whose fields are no more than a transfer's (their access lists are checked empty). */
const PLAIN_TYPES: ReadonlySet<number> = new Set([TransactionType.Legacy, TransactionType.AccessListEIP2930, TransactionType.FeeMarketEIP1559])

/** EIP-1559 pricing (London) with EIP-161's removal of empty touched accounts, and nothing after that reshapes a transfer. */
function transfersArePlain(common: Common): boolean {
  return common.isActivatedEIP(1559) && !RESHAPING_EIPS.some((eip) => common.isActivatedEIP(eip))
}

/** What the sender pays per gas, what of it goes to the coinbase, and the balance the sender must hold. */
interface Pricing {
  gasPrice: bigint
  tipPerGas: bigint
  maxCost: bigint
}

/**
 * runTx's prices and balance check (for a fee-market transaction the gas limit at the fee cap, which is
 * never below its up-front cost at the effective price); undefined where runTx would refuse the fee.
 */
function pricing(tx: TypedTransaction, baseFee: bigint): Pricing | undefined {
  if ('maxFeePerGas' in tx) {
    if (tx.maxFeePerGas < baseFee) return undefined
    const tipPerGas = tx.getEffectivePriorityFee(baseFee)
    return { gasPrice: baseFee + tipPerGas, tipPerGas, maxCost: tx.value + tx.gasLimit * tx.maxFeePerGas }
  }
  if (tx.gasPrice < baseFee) return undefined
  return { gasPrice: tx.gasPrice, tipPerGas: tx.gasPrice - baseFee, maxCost: tx.getUpfrontCost() }
}

function hasAccessList(tx: TypedTransaction): boolean {
  return 'accessList' in tx && tx.accessList.length > 0
}

/** Adds `amount` to an account touched by the transaction, removing it if it is left empty (EIP-161). */
async function credit(state: StateManagerInterface, address: Address, amount: bigint): Promise<void> {
  const account = (await state.getAccount(address)) ?? new Account()
  account.balance += amount
  if (account.isEmpty()) await state.deleteAccount(address)
  else await state.putAccount(address, account)
}

/**
 * The bits of a transfer's bloom, which logs nothing: all zero, and shared, since a result's bloom is only
 * read (OR-ed into the block's, encoded into its receipt). A block's results live until it is sealed, and
 * 256 bytes each were 2 % of what outlived a young-generation GC under sustained load.
 */
const NO_LOGS_BLOOM = new Uint8Array(256)

function transferResult(common: Common, gas: bigint, gasPrice: bigint, minerValue: bigint, cumulativeBlockGasUsed: bigint): RunTxResult {
  const bloom = new Bloom(NO_LOGS_BLOOM, common)
  return {
    execResult: { executionGasUsed: 0n, returnValue: new Uint8Array(0), logs: [], gasRefund: 0n },
    totalGasSpent: gas,
    blockGasSpent: gas,
    amountSpent: gas * gasPrice,
    gasRefund: 0n,
    minerValue,
    bloom,
    receipt: { status: 1, cumulativeBlockGasUsed, bitvector: bloom.bitvector, logs: [] },
  }
}

/**
 * Applies a value transfer between accounts without code as runTx would, without the EVM: the sender
 * pays 21,000 gas and the value, the recipient gets the value, the coinbase the tip, and an account left
 * empty is removed. runTx spends about 100 us on such a transfer (warming every precompile, three
 * checkpoints, eight account reads and six writes); this reads three accounts and writes three.
 * Returns undefined, having changed nothing, for any other transaction and for one runTx would refuse,
 * so that runTx runs it and gives the refusal its own error.
 */
export async function runPlainTransfer(vm: VM, tx: TypedTransaction, block: Block, blockGasUsed: bigint): Promise<RunTxResult | undefined> {
  const { common, stateManager: state } = vm
  const to = tx.to
  const gas = common.param('txGas')
  if (to === undefined || tx.data.length > 0 || !PLAIN_TYPES.has(tx.type) || hasAccessList(tx) || tx.gasLimit < gas) return undefined
  if (!transfersArePlain(common) || vm.evm.precompiles.has(bytesToUnprefixedHex(to.bytes))) return undefined
  const price = pricing(tx, block.header.baseFeePerGas ?? 0n)
  if (price === undefined) return undefined
  const senderAddress = tx.getSenderAddress()
  const sender = await state.getAccount(senderAddress)
  if (sender === undefined || !equalsBytes(sender.codeHash, KECCAK256_NULL) || sender.nonce !== tx.nonce || sender.balance < price.maxCost) return undefined
  const recipient = await state.getAccount(to)
  if (recipient !== undefined && (!equalsBytes(recipient.codeHash, KECCAK256_NULL) || recipient.balance + tx.value > MAX_INTEGER)) return undefined

  sender.balance -= gas * price.gasPrice + tx.value
  sender.nonce += 1n
  await state.putAccount(senderAddress, sender)
  await credit(state, to, tx.value)
  const minerValue = gas * price.tipPerGas
  await credit(state, block.header.coinbase, minerValue)
  return transferResult(common, gas, price.gasPrice, minerValue, blockGasUsed + gas)
}

/** Runs one transaction of a block on the VM's state: a plain transfer directly, anything else through runTx. */
export async function runBlockTx(vm: VM, tx: TypedTransaction, block: Block, blockGasUsed: bigint): Promise<RunTxResult> {
  return (await runPlainTransfer(vm, tx, block, blockGasUsed)) ?? (await runTx(vm, { tx, block, blockGasUsed, skipHardForkValidation: true }))
}
