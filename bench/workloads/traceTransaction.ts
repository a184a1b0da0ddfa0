/** Workload: debug_traceTransaction with geth's callTracer on one ERC-20 transfer, under concurrent load. */
import { recipient, senders, signTx } from '../accounts.ts'
import { awaitSuccessfulReceipts } from '../receipts.ts'
import { deployAndDistribute, TOKEN_TRANSFER_GAS, TOKEN_UNIT, tokenInterface } from '../token.ts'
import { measureCallRate } from './callLoad.ts'
import type { Workload } from './workload.ts'

interface CallFrame {
  type: string
  to: string
  output: string
}

export const traceTransaction: Workload = {
  measures: [{ name: 'debug_traceTransaction (callTracer)', unit: 'traces/s' }],
  unsupportedBy: { hardhat: 'Hardhat 2.26 only has the default struct-log tracer: it refuses tracer: callTracer' },
  async run(client, config) {
    const token = await deployAndDistribute(client)
    const data = tokenInterface.encodeFunctionData('transfer', [recipient(0), TOKEN_UNIT])
    const tx = await signTx(senders[0], 0, { to: token, data, gasLimit: TOKEN_TRANSFER_GAS })
    await client.call('eth_sendRawTransaction', [tx.raw])
    await awaitSuccessfulReceipts(client, [tx.hash])
    const call = { method: 'debug_traceTransaction', params: [tx.hash, { tracer: 'callTracer' }] }
    // transfer() returns true: the top frame is a CALL to the token whose output is the word 1.
    const isCorrect = (r: unknown) => {
      const frame = r as CallFrame
      return frame?.type === 'CALL' && frame.to?.toLowerCase() === token.toLowerCase() && BigInt(frame.output) === 1n
    }
    return [await measureCallRate(client, call, isCorrect, config.loadDurationMs)]
  },
}
