/**
 * The validators section of `npm run bench`: one network of four validators (1 s blocks) measured for
 * receipt latency, block propagation, sustained throughput, and a new node's catch-up, in that order.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createRpcClient, type RpcClient } from '../client.ts'
import type { WorkloadResult } from '../report.ts'
import { measureCatchUp } from './catchUp.ts'
import { HeadWatcher } from './heads.ts'
import { measureLatency } from './latency.ts'
import { startValidators, type ValidatorNetwork } from './network.ts'
import { bundleNodeScript } from './processes.ts'
import { propagationDelays } from './propagation.ts'
import { LATENCY_RATE_PER_S, LATENCY_TXS, THROUGHPUT_TXS_PER_SENDER, readValidatorsSettings, type ValidatorsSettings } from './settings.ts'
import { percentile } from './stats.ts'
import { measureThroughput } from './throughput.ts'

const HEIGHT_POLL_MS = 500
/** Blocks every validator must have before measuring: the peers have met and agree. */
const WARM_UP_BLOCKS = 3

const row = (name: string, unit: string, value: number): WorkloadResult => ({ name: `Validators: ${name}`, unit, section: 'validators', outcomes: { olnode: { runs: [value] } } })

async function waitForHeight(clients: RpcClient[], height: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const heights = await Promise.all(clients.map(async (c) => Number(await c.call<string>('eth_blockNumber'))))
    if (heights.every((h) => h >= height)) return
    if (performance.now() > deadline) throw new Error(`validators at heights ${heights.join(', ')}, not ${height}, after ${timeoutMs / 1_000} s`)
    await new Promise((resolve) => setTimeout(resolve, HEIGHT_POLL_MS))
  }
}

/** Names the phase in an error, so a failure says where it happened. */
async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

async function measure(net: ValidatorNetwork, clients: RpcClient[], heads: HeadWatcher, settings: ValidatorsSettings): Promise<WorkloadResult[]> {
  await phase('warm-up', () => waitForHeight(clients, WARM_UP_BLOCKS, 60_000))
  const latency = await phase('latency', () => measureLatency(clients, heads, LATENCY_TXS, LATENCY_RATE_PER_S))
  console.log(`  receipt latency: median ${Math.round(percentile(latency, 50))} ms, p99 ${Math.round(percentile(latency, 99))} ms`)
  const tps = await phase('throughput', () => measureThroughput(clients, heads, settings.throughputWindowMs, THROUGHPUT_TXS_PER_SENDER))
  console.log(`  sustained throughput: ${Math.round(tps)} tx/s`)
  // At 1 s blocks the chain needs about catchUpBlocks seconds in all to be that long.
  await phase('chain growth', () => waitForHeight(clients, settings.catchUpBlocks, settings.catchUpBlocks * 3_000))
  const catchUp = await phase('catch-up', () => measureCatchUp(net.startFullNode, clients[0]))
  console.log(`  catch-up: ${catchUp.blocks} blocks in ${catchUp.seconds.toFixed(1)} s`)
  const delays = propagationDelays(heads.arrivals, net.nodeOf)
  console.log(`  propagation: median ${Math.round(percentile(delays, 50))} ms, p99 ${Math.round(percentile(delays, 99))} ms over ${delays.length} samples`)
  return [
    row('send to final receipt, median', 'ms', percentile(latency, 50)),
    row('send to final receipt, p99', 'ms', percentile(latency, 99)),
    row('block propagation, median', 'ms', percentile(delays, 50)),
    row('block propagation, p99', 'ms', percentile(delays, 99)),
    row('sustained throughput', 'tx/s', tps),
    row('new node catch-up', 'blocks/s', catchUp.blocks / catchUp.seconds),
  ]
}

/** Runs the whole section once; every process and datadir is gone when it returns or throws. */
export async function benchValidators(): Promise<WorkloadResult[]> {
  const settings = readValidatorsSettings()
  await bundleNodeScript()
  const dir = mkdtempSync(path.join(tmpdir(), 'olnode-bench-validators-'))
  try {
    const net = await startValidators(dir)
    const clients = net.nodes.map((n) => createRpcClient(n.rpc, 16))
    const heads = await HeadWatcher.open(net.nodes.map((n) => n.ws)).catch(async (err) => {
      await net.stop()
      throw err
    })
    try {
      return await measure(net, clients, heads, settings)
    } finally {
      heads.close()
      clients.forEach((c) => c.close())
      await net.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
