import { createRpcClient } from './client.ts'
import { killNodesOnExit, startNode } from './nodes.ts'
import { presign } from './workloads/txThroughput.ts'
import { recipient } from './accounts.ts'
killNodesOnExit()
const node = await startNode('anvil')
const client = createRpcClient(node.url, 32)
const queues = await presign(client, (i) => ({ to: recipient(i), value: 1n, gasLimit: 21000n }))
console.log('signed')
const t0 = performance.now()
await Promise.all(queues.map(async (q) => { for (const tx of q) await client.call('eth_sendRawTransaction', [tx.raw]) }))
console.log('sent', performance.now() - t0)
for (let i = 0; i < 8; i++) {
  const bn = await client.call<string>('eth_blockNumber')
  const st = await client.call<any>('txpool_status')
  console.log(Math.round(performance.now() - t0), Number(bn), st)
  await new Promise(r => setTimeout(r, 1000))
}
console.log(node.outputTail().slice(-1500))
client.close(); await node.stop()
