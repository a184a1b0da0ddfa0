/** The olnode the in-process ceilings measure: node/node.ts in the benchmark's process, as the integration tests run it. */
import { Node } from '../../node/node.ts'
import { testNodeOptions, type NodeOptions } from '../../node/options.ts'
import { createRpcClient, type RpcClient } from '../client.ts'
import { LOAD_CONCURRENCY } from '../config.ts'
import { tempDir } from '../precompiles/benchNode.ts'

/** Runs `use` on a node on a fresh LevelDB datadir and a client of its JSON-RPC; both are closed when it settles. */
export async function withInProcessNode<T>(overrides: Partial<NodeOptions>, use: (node: Node, client: RpcClient) => Promise<T>): Promise<T> {
  const node = await Node.init(testNodeOptions({ datadir: tempDir('olnode-bench-ceiling-'), ...overrides }))
  const client = createRpcClient(node.rpc!.url, LOAD_CONCURRENCY)
  try {
    return await use(node, client)
  } finally {
    client.close()
    await node.close()
  }
}
