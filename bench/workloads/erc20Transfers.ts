/** Workload 2: BenchToken transfers, each to a fresh holder (so each writes a new storage slot). */
import { recipient } from '../accounts.ts'
import { deployAndDistribute, TOKEN_TRANSFER_GAS, TOKEN_UNIT, tokenInterface } from '../token.ts'
import type { Workload } from './workload.ts'
import { measureTxThroughput, presign } from './txThroughput.ts'

export const erc20Transfers: Workload = {
  measures: [{ name: 'ERC-20 transfers', unit: 'tx/s' }],
  async run(client) {
    const token = await deployAndDistribute(client)
    const queues = await presign(client, (i) => ({
      to: token,
      data: tokenInterface.encodeFunctionData('transfer', [recipient(i), TOKEN_UNIT]),
      gasLimit: TOKEN_TRANSFER_GAS,
    }))
    return [await measureTxThroughput(client, queues)]
  },
}
