import type { TypedTransaction } from '@ethereumjs/tx'
import { isUnprotected } from '../node/txpool/validation.ts'
import { ServerError } from './errors.ts'
import { effectiveGasPrice } from './format.ts'

const WEI_PER_ETHER = 1e18

/** What geth's SubmitTransaction checks before the pool, from the RPC options. */
export interface SubmitRules {
  /** Largest gas * price in wei; 0 = no cap (--rpc.txfeecap). */
  txFeeCap: bigint
  allowUnprotectedTxs: boolean
}

/**
 * geth's internal/ethapi SubmitTransaction: the fee cap, then replay protection, with geth's
 * messages. The fee is the gas limit times the price the sender offers (maxFeePerGas for EIP-1559).
 * An unsigned transaction (only built in-process) is the pool's to judge.
 */
export function checkSubmission(tx: TypedTransaction, rules: SubmitRules): void {
  // Without a base fee: the legacy price, or the fee cap, which is what geth's tx.GasPrice() gives.
  const fee = tx.gasLimit * effectiveGasPrice(tx, undefined)
  if (rules.txFeeCap > 0n && fee > rules.txFeeCap) {
    throw new ServerError(`tx fee (${ether(fee)} ether) exceeds the configured cap (${ether(rules.txFeeCap)} ether)`)
  }
  if (!rules.allowUnprotectedTxs && tx.isSigned() && isUnprotected(tx)) {
    throw new ServerError('only replay-protected (EIP-155) transactions allowed over RPC')
  }
}

/** geth's "%.2f" of the amount in ether. */
function ether(wei: bigint): string {
  return (Number(wei) / WEI_PER_ETHER).toFixed(2)
}
