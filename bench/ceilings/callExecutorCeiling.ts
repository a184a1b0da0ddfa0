/**
 * The ceiling olnode's call executor puts on eth_call: BenchToken balanceOf through it (the transaction
 * it wraps a call in, the state read through the trie, the EVM), one call after another in this process,
 * with no RPC in between. The node answers eth_call on one thread, so no number of connections gets more
 * calls per second out of it than this.
 */
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { senders } from '../accounts.ts'
import { LOAD_WARMUP_MS } from '../config.ts'
import { deployAndDistribute, SENDER_BALANCE_WORD, tokenInterface } from '../token.ts'
import { withInProcessNode } from './inProcessNode.ts'

/** How many times `call` completes in `ms`, one call at a time. */
export async function callsWithin(call: () => Promise<void>, ms: number): Promise<number> {
  const end = performance.now() + ms
  let calls = 0
  while (performance.now() < end) {
    await call()
    calls++
  }
  return calls
}

/** balanceOf calls per second through the call executor over `durationMs`, after a warm-up. */
export function inProcessCallRate(durationMs: number): Promise<number> {
  return withInProcessNode({}, async (node, client) => {
    const token = await deployAndDistribute(client)
    const req = { to: token, data: hexToBytes(tokenInterface.encodeFunctionData('balanceOf', [senders[0].address]) as `0x${string}`) }
    const call = async () => {
      const { returnValue } = await node.execution.calls.call(req, node.chain.headBlock)
      if (bytesToHex(returnValue) !== SENDER_BALANCE_WORD) throw new Error(`balanceOf answered ${bytesToHex(returnValue)}, expected ${SENDER_BALANCE_WORD}`)
    }
    await callsWithin(call, LOAD_WARMUP_MS)
    return (await callsWithin(call, durationMs)) / (durationMs / 1_000)
  })
}
