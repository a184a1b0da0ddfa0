import { createRpcClient } from './client.ts'
import { killNodesOnExit, startNode } from './nodes.ts'
import { presign } from './workloads/txThroughput.ts'
import { recipient } from './accounts.ts'
killNodesOnExit()
const loops = Number(process.argv[2])
const node = await startNode('anvil')
const client = createRpcClient(node.url, 32)
const queues = await presign(client, (i) => ({ to: recipient(i), value: 1n, gasLimit: 21000n }))
const all = queues.flat()
// regroup into `loops` loops preserving per-sender order
const groups: typeof all[] = Array.from({ length: loops }, () => [])
queues.forEach((q, i) => groups[i % loops].push(...q))
const t0 = performance.now()
await Promise.all(groups.map(async (q) => { for (const tx of q) await client.call('eth_sendRawTransaction', [tx.raw]) }))
const sent = performance.now() - t0
let bn = 0
for (let i = 0; i < 40; i++) {
  const st = await client.call<any>('txpool_status')
  bn = Number(await client.call<string>('eth_blockNumber'))
  if (st.pending === '0x0') { console.log(loops, 'loops: sent', Math.round(sent), 'done at', Math.round(performance.now() - t0), 'blocks', bn); break }
  if (i === 39) console.log(loops, 'loops: STUCK', st, 'blocks', bn)
  await new Promise(r => setTimeout(r, 250))
}
client.close(); await node.stop()
