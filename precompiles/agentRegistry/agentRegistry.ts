import { createAddressFromString } from '@ethereumjs/util'
import type { OpenLedgerConfig } from '../../genesis/openledger.ts'
import { PRECOMPILE_ADDRESSES } from '../addresses.ts'
import type { CallContext } from '../framework/context.ts'
import { calldataBound, definePrecompile, type Precompile } from '../framework/definePrecompile.ts'
import { firstRepeat } from '../framework/checks.ts'
import { addressFromWord } from '../framework/storage.ts'
import { loadModelHead } from '../modelRegistry/layout.ts'
import { iAgentRegistryAbi } from './abi.ts'
import * as layout from './layout.ts'
import type { AgentRecord } from './layout.ts'

type Ctx = CallContext<typeof iAgentRegistryAbi>

const MODEL_REGISTRY = createAddressFromString(PRECOMPILE_ADDRESSES.modelRegistry)

/** AgentRegistry at 0x…0A03, with the chain's limits from genesis `openledger.agents`. */
export function agentRegistry(config: OpenLedgerConfig): Precompile {
  const limits = config.agents
  return definePrecompile({
    name: 'AgentRegistry',
    address: PRECOMPILE_ADDRESSES.agentRegistry,
    abi: iAgentRegistryAbi,
    maxCalldataBytes: calldataBound({ words: 6, stringBytes: [limits.maxNameBytes, limits.maxUriBytes], arrayItems: [limits.maxModels] }),
    handlers: {
      async registerAgent(ctx, [name, uri, modelIds, feePerCall]) {
        ctx.checkLength('name', name, limits.maxNameBytes)
        ctx.checkLength('uri', uri, limits.maxUriBytes)
        await checkModels(ctx, modelIds, limits.maxModels)
        const id = await layout.nextAgentId(ctx)
        const record: AgentRecord = { owner: ctx.callerWord, modelCount: modelIds.length, feePerCall }
        await layout.storeAgent(ctx, id, record)
        await layout.storeAgentName(ctx, id, name)
        await layout.storeAgentUri(ctx, id, uri)
        await layout.storeAgentModels(ctx, id, modelIds)
        await layout.appendAgentOf(ctx, record.owner, id)
        ctx.emit('AgentRegistered', { agentId: id, owner: ctx.caller, name, uri, modelIds, feePerCall })
        return id
      },

      async setFee(ctx, [agentId, feePerCall]) {
        const agent = await ownedAgent(ctx, agentId)
        await layout.storeAgent(ctx, agentId, { ...agent, feePerCall })
        ctx.emit('AgentFeeChanged', { agentId, feePerCall })
      },

      async setUri(ctx, [agentId, uri]) {
        await ownedAgent(ctx, agentId)
        ctx.checkLength('uri', uri, limits.maxUriBytes)
        await layout.storeAgentUri(ctx, agentId, uri)
        ctx.emit('AgentUriChanged', { agentId, uri })
      },

      async setModels(ctx, [agentId, modelIds]) {
        const agent = await ownedAgent(ctx, agentId)
        await checkModels(ctx, modelIds, limits.maxModels)
        await layout.storeAgent(ctx, agentId, { ...agent, modelCount: modelIds.length })
        await layout.storeAgentModels(ctx, agentId, modelIds)
        ctx.emit('AgentModelsChanged', { agentId, modelIds })
      },

      async agentCount(ctx) {
        return layout.agentCount(ctx)
      },

      async getAgent(ctx, [agentId]) {
        const a = await existingAgent(ctx, agentId)
        return {
          id: agentId,
          owner: addressFromWord(a.owner),
          name: await layout.loadAgentName(ctx, agentId),
          uri: await layout.loadAgentUri(ctx, agentId),
          feePerCall: a.feePerCall,
          modelIds: await layout.loadAgentModels(ctx, agentId, a.modelCount),
        }
      },

      async agentsOf(ctx, [owner]) {
        return layout.agentsOf(ctx, BigInt(owner))
      },
    },
  })
}

/**
 * At least one model, within the cap, each once (checked before any storage is read); then each
 * must exist in ModelRegistry and not be deprecated, read from its storage.
 */
async function checkModels(ctx: Ctx, modelIds: readonly bigint[], max: number): Promise<void> {
  if (modelIds.length === 0) ctx.revert('NoModels')
  if (modelIds.length > max) ctx.revert('TooManyModels', [BigInt(modelIds.length), BigInt(max)])
  const repeat = firstRepeat(modelIds)
  if (repeat >= 0) ctx.revert('RepeatedModel', [BigInt(repeat), modelIds[repeat]])
  const models = ctx.slotsOf(MODEL_REGISTRY)
  for (const modelId of modelIds) {
    const model = (await loadModelHead(models, modelId)) ?? ctx.revert('ModelNotFound', [modelId])
    if (model.deprecated) ctx.revert('ModelDeprecated', [modelId])
  }
}

async function existingAgent(ctx: Ctx, agentId: bigint): Promise<AgentRecord> {
  return (await layout.loadAgent(ctx, agentId)) ?? ctx.revert('AgentNotFound', [agentId])
}

async function ownedAgent(ctx: Ctx, agentId: bigint): Promise<AgentRecord> {
  const agent = await existingAgent(ctx, agentId)
  if (agent.owner !== ctx.callerWord) ctx.revert('NotOwner', [agentId, ctx.caller])
  return agent
}

