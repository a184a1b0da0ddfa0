/**
 * Workload: eth_getLogs over a 10,000-block range holding a token transfer every 100 blocks
 * (the blocks between are mined empty with hardhat_mine, which all three nodes serve), under concurrent load.
 */
import { recipient, senders, signTx } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { awaitSuccessfulReceipts } from '../receipts.ts'
import { deployAndDistribute, TOKEN_TRANSFER_GAS, TOKEN_UNIT, tokenInterface } from '../token.ts'
import { measureCallRate } from './callLoad.ts'
import type { Workload } from './workload.ts'

const RANGE = 10_000
const TRANSFERS = 100
const transferTopic = tokenInterface.getEvent('Transfer')!.topicHash

/** TRANSFERS blocks with one Transfer log each, every RANGE / TRANSFERS blocks. */
async function buildRange(client: RpcClient, token: string): Promise<void> {
  const gap = RANGE / TRANSFERS - 1
  for (let i = 0; i < TRANSFERS; i++) {
    const data = tokenInterface.encodeFunctionData('transfer', [recipient(i), TOKEN_UNIT])
    const tx = await signTx(senders[0], i, { to: token, data, gasLimit: TOKEN_TRANSFER_GAS })
    await client.call('eth_sendRawTransaction', [tx.raw])
    await awaitSuccessfulReceipts(client, [tx.hash])
    await client.call('hardhat_mine', [`0x${gap.toString(16)}`])
  }
}

export const getLogs: Workload = {
  measures: [{ name: 'eth_getLogs (10,000 blocks)', unit: 'queries/s' }],
  async run(client, config) {
    const token = await deployAndDistribute(client)
    await buildRange(client, token)
    const head = BigInt(await client.call<string>('eth_blockNumber'))
    const filter = { fromBlock: `0x${(head - BigInt(RANGE) + 1n).toString(16)}`, toBlock: `0x${head.toString(16)}`, address: token, topics: [transferTopic] }
    const call = { method: 'eth_getLogs', params: [filter] }
    return [await measureCallRate(client, call, (r) => Array.isArray(r) && r.length === TRANSFERS, config.loadDurationMs)]
  },
}
