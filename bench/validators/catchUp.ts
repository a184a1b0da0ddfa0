/**
 * Catch-up of a new full node: started (its own process, empty datadir) once the validators have decided
 * many blocks, timed from its start until its head equals the validators' head, which keeps growing.
 */
import { createRpcClient, type RpcClient } from '../client.ts'
import type { NodeProcess } from './processes.ts'

const POLL_MS = 100
const CATCH_UP_TIMEOUT_MS = 300_000

const headOf = async (client: RpcClient) => Number(await client.call<string>('eth_blockNumber'))

export interface CatchUp {
  blocks: number
  seconds: number
}

/** `start` launches the full node; it is stopped again before this returns. */
export async function measureCatchUp(start: () => Promise<NodeProcess>, validator: RpcClient): Promise<CatchUp> {
  const t0 = performance.now()
  const node = await start()
  const client = createRpcClient(node.rpc, 2)
  try {
    for (;;) {
      const [ours, theirs] = await Promise.all([headOf(client), headOf(validator)])
      if (ours > 0 && ours >= theirs) return { blocks: ours, seconds: (performance.now() - t0) / 1_000 }
      if (performance.now() - t0 > CATCH_UP_TIMEOUT_MS) throw new Error(`the new node reached ${ours} of ${theirs} blocks in ${CATCH_UP_TIMEOUT_MS / 1_000} s`)
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
  } finally {
    client.close()
    await node.stop()
  }
}
