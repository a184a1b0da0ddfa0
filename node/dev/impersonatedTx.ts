import type { Common } from '@ethereumjs/common'
import { createTx, type TypedTransaction, type TypedTxData } from '@ethereumjs/tx'
import { bytesToBigInt, type Address } from '@ethereumjs/util'
import { withSender } from '../chain/senders.ts'

/**
 * A transaction from an impersonated account: anvil's placeholder signature (r = the address as a
 * number, s = 1, parity 0), which recovers no key, and the sender set explicitly instead.
 */
export function impersonatedTx(data: TypedTxData, common: Common, from: Address): TypedTransaction {
  const unsigned = createTx(data, { common, freeze: false })
  // Legacy: v follows EIP-155 from the parity; typed: v is the parity.
  const signed = unsigned.addSignature(0n, bytesToBigInt(from.bytes), 1n, true)
  return withSender(signed, from)
}
