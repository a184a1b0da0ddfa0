/** Workload 4: eth_blockNumber under concurrent load (autocannon), and the node's CPU per call. */
import { cannonMeasures, cannonRate } from '../load/cannon.ts'
import type { Workload } from './workload.ts'

const isQuantity = (r: unknown): r is string => typeof r === 'string' && /^0x(0|[1-9a-f][0-9a-f]*)$/.test(r)

export const blockNumber: Workload = {
  measures: cannonMeasures('eth_blockNumber'),
  async run(client, config, node) {
    // Automine and no transactions: the head stays where it is for the whole window.
    const head = await client.call('eth_blockNumber')
    if (!isQuantity(head)) throw new Error(`eth_blockNumber answered ${JSON.stringify(head)}`)
    const { rate, nodeCpuUs } = await cannonRate(node.url, node.pid, client, { method: 'eth_blockNumber', params: [] }, head, config.loadDurationMs)
    return [rate, nodeCpuUs]
  },
}
