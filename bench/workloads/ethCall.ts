/** Workload 3: BenchToken balanceOf through eth_call, under concurrent load. */
import { senders } from '../accounts.ts'
import { deployAndDistribute, SENDER_BALANCE, tokenInterface } from '../token.ts'
import { measureCallRate } from './callLoad.ts'
import type { Workload } from './workload.ts'

const isUint256 = (r: unknown): r is string => typeof r === 'string' && /^0x[0-9a-fA-F]{64}$/.test(r)

export const ethCall: Workload = {
  name: 'eth_call (balanceOf)',
  unit: 'calls/s',
  async run(client, config) {
    const token = await deployAndDistribute(client)
    const data = tokenInterface.encodeFunctionData('balanceOf', [senders[0].address])
    const call = { method: 'eth_call', params: [{ to: token, data }, 'latest'] }
    return measureCallRate(client, call, (r) => isUint256(r) && BigInt(r) === SENDER_BALANCE, config.loadDurationMs)
  },
}
