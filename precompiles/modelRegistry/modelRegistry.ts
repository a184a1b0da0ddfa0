import { createAddressFromString } from '@ethereumjs/util'
import { numberToHex } from 'viem'
import type { OpenLedgerConfig } from '../../genesis/openledger.ts'
import { PRECOMPILE_ADDRESSES } from '../addresses.ts'
import { loadDatanet } from '../datanetRegistry/layout.ts'
import type { CallContext } from '../framework/context.ts'
import { calldataBound, definePrecompile, type Precompile } from '../framework/definePrecompile.ts'
import { firstRepeat } from '../framework/checks.ts'
import { addressFromWord } from '../framework/storage.ts'
import { iModelRegistryAbi } from './abi.ts'
import * as layout from './layout.ts'
import type { ModelRecord, TrainedOn } from './layout.ts'

type Ctx = CallContext<typeof iModelRegistryAbi>

const DATANET_REGISTRY = createAddressFromString(PRECOMPILE_ADDRESSES.datanetRegistry)

/** ModelRegistry at 0x…0A02, with the chain's limits from genesis `openledger.models`. */
export function modelRegistry(config: OpenLedgerConfig): Precompile {
  const limits = config.models
  return definePrecompile({
    name: 'ModelRegistry',
    address: PRECOMPILE_ADDRESSES.modelRegistry,
    abi: iModelRegistryAbi,
    maxCalldataBytes: calldataBound({ words: 8, stringBytes: [limits.maxNameBytes, limits.maxUriBytes, limits.maxNameBytes], arrayItems: [limits.maxDatanets] }),
    handlers: {
      async registerModel(ctx, [name, uri, baseModel, adapterHash, datanetIds, feePerCall]) {
        ctx.checkLength('name', name, limits.maxNameBytes)
        ctx.checkLength('uri', uri, limits.maxUriBytes)
        ctx.checkLength('baseModel', baseModel, limits.maxNameBytes)
        checkDatanetIds(ctx, datanetIds, limits.maxDatanets)
        const datanets = await trainedOn(ctx, datanetIds)
        const id = await layout.nextModelId(ctx)
        const record: ModelRecord = { owner: ctx.callerWord, deprecated: false, datanetCount: datanets.length, adapterHash: BigInt(adapterHash), feePerCall }
        await layout.storeModel(ctx, id, record)
        await layout.storeModelTexts(ctx, id, { name, uri, baseModel })
        await layout.storeTrainedOn(ctx, id, datanets)
        await layout.appendModelOf(ctx, record.owner, id)
        ctx.emit('ModelRegistered', { modelId: id, owner: ctx.caller, name, uri, baseModel, adapterHash, feePerCall, datanets })
        return id
      },

      async setFee(ctx, [modelId, feePerCall]) {
        const model = await ownedModel(ctx, modelId)
        await layout.storeModel(ctx, modelId, { ...model, feePerCall })
        ctx.emit('ModelFeeChanged', { modelId, feePerCall })
      },

      async deprecate(ctx, [modelId]) {
        const model = await ownedModel(ctx, modelId)
        if (model.deprecated) ctx.revert('AlreadyDeprecated', [modelId])
        await layout.storeModel(ctx, modelId, { ...model, deprecated: true })
        ctx.emit('ModelDeprecated', { modelId })
      },

      async modelCount(ctx) {
        return layout.modelCount(ctx)
      },

      async getModel(ctx, [modelId]) {
        const m = await existingModel(ctx, modelId)
        const texts = await layout.loadModelTexts(ctx, modelId)
        return {
          id: modelId,
          owner: addressFromWord(m.owner),
          ...texts,
          adapterHash: numberToHex(m.adapterHash, { size: 32 }),
          feePerCall: m.feePerCall,
          deprecated: m.deprecated,
          datanets: await layout.loadTrainedOn(ctx, modelId, m.datanetCount),
        }
      },

      async modelsOf(ctx, [owner]) {
        return layout.modelsOf(ctx, BigInt(owner))
      },
    },
  })
}

/** Within the cap and each Datanet once: checked before any storage is read. */
function checkDatanetIds(ctx: Ctx, datanetIds: readonly bigint[], max: number): void {
  if (datanetIds.length > max) ctx.revert('TooManyDatanets', [BigInt(datanetIds.length), BigInt(max)])
  const repeat = firstRepeat(datanetIds)
  if (repeat >= 0) ctx.revert('RepeatedDatanet', [BigInt(repeat), datanetIds[repeat]])
}

/** Each Datanet with its version now, read from DatanetRegistry's storage; an unknown id is refused. */
async function trainedOn(ctx: Ctx, datanetIds: readonly bigint[]): Promise<TrainedOn[]> {
  const registry = ctx.slotsOf(DATANET_REGISTRY)
  const out: TrainedOn[] = []
  for (const datanetId of datanetIds) {
    const datanet = (await loadDatanet(registry, datanetId)) ?? ctx.revert('DatanetNotFound', [datanetId])
    out.push({ datanetId, version: datanet.version })
  }
  return out
}

async function existingModel(ctx: Ctx, modelId: bigint): Promise<ModelRecord> {
  return (await layout.loadModel(ctx, modelId)) ?? ctx.revert('ModelNotFound', [modelId])
}

async function ownedModel(ctx: Ctx, modelId: bigint): Promise<ModelRecord> {
  const model = await existingModel(ctx, modelId)
  if (model.owner !== ctx.callerWord) ctx.revert('NotOwner', [modelId, ctx.caller])
  return model
}

