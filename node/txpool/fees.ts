import type { TypedTransaction } from '@ethereumjs/tx'

export interface Fees {
  feeCap: bigint
  tipCap: bigint
}

/** Fee cap and tip cap as geth reads them: a legacy/2930 gas price is both. */
export function feesOf(tx: TypedTransaction): Fees {
  if ('maxFeePerGas' in tx) return { feeCap: tx.maxFeePerGas, tipCap: tx.maxPriorityFeePerGas }
  return { feeCap: tx.gasPrice, tipCap: tx.gasPrice }
}

/**
 * The most the transaction can cost its sender (geth's tx.Cost()): gasLimit * feeCap + value.
 * Not ethereumjs' getUpfrontCost(), which prices a 1559 tx at base fee + tip, not at its fee cap.
 */
export function costOf(tx: TypedTransaction, feeCap: bigint): bigint {
  return tx.gasLimit * feeCap + tx.value
}

/** What the block producer earns per gas at this base fee (may be negative below the base fee). */
export function effectiveTip(fees: Fees, baseFee: bigint): bigint {
  const headroom = fees.feeCap - baseFee
  return fees.tipCap < headroom ? fees.tipCap : headroom
}

/**
 * geth's list.Add rule: a replacement must raise both caps strictly, and each by at least
 * `bumpPercent` (threshold = old * (100 + bump) / 100, integer division).
 */
export function outbids(next: Fees, old: Fees, bumpPercent: number): boolean {
  const factor = BigInt(100 + bumpPercent)
  return (
    next.feeCap > old.feeCap &&
    next.tipCap > old.tipCap &&
    next.feeCap >= (old.feeCap * factor) / 100n &&
    next.tipCap >= (old.tipCap * factor) / 100n
  )
}
