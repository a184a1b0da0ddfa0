/** Rewards (0x…0A05) on a bare VM with the registries and Attribution: its rules, payouts, views and gas. */
import { EVMError, type Log } from '@ethereumjs/evm'
import { Account, bytesToHex, createAddressFromString, type Address } from '@ethereumjs/util'
import { decodeEventLog, getAddress, keccak256, toHex, type Hex } from 'viem'
import { describe, expect, it, vi } from 'vitest'
import { DEFAULT_OPENLEDGER, type OpenLedgerConfig } from '../../../genesis/openledger.ts'
import { iAgentRegistryAbi } from '../../../precompiles/agentRegistry/abi.ts'
import { agentRegistry } from '../../../precompiles/agentRegistry/agentRegistry.ts'
import { iAttributionAbi } from '../../../precompiles/attribution/abi.ts'
import { attribution } from '../../../precompiles/attribution/attribution.ts'
import { iDatanetRegistryAbi } from '../../../precompiles/datanetRegistry/abi.ts'
import { datanetRegistry } from '../../../precompiles/datanetRegistry/datanetRegistry.ts'
import { iModelRegistryAbi } from '../../../precompiles/modelRegistry/abi.ts'
import { modelRegistry } from '../../../precompiles/modelRegistry/modelRegistry.ts'
import { iRewardsAbi } from '../../../precompiles/rewards/abi.ts'
import { Role, rewards } from '../../../precompiles/rewards/rewards.ts'
import { BPS, splitFee, sum } from '../../../precompiles/rewards/split.ts'
import { Draw, type RandomPolicy } from './rewardsRandom.ts'
import { ALICE, BOB, bareVM, callPrecompile } from './support.ts'

const SEED = BigInt(process.env.REWARDS_SEED ?? 20261126)
const ZERO_HASH = `0x${'00'.repeat(32)}` as Hex
const MODEL_OWNER = BOB
const AGENT_OWNER = createAddressFromString('0x00000000000000000000000000000000000a6e47')
const CONTRIBUTORS = ['0x000000000000000000000000000000000000c001', '0x000000000000000000000000000000000000c002', '0x000000000000000000000000000000000000c003'].map(createAddressFromString)
const TREASURY = createAddressFromString(DEFAULT_OPENLEDGER.rewards.treasury)
const MODEL_FEE = 1_000n
const AGENT_FEE = 500n

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => BigInt(from + i))
/** Contribution i's fingerprint: 30 values of its own (100·(i+1) + 1 …), none shared with another. */
const shinglesOf = (i: number) => range(100 * (i + 1) + 1, 30)
const inference = (n: number) => keccak256(toHex(`inference ${n}`))
const addressOf = (a: Address) => getAddress(a.toString())

const withPolicy = (policy: Partial<OpenLedgerConfig['rewards']>): OpenLedgerConfig => ({ ...DEFAULT_OPENLEDGER, rewards: { ...DEFAULT_OPENLEDGER.rewards, ...policy } })

/**
 * The registries, Attribution and Rewards on one VM: an open Datanet (1) with one approved contribution
 * of each of CONTRIBUTORS (ids 1…3), a curated Datanet (2) with a pending one of the first (id 4);
 * model 1 (MODEL_OWNER, fee 1,000) trained on Datanet 1, model 2 on Datanet 2, model 3 on none;
 * agent 1 (AGENT_OWNER, fee 500) using models 1 and 2.
 */
async function world(config: OpenLedgerConfig = DEFAULT_OPENLEDGER) {
  const [datanets, models, agents, scores, payments] = [datanetRegistry(config), modelRegistry(config), agentRegistry(config), attribution(config), rewards(config)]
  const t = await bareVM([datanets, models, agents, scores, payments])
  const w = {
    t,
    rewards: payments.address,
    datanet: (fn: string, args: readonly unknown[], caller = ALICE) => callPrecompile(t, datanets.address, iDatanetRegistryAbi, fn, args, { caller }),
    model: (fn: string, args: readonly unknown[], caller = MODEL_OWNER) => callPrecompile(t, models.address, iModelRegistryAbi, fn, args, { caller }),
    agent: (fn: string, args: readonly unknown[], caller = AGENT_OWNER) => callPrecompile(t, agents.address, iAgentRegistryAbi, fn, args, { caller }),
    view: async (fn: string, args: readonly unknown[] = []) => (await callPrecompile(t, payments.address, iRewardsAbi, fn, args)).result,
    /** payInference(modelId, agentId, output, inferenceId) from ALICE unless told. */
    pay: (args: readonly [bigint, bigint, readonly bigint[], Hex], value: bigint, opts: { caller?: Address; gasLimit?: bigint } = {}) => callPrecompile(t, payments.address, iRewardsAbi, 'payInference', args, { value, ...opts }),
    /** What Attribution's own score gives the same output (its weights decide the contributors' shares). */
    score: async (modelId: bigint, output: readonly bigint[]) => {
      const [ids, weights] = (await callPrecompile(t, scores.address, iAttributionAbi, 'score', [modelId, output, BigInt(config.rewards.maxContributors)])).result
      return { ids: ids as bigint[], weights: (weights as number[]).map(BigInt) }
    },
    balance: async (a: Address) => (await t.state.getAccount(a))?.balance ?? 0n,
  }
  await w.datanet('createDatanet', ['Open', '', 1, { curated: false, nearDuplicatePct: 0 }])
  await w.datanet('createDatanet', ['Curated', '', 1, { curated: true, nearDuplicatePct: 0 }])
  for (const [i, contributor] of CONTRIBUTORS.entries()) await w.datanet('submitContribution', [1n, keccak256(toHex(i)), '', shinglesOf(i)], contributor)
  await w.datanet('submitContribution', [2n, keccak256(toHex('pending')), '', shinglesOf(3)], CONTRIBUTORS[0])
  await w.model('registerModel', ['m1', '', '', ZERO_HASH, [1n], MODEL_FEE])
  await w.model('registerModel', ['m2', '', '', ZERO_HASH, [2n], MODEL_FEE])
  await w.model('registerModel', ['m3', '', '', ZERO_HASH, [], 0n])
  await w.agent('registerAgent', ['a1', '', [1n, 2n], AGENT_FEE])
  return w
}
type World = Awaited<ReturnType<typeof world>>

const PARTIES = [ALICE, MODEL_OWNER, AGENT_OWNER, ...CONTRIBUTORS, TREASURY]

async function balancesOf(w: World, accounts: Address[] = [...PARTIES, w.rewards]): Promise<bigint[]> {
  return Promise.all(accounts.map((a) => w.balance(a)))
}

function decodedLogs(logs: Log[]) {
  return logs.map(([, topics, data]) => decodeEventLog({ abi: iRewardsAbi, topics: topics.map((x) => bytesToHex(x)) as [Hex, ...Hex[]], data: bytesToHex(data) as Hex }))
}

describe('Rewards on a bare VM', () => {
  it('pays the model, the agent, the quoted contributor and the treasury, logs and counts every share', async () => {
    const w = await world()
    const before = await balancesOf(w)
    // 1,000,003 wei: 20% 200,000.6, 10% 100,000.3, 60% 600,001.8, floored; the treasury takes the rest.
    const paid = await w.pay([1n, 1n, shinglesOf(0).slice(0, 10), inference(1)], 1_000_003n)
    const expected = [
      { role: Role.Model, recipient: addressOf(MODEL_OWNER), id: 1n, amount: 200_000n },
      { role: Role.Agent, recipient: addressOf(AGENT_OWNER), id: 1n, amount: 100_000n },
      { role: Role.Contributor, recipient: addressOf(CONTRIBUTORS[0]), id: 1n, amount: 600_001n },
      { role: Role.Treasury, recipient: addressOf(TREASURY), id: 0n, amount: 100_002n },
    ]
    expect(paid.error).toBeUndefined()
    expect(paid.result).toEqual(expected)
    const after = await balancesOf(w)
    expect(after.map((b, i) => b - before[i])).toEqual([-1_000_003n, 200_000n, 100_000n, 600_001n, 0n, 0n, 100_002n, 0n])

    const [settled, ...rewardsPaid] = decodedLogs(paid.logs)
    expect(settled).toEqual({
      eventName: 'InferenceSettled',
      args: { inferenceId: inference(1), modelId: 1n, agentId: 1n, payer: addressOf(ALICE), fee: 1_000_003n, toModel: 200_000n, toAgent: 100_000n, toContributors: 600_001n, toTreasury: 100_002n },
    })
    expect(rewardsPaid).toEqual(expected.map((s) => ({ eventName: 'RewardPaid', args: { inferenceId: inference(1), ...s } })))

    await w.pay([1n, 1n, shinglesOf(0).slice(5, 15), inference(2)], 2_000n)
    expect(await w.view('isSettled', [inference(1)])).toBe(true)
    expect(await w.view('isSettled', [inference(3)])).toBe(false)
    expect(await w.view('earnedBy', [addressOf(MODEL_OWNER)])).toBe(200_400n)
    expect(await w.view('earnedByModel', [1n])).toBe(200_400n)
    expect(await w.view('earnedByAgent', [1n])).toBe(100_200n)
    expect(await w.view('earnedByContribution', [1n])).toBe(601_201n)
    expect(await w.view('earnedByContribution', [2n])).toBe(0n)
    expect(await w.view('earnedBy', [addressOf(TREASURY)])).toBe(100_202n)
    expect(await w.view('earnedBy', [addressOf(ALICE)])).toBe(0n)
    expect(await w.view('policy')).toEqual({ modelBps: 2_000, agentBps: 1_000, contributorsBps: 6_000, treasuryBps: 1_000, treasury: addressOf(TREASURY), maxContributors: 16 })
  })

  it("shares the contributors' pool by Attribution's weights, in its order", async () => {
    const w = await world()
    const output = [...shinglesOf(1).slice(0, 4), ...shinglesOf(0).slice(0, 12), ...shinglesOf(2).slice(20, 22)]
    const { ids, weights } = await w.score(1n, output)
    expect(ids).toHaveLength(3)
    const fee = 10n ** 18n + 7n
    const split = splitFee(fee, DEFAULT_OPENLEDGER.rewards, weights)
    const paid = await w.pay([1n, 1n, output, inference(1)], fee)
    const contributors = paid.result.filter((s: any) => s.role === Role.Contributor)
    expect(contributors).toEqual(ids.map((id, j) => ({ role: Role.Contributor, recipient: addressOf(CONTRIBUTORS[Number(id) - 1]), id, amount: split.contributors[j] })))
    expect(paid.result.at(-1).amount).toBe(split.treasury)
    for (const [j, id] of ids.entries()) expect(await w.view('earnedByContribution', [id])).toBe(split.contributors[j])
  })

  it("without an agent charges no agent fee and gives the agent's share to the treasury", async () => {
    const w = await world()
    expect((await w.pay([1n, 0n, shinglesOf(0), inference(1)], MODEL_FEE - 1n)).error).toMatchObject({ errorName: 'FeeTooLow', args: [MODEL_FEE - 1n, MODEL_FEE] })
    const paid = await w.pay([1n, 0n, shinglesOf(0), inference(1)], MODEL_FEE)
    expect(paid.result.map((s: any) => [s.role, s.amount])).toEqual([
      [Role.Model, 200n],
      [Role.Contributor, 600n],
      [Role.Treasury, 200n],
    ])
    expect(decodedLogs(paid.logs)[0].args).toMatchObject({ agentId: 0n, toAgent: 0n, toTreasury: 200n })
    expect(await w.view('earnedByAgent', [0n])).toBe(0n)
    // A free model and no fee: settled, logged, nobody paid.
    const free = await w.pay([3n, 0n, shinglesOf(0), inference(2)], 0n)
    expect(free.result).toEqual([])
    expect(decodedLogs(free.logs).map((l) => l.eventName)).toEqual(['InferenceSettled'])
    expect(await w.view('isSettled', [inference(2)])).toBe(true)
  })

  it('refuses an unknown model or agent, an agent not using the model, too low a fee, a zero or settled id', async () => {
    const w = await world()
    const output = shinglesOf(0)
    expect((await w.pay([9n, 0n, output, inference(1)], MODEL_FEE)).error).toMatchObject({ errorName: 'ModelNotFound', args: [9n] })
    expect((await w.pay([1n, 7n, output, inference(1)], MODEL_FEE)).error).toMatchObject({ errorName: 'AgentNotFound', args: [7n] })
    expect((await w.pay([3n, 1n, output, inference(1)], MODEL_FEE)).error).toMatchObject({ errorName: 'AgentDoesNotUseModel', args: [1n, 3n] })
    expect((await w.pay([1n, 1n, output, inference(1)], MODEL_FEE + AGENT_FEE - 1n)).error).toMatchObject({ errorName: 'FeeTooLow', args: [MODEL_FEE + AGENT_FEE - 1n, MODEL_FEE + AGENT_FEE] })
    expect((await w.pay([1n, 1n, output, ZERO_HASH], MODEL_FEE + AGENT_FEE)).error).toMatchObject({ errorName: 'ZeroInferenceId' })
    // Attribution's own errors come through Rewards by name.
    expect((await w.pay([1n, 1n, [5n, 6n, 5n], inference(1)], MODEL_FEE + AGENT_FEE)).error).toMatchObject({ errorName: 'RepeatedShingle', args: [2n, 5n] })
    expect((await w.pay([1n, 1n, output, inference(1)], MODEL_FEE + AGENT_FEE)).error).toBeUndefined()
    expect((await w.pay([1n, 1n, output, inference(1)], MODEL_FEE + AGENT_FEE)).error).toMatchObject({ errorName: 'InferenceAlreadySettled', args: [inference(1)] })
    // A deprecated model can still be paid for, through an agent that kept it.
    await w.model('deprecate', [1n])
    expect((await w.pay([1n, 1n, output, inference(2)], MODEL_FEE + AGENT_FEE)).result).toHaveLength(4)
  })

  it("pays nothing for a pending contribution, and gives the pool to the treasury when the output quotes nothing", async () => {
    const w = await world()
    const pending = await w.pay([2n, 1n, shinglesOf(3).slice(0, 10), inference(1)], 10_000n)
    expect(pending.result.map((s: any) => [s.role, s.amount])).toEqual([
      [Role.Model, 2_000n],
      [Role.Agent, 1_000n],
      [Role.Treasury, 7_000n],
    ])
    expect(await w.view('earnedByContribution', [4n])).toBe(0n)
    expect(await w.view('earnedBy', [addressOf(CONTRIBUTORS[0])])).toBe(0n)
    const nothing = await w.pay([1n, 0n, [999_999n, 888_888n], inference(2)], 10_000n)
    expect(nothing.result.map((s: any) => [s.role, s.amount])).toEqual([
      [Role.Model, 2_000n],
      [Role.Treasury, 8_000n],
    ])
    expect(decodedLogs(nothing.logs)[0].args).toMatchObject({ toContributors: 0n, toTreasury: 8_000n })
  })

  it('leaves balances, storage and logs untouched when it reverts or runs out of gas', async () => {
    const w = await world()
    await w.pay([1n, 1n, shinglesOf(0), inference(1)], 5_000n)
    const snapshot = async () => ({ balances: await balancesOf(w), storage: await w.t.state.dumpStorage(w.rewards) })
    const before = await snapshot()
    const replay = await w.pay([1n, 1n, shinglesOf(0), inference(1)], 5_000n)
    const tooLow = await w.pay([1n, 1n, shinglesOf(0), inference(2)], 1_499n)
    expect([replay.error?.errorName, tooLow.error?.errorName]).toEqual(['InferenceAlreadySettled', 'FeeTooLow'])
    // Starved after it has credited a share: the halt undoes the credits with everything else.
    const credits = vi.spyOn(w.t.vm.evm.journal, 'putAccount')
    const starved = await w.pay([1n, 1n, shinglesOf(1), inference(2)], 5_000n, { gasLimit: 120_000n })
    expect(starved.error?.errorName).toBe(EVMError.errorMessages.OUT_OF_GAS)
    expect(credits.mock.calls.some(([a]) => a.equals(MODEL_OWNER))).toBe(true)
    for (const failed of [replay, tooLow, starved]) expect(failed.logs).toEqual([])
    expect(await snapshot()).toEqual(before)
    expect(await w.view('isSettled', [inference(2)])).toBe(false)
  })

  it('bounds the gas of a settlement paying the most contributors a score returns', async () => {
    const w = await world()
    const max = DEFAULT_OPENLEDGER.rewards.maxContributors
    const many = Array.from({ length: max }, (_, i) => createAddressFromString(`0x${(0xd000 + i).toString(16).padStart(40, '0')}`))
    for (const [i, contributor] of many.entries()) await w.datanet('submitContribution', [1n, keccak256(toHex(`many ${i}`)), '', range(10_000 + 100 * i, 4)], contributor)
    await w.model('registerModel', ['m4', '', '', ZERO_HASH, [1n], MODEL_FEE])
    const one = await w.pay([1n, 1n, shinglesOf(0).slice(0, 8), inference(1)], 10n ** 18n)
    const output = many.flatMap((_, i) => range(10_000 + 100 * i, 2 + (i % 3)))
    const full = await w.pay([4n, 0n, output, inference(2)], 10n ** 18n, { gasLimit: 30_000_000n })
    expect(full.result.filter((s: any) => s.role === Role.Contributor)).toHaveLength(max)
    // Measured: 255,651 and 988,148 (most of it 20,000-gas first writes of counters and 25,000-gas new accounts).
    expect(one.gasUsed).toBeLessThan(300_000n)
    expect(full.gasUsed).toBeLessThan(1_100_000n)
  })

  it('refuses a fingerprint over the calldata bound before decoding it', async () => {
    const w = await world()
    const huge = await w.pay([1n, 1n, range(1, DEFAULT_OPENLEDGER.attribution.maxOutputShingles + 1), inference(1)], 5_000n)
    expect(huge.error?.errorName).toBe('CalldataTooLong')
  })

  it(`moves exactly the fee from payer to recipients in a few hundred random settlements (seed ${SEED})`, async () => {
    const draw = new Draw(SEED)
    let settlements = 0
    for (let round = 0; round < 10; round++) {
      const policy = draw.policy()
      const w = await world(withPolicy(policy))
      await w.t.state.putAccount(ALICE, new Account(0n, 1n << 200n))
      for (let k = 0; k < 20; k++) {
        settlements += 1
        await settleRandomly(w, draw, policy, inference(settlements))
      }
    }
    expect(settlements).toBe(200)
  })
})

/** One payInference of a random fee, agent and output: the shares match splitFee, and no wei is made or lost. */
async function settleRandomly(w: World, draw: Draw, policy: RandomPolicy, inferenceId: Hex): Promise<void> {
  const agentId = BigInt(draw.int(2))
  const fee = MODEL_FEE + (agentId === 1n ? AGENT_FEE : 0n) + draw.fee()
  const output = [...CONTRIBUTORS.keys()].flatMap((i) => shinglesOf(i).slice(draw.int(30)).slice(0, draw.int(8))).concat(range(900_000, draw.int(3)))
  const { weights } = await w.score(1n, output)
  const split = splitFee(fee, agentId === 1n ? policy : { ...policy, agentBps: 0 }, weights)
  const before = await balancesOf(w)
  const paid = await w.pay([1n, agentId, output, inferenceId], fee)
  const context = `${inferenceId}: fee ${fee}, agent ${agentId}, policy ${JSON.stringify(policy)}, weights ${weights}`
  expect(paid.error, context).toBeUndefined()
  const shares = paid.result as { role: number; recipient: Hex; amount: bigint }[]
  expect(sum(shares.map((s) => s.amount)), context).toBe(fee)
  const expected = [split.model, ...(agentId === 1n ? [split.agent] : []), ...split.contributors, split.treasury].filter((x) => x > 0n)
  expect(shares.map((s) => s.amount), context).toEqual(expected)
  expect(split.treasury >= (fee * BigInt(policy.treasuryBps)) / BPS, context).toBe(true)
  const after = await balancesOf(w)
  const credited = PARTIES.map((a) => sum(shares.filter((s) => s.recipient === addressOf(a)).map((s) => s.amount)))
  expect(after.map((b, i) => b - before[i]), context).toEqual([...credited.map((c, i) => (i === 0 ? c - fee : c)), 0n])
  expect(sum(after), context).toBe(sum(before))
  expect(after.at(-1), context).toBe(0n)
}
