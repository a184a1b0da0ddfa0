import { spawn } from 'node:child_process'
import { createRpcClient } from './client.ts'
import { presign } from './workloads/txThroughput.ts'
import { recipient } from './accounts.ts'
const [loops, stdio, ...extra] = process.argv.slice(2)
const port = 20000 + Math.floor(Math.random() * 10000)
const p = spawn('node_modules/.bin/anvil', ['--port', String(port), '--host', '127.0.0.1', '--chain-id', '1337', ...extra], { stdio: stdio === 'ignore' ? 'ignore' : ['ignore', 'pipe', 'pipe'], detached: true })
if (stdio !== 'ignore') { p.stdout!.on('data', () => {}); p.stderr!.on('data', () => {}) }
process.on('exit', () => { try { process.kill(-p.pid!, 'SIGKILL') } catch {} })
await new Promise(r => setTimeout(r, 1500))
const client = createRpcClient(`http://127.0.0.1:${port}`, 32)
const queues = await presign(client, (i) => ({ to: recipient(i), value: 1n, gasLimit: 21000n }))
const groups: any[][] = Array.from({ length: Number(loops) }, () => [])
queues.forEach((q, i) => groups[i % Number(loops)].push(...q))
const t0 = performance.now()
await Promise.all(groups.map(async (q) => { for (const tx of q) await client.call('eth_sendRawTransaction', [tx.raw]) }))
const sent = performance.now() - t0
for (let i = 0; i < 40; i++) {
  const st = await client.call<any>('txpool_status')
  const bn = Number(await client.call<string>('eth_blockNumber'))
  if (st.pending === '0x0') { console.log(process.argv.slice(2).join(' '), ': sent', Math.round(sent), 'done at', Math.round(performance.now() - t0), 'blocks', bn); break }
  if (i === 39) console.log(process.argv.slice(2).join(' '), ': STUCK', st, 'blocks', bn)
  await new Promise(r => setTimeout(r, 250))
}
client.close(); process.exit(0)
