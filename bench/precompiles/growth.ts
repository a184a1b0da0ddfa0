/**
 * Grows an open Datanet through the benchmark's sizes on one node, recording how long each step took,
 * the gas of its submissions and the database bytes it added, and leaves a compacted copy of the
 * datadir at each size (the fixture) for the measurements to start from.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { deployer, senders as senderWallets } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { PRECOMPILE_ADDRESSES } from '../../precompiles/addresses.ts'
import { startPrecompileBenchNode } from './benchNode.ts'
import { createDatanet, submitContribution } from './calls.ts'
import { gasLimitFor } from './measure.ts'
import { populate } from './populate.ts'
import { ROW, type Rows } from './rows.ts'
import { account, send, type Account } from './tx.ts'

/** Datanet streams of shingles.ts: the grown open Datanet's, and the curated one's. */
export const OPEN_STREAM = 1
export const CURATED_STREAM = 2
const FIXTURE_FILE = 'fixture.json'

export interface Fixture {
  sizes: number[]
  openDatanet: string
  curatedDatanet: string
}

/** The fixture in `dir` if it holds exactly these sizes. */
export function readFixture(dir: string, sizes: number[]): Fixture | undefined {
  const file = path.join(dir, FIXTURE_FILE)
  if (!existsSync(file)) return undefined
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as Fixture
  return fixture.sizes.join() === sizes.join() ? fixture : undefined
}

export const snapshotDir = (dir: string, size: number) => path.join(dir, String(size))

/** The id a registry call returns is its first event's first indexed topic (DatanetCreated, ModelRegistered, …). */
export async function created(client: RpcClient, from: Account, to: string, data: Uint8Array): Promise<bigint> {
  const done = await send(client, from, { to, data, gasLimit: await gasLimitFor(client, from, to, data) })
  return BigInt(done.logs[0].topics[1])
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`

export async function grow(dir: string, sizes: number[], rows: Rows): Promise<Fixture> {
  const node = await startPrecompileBenchNode()
  try {
    const client = node.client()
    const owner = await account(client, deployer)
    const registry = PRECOMPILE_ADDRESSES.datanetRegistry
    const openId = await created(client, owner, registry, createDatanet('bench-open', false))
    const curatedId = await created(client, owner, registry, createDatanet('bench-curated', true))
    const senders = await Promise.all(senderWallets.map((w) => account(client, w)))
    // A first contribution indexes all its shingles anew: no later one costs more (it finds some indexed).
    const gasLimit = await gasLimitFor(client, senders[0], registry, submitContribution(openId, OPEN_STREAM, 0))
    let bytes = await node.compactedSize()
    let size = 0
    for (const target of sizes) {
      console.log(`  growing the open Datanet to ${target} contributions`)
      const pop = await populate(node.client(), senders, openId, OPEN_STREAM, { from: size, to: target }, gasLimit)
      const rate = Math.round(pop.contributions / pop.seconds)
      rows.add(ROW.populate, 's', target, [pop.seconds], `${pop.contributions} contributions in ${pop.blocks} blocks, ${rate}/s; ${pop.cpuSeconds.toFixed(0)} s CPU, ${pop.signSeconds.toFixed(1)} s signing`)
      rows.add(ROW.openGas, 'gas', target, pop.gas)
      const grown = await node.compactedSize(snapshotDir(dir, target))
      rows.add(ROW.dbBytes, 'bytes', target, [(grown - bytes) / pop.contributions], `${mb(bytes)} -> ${mb(grown)}`)
      ;[bytes, size] = [grown, target]
    }
    const fixture = { sizes, openDatanet: String(openId), curatedDatanet: String(curatedId) }
    writeFileSync(path.join(dir, FIXTURE_FILE), `${JSON.stringify(fixture, null, 2)}\n`)
    return fixture
  } finally {
    await node.remove()
  }
}
