import type { NewHead } from '../../node/chain/events.ts'
import type { RpcBackend } from '../backend.ts'
import { LimitExceededError, SubscriptionNotFoundError } from '../errors.ts'
import { formatBlock, formatTx } from '../format.ts'
import { randomId } from '../ids.ts'
import { logCriteria, matchingLogs } from '../logFilter.ts'
import { defineMethod, type MethodTable, type WsConnection } from '../method.ts'
import { filterOptions, optional, string, type Validator } from '../validators.ts'

type Unsubscribe = () => void

/** The second eth_subscribe argument: a log filter or the newPendingTransactions full-tx flag. */
const subscriptionOption: Validator<unknown> = { describe: 'subscription option', optional: true, parse: (value) => value }

/** eth_subscribe / eth_unsubscribe over WebSocket: newHeads, logs and newPendingTransactions. */
export function subscriptionMethods(node: RpcBackend): MethodTable {
  const byConnection = new Map<number, Map<string, Unsubscribe>>()
  const subscriptionsOf = (conn: WsConnection) => {
    let subs = byConnection.get(conn.id)
    if (!subs) {
      const created = new Map<string, Unsubscribe>()
      byConnection.set(conn.id, created)
      conn.onClose(() => {
        for (const stop of created.values()) stop()
        byConnection.delete(conn.id)
      })
      subs = created
    }
    return subs
  }
  return {
    eth_subscribe: defineMethod(
      [string, optional(subscriptionOption)],
      ([kind, option], ctx) => {
        const conn = ctx.connection!
        const subs = subscriptionsOf(conn)
        const max = node.limits.wsSubscriptionLimit
        if (max > 0 && subs.size >= max) throw new LimitExceededError(`too many subscriptions (max ${max} per connection)`)
        const id = randomId()
        subs.set(id, listen(node, kind, option, (result) => conn.notify(id, result)))
        return id
      },
      { wsOnly: true },
    ),
    eth_unsubscribe: defineMethod(
      [string],
      ([id], ctx) => {
        const subs = byConnection.get(ctx.connection!.id)
        const stop = subs?.get(id)
        if (!stop) return false
        stop()
        subs!.delete(id)
        return true
      },
      { wsOnly: true },
    ),
  }
}

function listen(node: RpcBackend, kind: string, option: unknown, send: (result: unknown) => void): Unsubscribe {
  switch (kind) {
    case 'newHeads':
      return onHead(node, ({ block }) => send(headerOf(block)))
    case 'logs': {
      const filter = filterOptions.parse(option ?? {}, '1')
      const criteria = logCriteria(filter.addresses, filter.topics)
      return onHead(node, ({ block, receipts }) => {
        for (const log of matchingLogs(block, receipts, criteria)) send(log)
      })
    }
    case 'newPendingTransactions': {
      const full = option === true
      const onPending = (hash: string) => {
        const tx = full ? node.txpool.get(hash as `0x${string}`) : undefined
        send(tx ? formatTx(tx, undefined) : hash)
      }
      node.txpool.on('pending', onPending)
      return () => node.txpool.off('pending', onPending)
    }
    default:
      throw new SubscriptionNotFoundError(kind, 'eth')
  }
}

function onHead(node: RpcBackend, fn: (head: NewHead) => void): Unsubscribe {
  node.chain.events.on('head', fn)
  return () => node.chain.events.off('head', fn)
}

/** newHeads carries the header fields only, as geth sends them. */
function headerOf(block: NewHead['block']): Record<string, unknown> {
  const { transactions: _t, uncles: _u, withdrawals: _w, size: _s, totalDifficulty: _d, ...header } = formatBlock(block, false)
  return header
}
