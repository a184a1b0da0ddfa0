/**
 * The ceiling block sealing puts on sustained transfers: the sustained workload's pre-signed transfers, a
 * second's offer (OFFERED_TX_PER_S) to a block, admitted beforehand, then sealed by the node's miner in this
 * process with nothing else to do. Under the sustained load the same thread admits every transfer too, so
 * it seals fewer a second than this.
 */
import { devnetGenesis } from '../../genesis/genesis.ts'
import type { Node } from '../../node/node.ts'
import type { SignedTx } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { INTERVAL_GAS_LIMIT, OFFERED_TX_PER_S } from '../load/intervalLoad.ts'
import { SEND_BATCH, sendBatch } from '../load/pacedSender.ts'
import { fundSenders, SEND_LOOPS, transferQueues } from '../load/transferPlan.ts'
import { assertAllSucceeded } from '../receipts.ts'
import { withInProcessNode } from './inProcessNode.ts'

const BLOCK_TXS = OFFERED_TX_PER_S

/** Block `k`'s transfers: the next share of each send queue, so that every sender's nonces follow on. */
function blockTransfers(k: number): SignedTx[] {
  const share = BLOCK_TXS / SEND_LOOPS
  return transferQueues((k + 1) * BLOCK_TXS).flatMap((queue) => queue.slice(k * share, (k + 1) * share))
}

/** Admits block `k`'s transfers, seals them, checks every receipt; returns the milliseconds the seal took. */
async function sealBlock(node: Node, client: RpcClient, k: number): Promise<number> {
  const txs = blockTransfers(k)
  for (let i = 0; i < txs.length; i += SEND_BATCH) await sendBatch(client, txs.slice(i, i + SEND_BATCH))
  const start = performance.now()
  const block = await node.miner.mine()
  const ms = performance.now() - start
  if (block.transactions.length !== txs.length) throw new Error(`block ${block.header.number} holds ${block.transactions.length} of ${txs.length} transfers`)
  const number = Number(block.header.number)
  await assertAllSucceeded(client, txs.map((tx) => tx.hash), { from: number - 1, to: number })
  return ms
}

/** Transfers sealed per second of sealing, over blocks until `durationMs` of sealing; the first block warms up, untimed. */
export function sealRate(durationMs: number): Promise<number> {
  const genesis = { ...devnetGenesis(), gasLimit: BigInt(INTERVAL_GAS_LIMIT) }
  return withInProcessNode({ genesis, mining: { kind: 'manual' } }, async (node, client) => {
    await fundSenders(client)
    await sealBlock(node, client, 0)
    let sealingMs = 0
    let blocks = 0
    while (sealingMs < durationMs) sealingMs += await sealBlock(node, client, ++blocks)
    return (blocks * BLOCK_TXS) / (sealingMs / 1_000)
  })
}
