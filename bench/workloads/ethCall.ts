/** Workload 3: BenchToken balanceOf through eth_call, under concurrent load (autocannon), and the node's CPU per call. */
import { senders } from '../accounts.ts'
import { cannonMeasures, cannonRate } from '../load/cannon.ts'
import { deployAndDistribute, SENDER_BALANCE_WORD, tokenInterface } from '../token.ts'
import type { Workload } from './workload.ts'

export const ethCall: Workload = {
  measures: cannonMeasures('eth_call (balanceOf)'),
  async run(client, config, node) {
    const token = await deployAndDistribute(client)
    const data = tokenInterface.encodeFunctionData('balanceOf', [senders[0].address])
    const call = { method: 'eth_call', params: [{ to: token, data }, 'latest'] }
    const { rate, nodeCpuUs } = await cannonRate(node.url, node.pid, client, call, SENDER_BALANCE_WORD, config.loadDurationMs)
    return [rate, nodeCpuUs]
  },
}
