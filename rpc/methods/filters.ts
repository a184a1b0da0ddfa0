import { bytesToHex } from '@ethereumjs/util'
import type { RpcBackend } from '../backend.ts'
import { FilterNotFoundError, ServerError } from '../errors.ts'
import type { FilterChanges } from '../filters/filterStore.ts'
import { formatTx } from '../format.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { bool, filterOptions, optional, string, type FilterOptions } from '../validators.ts'
import { queryLogs } from './logs.ts'

/** Polled filters, as geth's eth/filters API serves them: ids, changes since the last poll, expiry. */
export function filterMethods(node: RpcBackend): MethodTable {
  const { filters } = node
  return {
    eth_newFilter: defineMethod([filterOptions], ([options]) => filters.installLogs(checkedRange(options))),
    eth_newBlockFilter: defineMethod([], () => filters.installBlocks()),
    eth_newPendingTransactionFilter: defineMethod([optional(bool, false)], ([fullTx]) => filters.installPendingTxs(fullTx)),
    eth_getFilterChanges: defineMethod([string], ([id]) => {
      const changes = filters.takeChanges(id)
      if (!changes) throw new FilterNotFoundError()
      return changesJson(changes)
    }),
    eth_getFilterLogs: defineMethod([string], ([id]) => {
      const options = filters.logOptions(id)
      if (!options) throw new FilterNotFoundError()
      return queryLogs(node, options)
    }),
    eth_uninstallFilter: defineMethod([string], ([id]) => filters.uninstall(id)),
  }
}

/** geth's SubscribeLogs refuses numbered bounds that cannot both hold. */
function checkedRange(options: FilterOptions): FilterOptions {
  const { fromBlock, toBlock } = options
  if (fromBlock?.kind === 'number' && toBlock?.kind === 'number' && fromBlock.number > toBlock.number) {
    throw new ServerError('invalid from and to block combination')
  }
  return options
}

/** Logs, block hashes, or pending transactions (hashes, or whole when the filter asked for them). */
function changesJson(changes: FilterChanges): unknown[] {
  switch (changes.kind) {
    case 'logs':
      return changes.logs
    case 'blocks':
      return changes.hashes
    case 'pendingTxs':
      return changes.txs.map((tx) => (changes.fullTx ? formatTx(tx, undefined) : bytesToHex(tx.hash())))
  }
}
