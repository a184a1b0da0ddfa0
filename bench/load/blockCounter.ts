/** Counts the transactions in each block mined after a given head, by polling the node while a load runs. */
import type { RpcClient } from '../client.ts'

const POLL_MS = 100
/** Blocks fetched per batch request. */
const BLOCK_BATCH = 20

interface Block {
  transactions: string[]
}

export interface BlockCounter {
  /** Transactions in the blocks seen so far; throws what stopped the polling, if anything did. */
  included(): number
  /** Transactions in blocks `from` + 1 .. `to`, fetching those not seen yet. */
  countTo(to: number): Promise<number>
  stop(): void
}

export function watchBlocks(client: RpcClient, from: number): BlockCounter {
  const counts: number[] = []
  let total = 0
  let failure: unknown
  let stopped = false
  // One fetch at a time, so that no block is counted twice.
  let fetching = Promise.resolve()

  async function fetchUpTo(to: number): Promise<void> {
    for (let n = from + 1 + counts.length; n <= to; n += BLOCK_BATCH) {
      const numbers = Array.from({ length: Math.min(BLOCK_BATCH, to - n + 1) }, (_, i) => `0x${(n + i).toString(16)}`)
      const blocks = await client.batch(numbers.map((b) => ({ method: 'eth_getBlockByNumber', params: [b, false] })))
      for (const [i, r] of blocks.entries()) {
        const block = r.result as Block | null
        if (!block) throw new Error(`eth_getBlockByNumber(${numbers[i]}): ${r.error?.message ?? 'no block'}`)
        counts.push(block.transactions.length)
        total += block.transactions.length
      }
    }
  }
  const advance = (to: number) => (fetching = fetching.then(() => fetchUpTo(to)))

  async function poll(): Promise<void> {
    while (!stopped) {
      await advance(Number(await client.call<string>('eth_blockNumber')))
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
  }
  poll().catch((err) => (failure ??= err))

  return {
    included() {
      if (failure) throw failure
      return total
    },
    async countTo(to) {
      await advance(to)
      return counts.slice(0, to - from).reduce((a, b) => a + b, 0)
    },
    stop: () => (stopped = true),
  }
}
