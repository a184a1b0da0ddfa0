import { createRpcClient } from './client.ts'
import { killNodesOnExit, startNode } from './nodes.ts'
import { presign, measureTxThroughput } from './workloads/txThroughput.ts'
import { recipient } from './accounts.ts'
killNodesOnExit()
for (let run = 0; run < 3; run++) {
const node = await startNode('anvil')
const client = createRpcClient(node.url, 32)
const queues = await presign(client, (i) => ({ to: recipient(i), value: 1n, gasLimit: 21000n }))
const rate = await measureTxThroughput(client, queues)
const n = Number(await client.call<string>('eth_blockNumber'))
const sizes: number[] = []
for (let b = 1; b <= n; b++) sizes.push(((await client.call<any>('eth_getBlockByNumber', ['0x' + b.toString(16), false])).transactions.length))
const big = sizes.map((s, i) => [i + 1, s]).filter(([, s]) => s > 5)
console.log('rate', Math.round(rate), 'blocks', n, 'big blocks', JSON.stringify(big))
client.close(); await node.stop()
}
