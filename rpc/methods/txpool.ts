import type { TypedTransaction } from '@ethereumjs/tx'
import { intToHex, toChecksumAddress } from '@ethereumjs/util'
import type { TxsBySender } from '../../node/txpool/types.ts'
import type { RpcBackend } from '../backend.ts'
import { effectiveGasPrice, formatTx, type JsonTx } from '../format.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { address } from '../validators.ts'

/**
 * geth's txpool namespace: pending and queued transactions by sender (checksummed, as geth's
 * account.Hex()) then nonce (decimal), formatted as pending RPC transactions or inspect's one-liners.
 */
export function txpoolMethods(node: RpcBackend): MethodTable {
  const { txpool } = node
  return {
    txpool_status: defineMethod([], () => {
      const { pending, queued } = txpool.stats()
      return { pending: intToHex(pending), queued: intToHex(queued) }
    }),
    txpool_content: defineMethod([], () => {
      const { pending, queued } = txpool.content()
      return { pending: bySender(pending, formatPending), queued: bySender(queued, formatPending) }
    }),
    txpool_contentFrom: defineMethod([address], ([from]) => {
      const { pending, queued } = txpool.content()
      return { pending: byNonce(pending.get(from as `0x${string}`), formatPending), queued: byNonce(queued.get(from as `0x${string}`), formatPending) }
    }),
    txpool_inspect: defineMethod([], () => {
      const { pending, queued } = txpool.content()
      return { pending: bySender(pending, summary), queued: bySender(queued, summary) }
    }),
  }
}

function bySender<T>(txs: TxsBySender, format: (tx: TypedTransaction) => T): Record<string, Record<string, T>> {
  const out: Record<string, Record<string, T>> = {}
  for (const [sender, nonces] of txs) out[toChecksumAddress(sender)] = byNonce(nonces, format)
  return out
}

function byNonce<T>(txs: Map<bigint, TypedTransaction> | undefined, format: (tx: TypedTransaction) => T): Record<string, T> {
  const out: Record<string, T> = {}
  for (const [nonce, tx] of txs ?? []) out[nonce.toString()] = format(tx)
  return out
}

function formatPending(tx: TypedTransaction): JsonTx {
  return formatTx(tx, undefined)
}

/** geth's Inspect line: "0xTo: V wei + G gas × P wei", P being the fee cap of an EIP-1559 transaction. */
function summary(tx: TypedTransaction): string {
  const price = effectiveGasPrice(tx, undefined)
  const target = tx.to ? toChecksumAddress(tx.to.toString()) : 'contract creation'
  return `${target}: ${tx.value} wei + ${tx.gasLimit} gas × ${price} wei`
}
