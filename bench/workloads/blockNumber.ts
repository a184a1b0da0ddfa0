/** Workload 4: eth_blockNumber under concurrent load. */
import { measureCallRate } from './callLoad.ts'
import type { Workload } from './workload.ts'

const isQuantity = (r: unknown): r is string => typeof r === 'string' && /^0x(0|[1-9a-f][0-9a-f]*)$/.test(r)

export const blockNumber: Workload = {
  name: 'eth_blockNumber',
  unit: 'calls/s',
  async run(client, config) {
    const head = BigInt(await client.call<string>('eth_blockNumber'))
    // The head can only move forward during the window (a node may seal empty blocks on a timer).
    const call = { method: 'eth_blockNumber', params: [] }
    return measureCallRate(client, call, (r) => isQuantity(r) && BigInt(r) >= head, config.loadDurationMs)
  },
}
