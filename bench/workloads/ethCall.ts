/** Workload 3: BenchToken balanceOf through eth_call, under concurrent load (autocannon). */
import { senders } from '../accounts.ts'
import { cannonRate } from '../load/cannon.ts'
import { deployAndDistribute, SENDER_BALANCE_WORD, tokenInterface } from '../token.ts'
import type { Workload } from './workload.ts'

export const ethCall: Workload = {
  measures: [{ name: 'eth_call (balanceOf)', unit: 'calls/s' }],
  async run(client, config, node) {
    const token = await deployAndDistribute(client)
    const data = tokenInterface.encodeFunctionData('balanceOf', [senders[0].address])
    const call = { method: 'eth_call', params: [{ to: token, data }, 'latest'] }
    return [await cannonRate(node.url, client, call, SENDER_BALANCE_WORD, config.loadDurationMs)]
  },
}
