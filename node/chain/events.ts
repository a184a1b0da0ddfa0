import { EventEmitter } from 'node:events'
import type { Block } from '@ethereumjs/block'
import type { StoredReceipt } from './receipts.ts'

export interface NewHead {
  block: Block
  receipts: StoredReceipt[]
}

/** What the chain announces to subscribers (RPC subscriptions, filters, the pool). */
export type ChainEventMap = {
  head: [NewHead]
}

export class ChainEvents extends EventEmitter<ChainEventMap> {}
