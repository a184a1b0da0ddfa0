import { createAddressFromString } from '@ethereumjs/util'
import { getAddress, type ContractFunctionReturnType, type Hex } from 'viem'
import type { OpenLedgerConfig } from '../../genesis/openledger.ts'
import { PRECOMPILE_ADDRESSES } from '../addresses.ts'
import { loadAgent, loadAgentModels, type AgentRecord } from '../agentRegistry/layout.ts'
import { scoreOutput, type Attribution } from '../attribution/score.ts'
import { loadContribution } from '../datanetRegistry/layout.ts'
import type { CallContext } from '../framework/context.ts'
import { calldataBound, definePrecompile, type Precompile } from '../framework/definePrecompile.ts'
import { addressFromWord } from '../framework/storage.ts'
import { loadModel, type ModelRecord } from '../modelRegistry/layout.ts'
import { iRewardsAbi } from './abi.ts'
import * as layout from './layout.ts'
import { Earned } from './layout.ts'
import { splitFee, sum, type Split } from './split.ts'

type Ctx = CallContext<typeof iRewardsAbi>
type Share = ContractFunctionReturnType<typeof iRewardsAbi, 'payable', 'payInference'>[number]

/** IRewards.Role. */
export const Role = { Model: 0, Agent: 1, Contributor: 2, Treasury: 3 } as const

/** The running total each role's share adds to, besides the recipient's own. */
const EARNED_BY_ROLE: Record<number, layout.Earned | undefined> = { [Role.Model]: Earned.ByModel, [Role.Agent]: Earned.ByAgent, [Role.Contributor]: Earned.ByContribution }

const MODEL_REGISTRY = createAddressFromString(PRECOMPILE_ADDRESSES.modelRegistry)
const AGENT_REGISTRY = createAddressFromString(PRECOMPILE_ADDRESSES.agentRegistry)
const DATANET_REGISTRY = createAddressFromString(PRECOMPILE_ADDRESSES.datanetRegistry)

/** Rewards at 0x…0A05, with the policy of genesis `openledger.rewards` and Attribution's caps. */
export function rewards(config: OpenLedgerConfig): Precompile {
  const policy = config.rewards
  return definePrecompile({
    name: 'Rewards',
    address: PRECOMPILE_ADDRESSES.rewards,
    abi: iRewardsAbi,
    // payInference is the longest call: three static words, the inference id, and the fingerprint.
    maxCalldataBytes: calldataBound({ words: 4, arrayItems: [config.attribution.maxOutputShingles] }),
    handlers: {
      async payInference(ctx, [modelId, agentId, outputFingerprint, inferenceId]) {
        await checkInferenceId(ctx, inferenceId)
        const model = (await loadModel(ctx.slotsOf(MODEL_REGISTRY), modelId)) ?? ctx.revert('ModelNotFound', [modelId])
        const agent = await servingAgent(ctx, agentId, modelId)
        const required = model.feePerCall + (agent?.feePerCall ?? 0n)
        if (ctx.value < required) ctx.revert('FeeTooLow', [ctx.value, required])
        const attribution = await scoreOutput(ctx, config.attribution, modelId, outputFingerprint, policy.maxContributors)
        // Without an agent the agent's share is not handed out: the treasury takes it with the remainders.
        const split = splitFee(ctx.value, agent ? policy : { ...policy, agentBps: 0 }, attribution.weightsPpm)
        const shares = await sharesOf(ctx, split, { modelId, model, agentId, agent, attribution, treasury: policy.treasury })
        await layout.markSettled(ctx, BigInt(inferenceId))
        ctx.emit('InferenceSettled', {
          inferenceId,
          modelId,
          agentId,
          payer: ctx.caller,
          fee: ctx.value,
          toModel: split.model,
          toAgent: split.agent,
          toContributors: sum(split.contributors),
          toTreasury: split.treasury,
        })
        for (const share of shares) await pay(ctx, inferenceId, share)
        return shares
      },

      async policy() {
        const { modelBps, agentBps, contributorsBps, treasuryBps, maxContributors } = policy
        return { modelBps, agentBps, contributorsBps, treasuryBps, treasury: getAddress(policy.treasury), maxContributors }
      },

      async isSettled(ctx, [inferenceId]) {
        return layout.isSettled(ctx, BigInt(inferenceId))
      },

      async earnedBy(ctx, [account]) {
        return layout.loadEarned(ctx, Earned.ByAccount, BigInt(account))
      },

      async earnedByContribution(ctx, [contributionId]) {
        return layout.loadEarned(ctx, Earned.ByContribution, contributionId)
      },

      async earnedByModel(ctx, [modelId]) {
        return layout.loadEarned(ctx, Earned.ByModel, modelId)
      },

      async earnedByAgent(ctx, [agentId]) {
        return layout.loadEarned(ctx, Earned.ByAgent, agentId)
      },
    },
  })
}

/** A non-zero id not settled before. */
async function checkInferenceId(ctx: Ctx, inferenceId: Hex): Promise<void> {
  if (BigInt(inferenceId) === 0n) ctx.revert('ZeroInferenceId')
  if (await layout.isSettled(ctx, BigInt(inferenceId))) ctx.revert('InferenceAlreadySettled', [inferenceId])
}

/** No agent for id 0; otherwise the agent, which must exist and list the model, read from AgentRegistry's storage. */
async function servingAgent(ctx: Ctx, agentId: bigint, modelId: bigint): Promise<AgentRecord | undefined> {
  if (agentId === 0n) return undefined
  const agents = ctx.slotsOf(AGENT_REGISTRY)
  const agent = (await loadAgent(agents, agentId)) ?? ctx.revert('AgentNotFound', [agentId])
  const models = await loadAgentModels(agents, agentId, agent.modelCount)
  if (!models.includes(modelId)) ctx.revert('AgentDoesNotUseModel', [agentId, modelId])
  return agent
}

interface Parties {
  modelId: bigint
  model: ModelRecord
  agentId: bigint
  agent: AgentRecord | undefined
  attribution: Attribution
  treasury: string
}

/**
 * The non-zero shares in payment order: model, agent, contributors in Attribution's order (each paid
 * to its contribution's contributor, read from DatanetRegistry's storage), treasury.
 */
async function sharesOf(ctx: Ctx, split: Split, parties: Parties): Promise<Share[]> {
  const datanets = ctx.slotsOf(DATANET_REGISTRY)
  const shares: Share[] = [share(Role.Model, parties.model.owner, parties.modelId, split.model)]
  if (parties.agent) shares.push(share(Role.Agent, parties.agent.owner, parties.agentId, split.agent))
  for (const [j, contributionId] of parties.attribution.contributionIds.entries()) {
    if (split.contributors[j] === 0n) continue
    const contribution = await loadContribution(datanets, contributionId)
    if (!contribution) throw new RangeError(`Attribution credited contribution ${contributionId}, which does not exist`)
    shares.push(share(Role.Contributor, contribution.contributor, contributionId, split.contributors[j]))
  }
  shares.push(share(Role.Treasury, BigInt(parties.treasury), 0n, split.treasury))
  return shares.filter((s) => s.amount > 0n)
}

function share(role: number, recipient: bigint, id: bigint, amount: bigint): Share {
  return { role, recipient: addressFromWord(recipient), id, amount }
}

/** Credits the share to its recipient's balance, adds it to the running totals, and logs it. */
async function pay(ctx: Ctx, inferenceId: Hex, s: Share): Promise<void> {
  await ctx.pay(createAddressFromString(s.recipient), s.amount)
  await layout.addEarned(ctx, Earned.ByAccount, BigInt(s.recipient), s.amount)
  const byRole = EARNED_BY_ROLE[s.role]
  if (byRole !== undefined) await layout.addEarned(ctx, byRole, s.id, s.amount)
  ctx.emit('RewardPaid', { inferenceId, recipient: s.recipient, role: s.role, id: s.id, amount: s.amount })
}
