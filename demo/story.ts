/**
 * The OpenLedger story, one small step per function, on the precompiles through the viem client:
 * a curated Datanet, three contributions, a LoRA model trained on them, an agent, one paid inference,
 * and who earned what. Returns what happened, for the demo to print and the test to check.
 */
import { keccak256, parseEther, parseEventLogs, toHex, type Address, type Hex, type PublicClient } from 'viem'
import { iModelRegistryAbi } from '../precompiles/modelRegistry/abi.ts'
import { iAgentRegistryAbi } from '../precompiles/agentRegistry/abi.ts'
import { iDatanetRegistryAbi } from '../precompiles/datanetRegistry/abi.ts'
import {
  contentHashOf,
  contributeText,
  inferenceFee,
  inferenceFingerprint,
  openLedgerContracts,
  payInference,
  sendSimulated,
  type OpenLedgerClients,
  type Share,
} from '../precompiles/client.ts'
import { DOCUMENTS, INFERENCE_OUTPUT } from './documents.ts'

/** Who plays which part: each a public client and a wallet client with its own account. */
export interface Cast {
  curator: OpenLedgerClients
  contributors: readonly [OpenLedgerClients, OpenLedgerClients, OpenLedgerClients]
  modelOwner: OpenLedgerClients
  agentOwner: OpenLedgerClients
  user: OpenLedgerClients
}

export const MODEL_FEE = parseEther('0.02')
export const AGENT_FEE = parseEther('0.01')
/** Paid above the two fees; Rewards splits the whole fee by its policy. */
export const TIP = parseEther('0.0075')
const SHINGLE_SIZE = 4
const LORA_ADAPTER = keccak256(toHex('demo LoRA adapter weights, rank 16'))

export interface StoryResult {
  datanetId: bigint
  contributionIds: bigint[]
  modelId: bigint
  agentId: bigint
  inferenceId: Hex
  fee: bigint
  /** Attribution.score of the output, read before paying. */
  score: { contributionIds: bigint[]; weightsPpm: number[] }
  shares: Share[]
  /** The payer's gas cost of the payInference transaction. */
  gasCost: bigint
  /** Balance after the payment minus before, for every participant and the treasury. */
  balanceDeltas: Map<Address, bigint>
  /** Rewards.earnedBy after the payment minus before, for the same accounts. */
  earnedDeltas: Map<Address, bigint>
  /** Rewards.earnedBy after the payment (all-time, so more than the deltas on a chain the demo ran on before). */
  earnedBy: Map<Address, bigint>
  treasury: Address
  views: { earnedByModel: bigint; earnedByAgent: bigint; earnedByContribution: bigint[]; isSettled: boolean }
}

export async function runStory(cast: Cast): Promise<StoryResult> {
  const datanetId = await createDatanet(cast.curator)
  const contributionIds = await contributeDocuments(cast.contributors, datanetId)
  await approveAll(cast.curator, contributionIds)
  const modelId = await registerLoraModel(cast.modelOwner, datanetId)
  const agentId = await registerAgent(cast.agentOwner, modelId)
  const score = await scoreOutput(cast.user.public, modelId)
  const fee = (await inferenceFee(cast.user.public, modelId, agentId)) + TIP
  const payment = await payWithAccounting(cast, modelId, agentId, fee)
  return { datanetId, contributionIds, modelId, agentId, fee, score, ...payment, views: await rewardViews(cast.user.public, modelId, agentId, contributionIds, payment.inferenceId) }
}

async function createDatanet(curator: OpenLedgerClients): Promise<bigint> {
  const { datanetRegistry } = openLedgerContracts(curator)
  const policy = { curated: true, nearDuplicatePct: 0 }
  const sent = await sendSimulated(curator, datanetRegistry.simulate.createDatanet(['Open Climate Notes', 'ipfs://demo/open-climate-notes', SHINGLE_SIZE, policy], { account: curator.wallet.account.address }))
  return parseEventLogs({ abi: iDatanetRegistryAbi, logs: sent.receipt.logs, eventName: 'DatanetCreated' })[0].args.datanetId
}

/** Each contributor submits one document; they wait as pending in the curated Datanet. */
async function contributeDocuments(contributors: Cast['contributors'], datanetId: bigint): Promise<bigint[]> {
  const ids: bigint[] = []
  for (const [i, doc] of DOCUMENTS.entries()) ids.push((await contributeText(contributors[i], datanetId, doc.text, doc.uri)).result)
  return ids
}

async function approveAll(curator: OpenLedgerClients, contributionIds: readonly bigint[]): Promise<void> {
  const { datanetRegistry } = openLedgerContracts(curator)
  for (const id of contributionIds) await sendSimulated(curator, datanetRegistry.simulate.approve([id], { account: curator.wallet.account.address }))
}

async function registerLoraModel(owner: OpenLedgerClients, datanetId: bigint): Promise<bigint> {
  const { modelRegistry } = openLedgerContracts(owner)
  const args = ['climate-notes-lora', 'ipfs://demo/climate-notes-lora', 'meta-llama/Llama-3.1-8B', LORA_ADAPTER, [datanetId], MODEL_FEE] as const
  const sent = await sendSimulated(owner, modelRegistry.simulate.registerModel(args, { account: owner.wallet.account.address }))
  return parseEventLogs({ abi: iModelRegistryAbi, logs: sent.receipt.logs, eventName: 'ModelRegistered' })[0].args.modelId
}

async function registerAgent(owner: OpenLedgerClients, modelId: bigint): Promise<bigint> {
  const { agentRegistry } = openLedgerContracts(owner)
  const args = ['Home energy advisor', 'https://demo.example/advisor', [modelId], AGENT_FEE] as const
  const sent = await sendSimulated(owner, agentRegistry.simulate.registerAgent(args, { account: owner.wallet.account.address }))
  return parseEventLogs({ abi: iAgentRegistryAbi, logs: sent.receipt.logs, eventName: 'AgentRegistered' })[0].args.agentId
}

/** What Attribution credits the output to, with the number of contributors Rewards pays at most. */
async function scoreOutput(pub: PublicClient, modelId: bigint): Promise<StoryResult['score']> {
  const { attribution, rewards } = openLedgerContracts(pub)
  const { maxContributors } = await rewards.read.policy()
  const print = await inferenceFingerprint(pub, modelId, INFERENCE_OUTPUT)
  const [contributionIds, weightsPpm] = await attribution.read.score([modelId, print, BigInt(maxContributors)])
  return { contributionIds: [...contributionIds], weightsPpm: [...weightsPpm] }
}

/** Pays for the inference as the user, with every participant's balance and earnings read just before and after. */
async function payWithAccounting(cast: Cast, modelId: bigint, agentId: bigint, fee: bigint) {
  const pub = cast.user.public
  const treasury = (await openLedgerContracts(pub).rewards.read.policy()).treasury
  const accounts = [...participants(cast).map((p) => p.address), treasury]
  const before = await accountsSnapshot(pub, accounts)
  const inferenceId = keccak256(toHex(`demo inference: model ${modelId}, agent ${agentId}, output ${contentHashOf(INFERENCE_OUTPUT)}`))
  const sent = await payInference(cast.user, { modelId, agentId, outputText: INFERENCE_OUTPUT, inferenceId, fee })
  const after = await accountsSnapshot(pub, accounts)
  return {
    inferenceId,
    shares: sent.result,
    gasCost: sent.receipt.gasUsed * sent.receipt.effectiveGasPrice,
    balanceDeltas: new Map(accounts.map((a) => [a, after.balances.get(a)! - before.balances.get(a)!])),
    earnedDeltas: new Map(accounts.map((a) => [a, after.earned.get(a)! - before.earned.get(a)!])),
    earnedBy: after.earned,
    treasury,
  }
}

/** Every account of the cast, with the part it plays. */
export function participants(cast: Cast): { part: string; address: Address }[] {
  const parts: [string, OpenLedgerClients][] = [
    ['curator', cast.curator],
    ...cast.contributors.map((c, i): [string, OpenLedgerClients] => [`contributor ${i + 1}`, c]),
    ['model owner', cast.modelOwner],
    ['agent owner', cast.agentOwner],
    ['user', cast.user],
  ]
  return parts.map(([part, clients]) => ({ part, address: clients.wallet.account.address }))
}

async function accountsSnapshot(pub: PublicClient, accounts: readonly Address[]) {
  const { rewards } = openLedgerContracts(pub)
  const balances = new Map<Address, bigint>()
  const earned = new Map<Address, bigint>()
  for (const a of accounts) {
    balances.set(a, await pub.getBalance({ address: a }))
    earned.set(a, await rewards.read.earnedBy([a]))
  }
  return { balances, earned }
}

async function rewardViews(pub: PublicClient, modelId: bigint, agentId: bigint, contributionIds: readonly bigint[], inferenceId: Hex): Promise<StoryResult['views']> {
  const { rewards } = openLedgerContracts(pub)
  return {
    earnedByModel: await rewards.read.earnedByModel([modelId]),
    earnedByAgent: await rewards.read.earnedByAgent([agentId]),
    earnedByContribution: await Promise.all(contributionIds.map((id) => rewards.read.earnedByContribution([id]))),
    isSettled: await rewards.read.isSettled([inferenceId]),
  }
}
