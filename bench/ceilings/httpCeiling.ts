/**
 * The ceiling node:http puts on eth_blockNumber: the bare server (bareRpcServer.cjs, its own process, as
 * the nodes are) under the eth_blockNumber workload's load, answers checked the same way, and the CPU
 * its process spends per answer.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../test/support/devnetProcess.ts'
import { createRpcClient } from '../client.ts'
import { cannonRate, type CannonFigures } from '../load/cannon.ts'
import { awaitStdout } from '../nodes.ts'

const script = fileURLToPath(new URL('./bareRpcServer.cjs', import.meta.url))

/** Correct eth_blockNumber answers per second from the bare node:http server over `durationMs`, and its CPU per answer. */
export async function bareHttpCeiling(durationMs: number): Promise<CannonFigures> {
  const port = await freePort()
  const proc = spawn(process.execPath, [script, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = `http://127.0.0.1:${port}`
  const client = createRpcClient(url, 1)
  try {
    await awaitStdout(proc, 'the bare node:http server', (seen) => (seen.includes('listening') ? true : undefined), () => '')
    return await cannonRate(url, proc.pid!, client, { method: 'eth_blockNumber', params: [] }, '0x0', durationMs)
  } finally {
    client.close()
    proc.kill('SIGKILL')
  }
}
