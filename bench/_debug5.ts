import { spawn, execSync } from 'node:child_process'
import { createRpcClient } from './client.ts'
import { presign } from './workloads/txThroughput.ts'
import { recipient } from './accounts.ts'
const port = 20000 + Math.floor(Math.random() * 10000)
const p = spawn('node_modules/.bin/anvil', ['--port', String(port), '--host', '127.0.0.1', '--chain-id', '1337'], { stdio: 'ignore', detached: true })
process.on('exit', () => { try { process.kill(-p.pid!, 'SIGKILL') } catch {} })
await new Promise(r => setTimeout(r, 1500))
const client = createRpcClient(`http://127.0.0.1:${port}`, 32)
const queues = await presign(client, (i) => ({ to: recipient(i), value: 1n, gasLimit: 21000n }))
const t0 = performance.now()
await Promise.all(queues.map(async (q) => { for (const tx of q) await client.call('eth_sendRawTransaction', [tx.raw]) }))
for (let i = 0; i < 6; i++) {
  console.log(Math.round(performance.now() - t0), Number(await client.call<string>('eth_blockNumber')), (await client.call<any>('txpool_status')).pending)
  await new Promise(r => setTimeout(r, 5000))
}
process.exit(0)
