/** Workload 1: plain EIP-1559 value transfers, each to a fresh address. */
import { recipient } from '../accounts.ts'
import type { Workload } from './workload.ts'
import { measureTxThroughput, presign } from './txThroughput.ts'

const TRANSFER_GAS = 21_000n

export const transfers: Workload = {
  measures: [{ name: 'Signed transfers', unit: 'tx/s' }],
  async run(client) {
    const queues = await presign(client, (i) => ({ to: recipient(i), value: 1n, gasLimit: TRANSFER_GAS }))
    return [await measureTxThroughput(client, queues)]
  },
}
