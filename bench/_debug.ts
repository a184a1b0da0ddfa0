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
console.log(await client.call('eth_blockNumber'))
await new Promise(r => setTimeout(r, 2000))
console.log(await client.call('eth_blockNumber'))
const r = await client.batch(queues.flat().slice(0, 5).map(t => ({ method: 'eth_getTransactionReceipt', params: [t.hash] })))
console.log(JSON.stringify(r).slice(0, 1500))
console.log(queues[0][0].hash)
client.close(); await node.stop()
