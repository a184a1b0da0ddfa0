/**
 * Grows an open Datanet on one node, recording how long each step took, the gas of its submissions
 * and the database bytes it added, and leaves a compacted copy of the datadir at each size (the
 * fixture) for the measurements to start from. A fixture kept from an earlier run is grown on from its
 * largest size.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { deployer, senders as senderWallets } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { PRECOMPILE_ADDRESSES } from '../../precompiles/addresses.ts'
import { startPrecompileBenchNode, type PrecompileBenchNode } from './benchNode.ts'
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
  /** Sizes grown so far, ascending: each has a datadir copy, snapshotDir(dir, size). */
  sizes: number[]
  openDatanet: string
  curatedDatanet: string
}

export function readFixture(dir: string): Fixture | undefined {
  const file = path.join(dir, FIXTURE_FILE)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Fixture) : undefined
}

export const snapshotDir = (dir: string, size: number) => path.join(dir, String(size))

/** The id a registry call returns is its first event's first indexed topic (DatanetCreated, ModelRegistered, …). */
export async function created(client: RpcClient, from: Account, to: string, data: Uint8Array): Promise<bigint> {
  const done = await send(client, from, { to, data, gasLimit: await gasLimitFor(client, from, to, data) })
  return BigInt(done.logs[0].topics[1])
}

async function createDatanets(client: RpcClient): Promise<Fixture> {
  const owner = await account(client, deployer)
  const registry = PRECOMPILE_ADDRESSES.datanetRegistry
  const openId = await created(client, owner, registry, createDatanet('bench-open', false))
  const curatedId = await created(client, owner, registry, createDatanet('bench-curated', true))
  return { sizes: [], openDatanet: String(openId), curatedDatanet: String(curatedId) }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`

export interface Growth {
  /** Grows the open Datanet to `size` contributions, records its rows, and keeps a copy: the fixture after. */
  growTo(size: number, rows: Rows): Promise<Fixture>
  close(): Promise<void>
}

export async function startGrowth(dir: string, kept: Fixture | undefined): Promise<Growth> {
  const from = kept?.sizes.at(-1) ?? 0
  const node: PrecompileBenchNode = await startPrecompileBenchNode(kept && from > 0 ? snapshotDir(dir, from) : undefined)
  const fixture = kept ?? (await createDatanets(node.client()))
  const senders = await Promise.all(senderWallets.map((w) => account(node.client(), w)))
  // Contribution from + 2 is an unrelated document (shingles.ts): every shingle new, the most costly kind.
  const submission = submitContribution(BigInt(fixture.openDatanet), OPEN_STREAM, from + 2)
  const gasLimit = await gasLimitFor(node.client(), senders[0], PRECOMPILE_ADDRESSES.datanetRegistry, submission)
  let bytes = await node.compactedSize()
  let size = from
  return {
    async growTo(target, rows) {
      console.log(`  growing the open Datanet from ${size} to ${target} contributions`)
      const pop = await populate(node.client(), senders, BigInt(fixture.openDatanet), OPEN_STREAM, { from: size, to: target }, gasLimit)
      const rate = (pop.contributions / pop.seconds).toFixed(1)
      rows.add(ROW.populate, target, [pop.seconds], `${pop.contributions} contributions in ${pop.blocks} blocks, ${rate}/s; ${pop.cpuSeconds.toFixed(0)} s CPU, ${pop.signSeconds.toFixed(1)} s signing`)
      rows.add(ROW.openGas, target, pop.gas)
      const grown = await node.compactedSize(snapshotDir(dir, target))
      rows.add(ROW.dbBytes, target, [(grown - bytes) / pop.contributions], `${mb(bytes)} -> ${mb(grown)}`)
      ;[bytes, size] = [grown, target]
      fixture.sizes.push(target)
      writeFileSync(path.join(dir, FIXTURE_FILE), `${JSON.stringify(fixture, null, 2)}\n`)
      return fixture
    },
    close: () => node.remove(),
  }
}
