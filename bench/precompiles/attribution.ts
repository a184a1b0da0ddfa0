/**
 * The precompile section of `npm run bench` (olnode only: anvil has no such precompiles). An open
 * Datanet is grown through the configured sizes (100, 1,000, 10,000; growth.ts), and after each, on a
 * node started from that size's copy of the datadir: submit and approve on a curated Datanet, a model
 * trained on the open Datanet at that version, and score() and payInference() of a 1,000-shingle
 * output against it. BENCH_DATANET_FIXTURE keeps the grown datadirs in a directory: a later run
 * measures on the sizes it holds without growing them again (their growth rows keep their earlier
 * figures) and grows on from the largest.
 */
import { encodeFunctionData } from 'viem'
import { deployer } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import type { BenchConfig } from '../config.ts'
import { iAttributionAbi } from '../../precompiles/attribution/abi.ts'
import { PRECOMPILE_ADDRESSES } from '../../precompiles/addresses.ts'
import { iRewardsAbi } from '../../precompiles/rewards/abi.ts'
import { startPrecompileBenchNode, tempDir } from './benchNode.ts'
import { registerAgent, registerModel } from './calls.ts'
import { created, CURATED_STREAM, readFixture, snapshotDir, startGrowth, type Fixture, type Growth } from './growth.ts'
import { payments, scoreCalls, submitAndApprove, type Sample } from './measure.ts'
import { ROW, type RowKind, type Rows } from './rows.ts'
import { account, type Account } from './tx.ts'

const MODEL_FEE = 10n ** 15n
const AGENT_FEE = 10n ** 14n

/** Whether this build registers the precompile (an unregistered address runs its placeholder code, which reverts). */
async function answers(client: RpcClient, to: string, data: string): Promise<boolean> {
  return client.call('eth_call', [{ to, data }, 'latest']).then(
    () => true,
    () => false,
  )
}

/** Runs `work` and records its samples as a time row and a gas row, or both as failed. */
async function timedRows(rows: Rows, names: [RowKind, RowKind], size: number, work: () => Promise<Sample[]>): Promise<void> {
  try {
    const samples = await work()
    rows.add(names[0], size, samples.map((s) => s.ms))
    rows.add(names[1], size, samples.map((s) => Number(s.gas)))
  } catch (err) {
    rows.fail(names[0], size, err)
    rows.fail(names[1], size, err)
  }
}

async function scoreAndPay(client: RpcClient, owner: Account, fixture: Fixture, size: number, samples: number, rows: Rows): Promise<void> {
  const model = await created(client, owner, PRECOMPILE_ADDRESSES.modelRegistry, registerModel(`bench-model-${size}`, [BigInt(fixture.openDatanet)], MODEL_FEE))
  const agent = await created(client, owner, PRECOMPILE_ADDRESSES.agentRegistry, registerAgent(`bench-agent-${size}`, [model], AGENT_FEE))
  const hasAttribution = await answers(client, PRECOMPILE_ADDRESSES.attribution, encodeFunctionData({ abi: iAttributionAbi, functionName: 'limits' }))
  const hasRewards = await answers(client, PRECOMPILE_ADDRESSES.rewards, encodeFunctionData({ abi: iRewardsAbi, functionName: 'policy' }))
  await timedRows(rows, [ROW.scoreMs, ROW.scoreGas], size, async () => {
    if (!hasAttribution) throw new Error('Attribution (0x…0A04) is not in this build')
    return scoreCalls(client, model, samples)
  })
  await timedRows(rows, [ROW.payMs, ROW.payGas], size, async () => {
    if (!hasRewards) throw new Error('Rewards (0x…0A05) is not in this build')
    return payments(client, owner, { model, agent }, MODEL_FEE + AGENT_FEE, samples)
  })
}

/** Every timed operation on a node started from the datadir grown to `size`. */
async function measureAt(dir: string, fixture: Fixture, size: number, samples: number, rows: Rows): Promise<void> {
  console.log(`  measuring at ${size} contributions`)
  const node = await startPrecompileBenchNode(snapshotDir(dir, size))
  try {
    const client = node.client()
    const owner = await account(client, deployer)
    const curated = await submitAndApprove(client, owner, BigInt(fixture.curatedDatanet), CURATED_STREAM, 0, samples)
    rows.add(ROW.submitMs, size, curated.submit.map((s) => s.ms))
    rows.add(ROW.submitGas, size, curated.submit.map((s) => Number(s.gas)))
    rows.add(ROW.approveMs, size, curated.approve.map((s) => s.ms))
    rows.add(ROW.approveGas, size, curated.approve.map((s) => Number(s.gas)))
    await scoreAndPay(client, owner, fixture, size, samples, rows)
  } finally {
    await node.remove()
  }
}

/** Fills `rows` as it goes, so that what was measured survives a later failure or the time limit. */
export async function benchAttribution(config: BenchConfig, rows: Rows): Promise<void> {
  const dir = config.datanetFixture ?? tempDir('olnode-bench-datanet-')
  let fixture = readFixture(dir)
  let growth: Growth | undefined
  try {
    for (const size of config.datanetSizes) {
      rows.stage = size
      rows.stageReused = fixture?.sizes.includes(size) ?? false
      if (fixture?.sizes.includes(size)) console.log(`  reusing the Datanet grown to ${size} in ${dir}`)
      else if (size < (fixture?.sizes.at(-1) ?? 0)) throw new Error(`${dir} holds a Datanet grown past ${size}: give BENCH_DATANET_FIXTURE another directory`)
      else fixture = await (growth ??= await startGrowth(dir, fixture)).growTo(size, rows)
      await measureAt(dir, fixture!, size, config.precompileSamples, rows)
    }
  } finally {
    await growth?.close()
  }
}
