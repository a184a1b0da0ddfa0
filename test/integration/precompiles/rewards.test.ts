/**
 * Rewards (0x…0A05) through real signed transactions over HTTP (viem) on the in-process node: a
 * curated Datanet with contributions of three accounts, a model and an agent on it, an inference paid
 * with value; the shares simulated with eth_call, the events in the receipt and from eth_getLogs, every
 * recipient's balance credited exactly, the views, and a replay refused with a decoded custom error.
 */
import { getAddress, keccak256, parseEventLogs, toHex, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_TREASURY } from '../../../genesis/openledger.ts'
import { iAgentRegistryAbi } from '../../../precompiles/agentRegistry/abi.ts'
import { PRECOMPILE_ADDRESSES } from '../../../precompiles/addresses.ts'
import { iDatanetRegistryAbi } from '../../../precompiles/datanetRegistry/abi.ts'
import { fingerprint } from '../../../precompiles/fingerprint.ts'
import { iModelRegistryAbi } from '../../../precompiles/modelRegistry/abi.ts'
import { iRewardsAbi } from '../../../precompiles/rewards/abi.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { address, clientsFor, read, revertOf, write, type Clients, type Target } from './clients.ts'

const DOCS = [
  'Open ledgers let every contributor of data be paid whenever a model trained on it earns, in proportion to how much their data helped produce the output.',
  'Attribution is computed on chain from fingerprints of hashed word shingles, deterministically and in integer arithmetic, so every node agrees to the last wei.',
  'A Datanet is a community data set with an owner, curators and a policy; contributions are content hashes and fingerprints, never the raw text itself.',
]
/** A model output quoting the first two documents at length and the third briefly. */
const OUTPUT =
  'As the docs put it: every contributor of data be paid whenever a model trained on it earns, in proportion to how much their data helped produce the output. ' +
  'Also, attribution is computed on chain from fingerprints of hashed word shingles. And contributions are content hashes and fingerprints.'
const TREASURY = getAddress(DEFAULT_TREASURY)
const ZERO_HASH = `0x${'00'.repeat(32)}` as Hex
const MODEL_FEE = 3n * 10n ** 15n
const AGENT_FEE = 10n ** 15n
const FEE = 10n ** 16n + 12_345n
const INFERENCE = keccak256(toHex('request 1'))
const Role = { Model: 0, Agent: 1, Contributor: 2, Treasury: 3 }

const fp = (text: string) => fingerprint(text, { shingleSize: 3 })

const DATANETS: Target = { address: PRECOMPILE_ADDRESSES.datanetRegistry, abi: iDatanetRegistryAbi }
const MODELS: Target = { address: PRECOMPILE_ADDRESSES.modelRegistry, abi: iModelRegistryAbi }
const AGENTS: Target = { address: PRECOMPILE_ADDRESSES.agentRegistry, abi: iAgentRegistryAbi }
const REWARDS: Target = { address: PRECOMPILE_ADDRESSES.rewards, abi: iRewardsAbi }

/** Wallets: 0 curates, 1–3 contribute, 4 owns the model, 5 the agent, 6 pays. */
const [CURATOR, MODEL_OWNER, AGENT_OWNER, PAYER] = [0, 4, 5, 6]

describe('Rewards over JSON-RPC', () => {
  let t: TestNode
  let c: Clients
  let contributions: bigint[]

  beforeAll(async () => {
    t = await spawnNode()
    c = clientsFor(t, 7)
    const datanet = (await write(c, DATANETS, CURATOR, 'createDatanet', ['Docs', '', 3, { curated: true, nearDuplicatePct: 0 }])).result
    contributions = []
    for (const [i, doc] of DOCS.entries()) contributions.push((await write(c, DATANETS, 1 + i, 'submitContribution', [datanet, keccak256(toHex(doc)), '', fp(doc)])).result)
    for (const id of contributions) await write(c, DATANETS, CURATOR, 'approve', [id])
    await write(c, MODELS, MODEL_OWNER, 'registerModel', ['Docs model', '', '', ZERO_HASH, [datanet], MODEL_FEE])
    await write(c, AGENTS, AGENT_OWNER, 'registerAgent', ['Docs agent', '', [1n], AGENT_FEE])
  })

  afterAll(async () => {
    await t?.close()
  })

  it('pays every share to its recipient in the transaction, as simulated, logged and counted', async () => {
    const args = [1n, 1n, fp(OUTPUT), INFERENCE] as const
    expect(await revertOf(c, REWARDS, PAYER, 'payInference', args, MODEL_FEE + AGENT_FEE - 1n)).toEqual({ errorName: 'FeeTooLow', args: [MODEL_FEE + AGENT_FEE - 1n, MODEL_FEE + AGENT_FEE] })
    const recipients = [address(c, MODEL_OWNER), address(c, AGENT_OWNER), address(c, 1), address(c, 2), address(c, 3), TREASURY] as Hex[]
    const before = await Promise.all(recipients.map((a) => c.pub.getBalance({ address: a })))
    const payerBefore = await c.pub.getBalance({ address: address(c, PAYER) })

    const { result: simulated, receipt } = await write(c, REWARDS, PAYER, 'payInference', args, FEE)
    expect(simulated.map((s: any) => s.role)).toEqual([Role.Model, Role.Agent, Role.Contributor, Role.Contributor, Role.Contributor, Role.Treasury])
    expect(simulated.filter((s: any) => s.role === Role.Contributor).map((s: any) => s.id).sort()).toEqual(contributions)
    const total = (shares: any[]) => shares.reduce((sum: bigint, s: any) => sum + s.amount, 0n)
    expect(total(simulated)).toBe(FEE)
    const toContributors = total(simulated.filter((s: any) => s.role === Role.Contributor))

    const [settled, ...paid] = parseEventLogs({ abi: iRewardsAbi, logs: receipt.logs })
    expect(settled.eventName).toBe('InferenceSettled')
    expect(settled.args).toEqual({ inferenceId: INFERENCE, modelId: 1n, agentId: 1n, payer: address(c, PAYER), fee: FEE, toModel: FEE / 5n, toAgent: FEE / 10n, toContributors, toTreasury: simulated.at(-1).amount })
    expect(paid.map((l) => [l.eventName, l.args])).toEqual(simulated.map((s: any) => ['RewardPaid', { inferenceId: INFERENCE, ...s }]))
    const fromNode = await c.pub.getLogs({ address: REWARDS.address, fromBlock: receipt.blockNumber, toBlock: receipt.blockNumber })
    expect(parseEventLogs({ abi: iRewardsAbi, logs: fromNode })).toEqual(parseEventLogs({ abi: iRewardsAbi, logs: receipt.logs }))

    const after = await Promise.all(recipients.map((a) => c.pub.getBalance({ address: a })))
    const credited = recipients.map((a) => total(simulated.filter((s: any) => s.recipient === a)))
    expect(after.map((b, i) => b - before[i])).toEqual(credited)
    expect(credited.every((x) => x > 0n)).toBe(true)
    const gasCost = (receipt.gasUsed as bigint) * (receipt.effectiveGasPrice as bigint)
    expect(await c.pub.getBalance({ address: address(c, PAYER) })).toBe(payerBefore - FEE - gasCost)
    expect(await c.pub.getBalance({ address: REWARDS.address })).toBe(0n)

    expect(await read(c, REWARDS, 'isSettled', [INFERENCE])).toBe(true)
    expect(await read(c, REWARDS, 'earnedByModel', [1n])).toBe(simulated[0].amount)
    expect(await read(c, REWARDS, 'earnedByAgent', [1n])).toBe(simulated[1].amount)
    for (const s of simulated.filter((x: any) => x.role === Role.Contributor)) {
      expect(await read(c, REWARDS, 'earnedByContribution', [s.id])).toBe(s.amount)
      expect(await read(c, REWARDS, 'earnedBy', [s.recipient])).toBe(s.amount)
    }
    expect(await read(c, REWARDS, 'earnedBy', [TREASURY])).toBe(simulated.at(-1).amount)
    expect(await read(c, REWARDS, 'policy')).toEqual({ modelBps: 2_000, agentBps: 1_000, contributorsBps: 6_000, treasuryBps: 1_000, treasury: TREASURY, maxContributors: 16 })
  })

  it('refuses a replay of a settled inference with InferenceAlreadySettled, decoded by viem, and a mined replay pays nobody', async () => {
    const args = [1n, 1n, fp(OUTPUT), INFERENCE] as const
    expect(await revertOf(c, REWARDS, PAYER, 'payInference', args, FEE)).toEqual({ errorName: 'InferenceAlreadySettled', args: [INFERENCE] })
    const watched = [address(c, PAYER), address(c, MODEL_OWNER), TREASURY] as Hex[]
    const before = await Promise.all(watched.map((a) => c.pub.getBalance({ address: a })))
    const hash = await c.wallets[PAYER].writeContract({ address: REWARDS.address, abi: iRewardsAbi, functionName: 'payInference', args, value: FEE, gas: 500_000n })
    const receipt = await c.pub.waitForTransactionReceipt({ hash, pollingInterval: 50 })
    expect([receipt.status, receipt.logs]).toEqual(['reverted', []])
    const after = await Promise.all(watched.map((a) => c.pub.getBalance({ address: a })))
    expect(after).toEqual([before[0] - receipt.gasUsed * receipt.effectiveGasPrice, before[1], before[2]])
    expect(await revertOf(c, REWARDS, PAYER, 'payInference', [1n, 2n, fp(OUTPUT), keccak256(toHex('request 2'))], FEE)).toEqual({ errorName: 'AgentNotFound', args: [2n] })
  })
})
