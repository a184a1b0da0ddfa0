import { numberToHex, type Hex } from 'viem'
import type { OpenLedgerConfig } from '../../genesis/openledger.ts'
import { PRECOMPILE_ADDRESSES } from '../addresses.ts'
import type { CallContext } from '../framework/context.ts'
import { calldataBound, definePrecompile, type Precompile } from '../framework/definePrecompile.ts'
import { firstRepeat } from '../framework/checks.ts'
import { addressFromWord } from '../framework/storage.ts'
import { iDatanetRegistryAbi } from './abi.ts'
import * as layout from './layout.ts'
import { Status, type ContributionRecord, type DatanetRecord } from './layout.ts'

type Ctx = CallContext<typeof iDatanetRegistryAbi>

/** DatanetRegistry at 0x…0A01, with the chain's limits from genesis `openledger`. */
export function datanetRegistry(config: OpenLedgerConfig): Precompile {
  const limits = { ...config.datanets, maxShingles: config.fingerprint.maxShingles }
  return definePrecompile({
    name: 'DatanetRegistry',
    address: PRECOMPILE_ADDRESSES.datanetRegistry,
    abi: iDatanetRegistryAbi,
    // submitContribution is the longest call: a URI and a fingerprint (createDatanet's two strings fit in it too).
    maxCalldataBytes: calldataBound({ words: 8, stringBytes: [Math.max(limits.maxUriBytes, limits.maxNameBytes) * 2], arrayItems: [limits.maxShingles] }),
    handlers: {
      async createDatanet(ctx, [name, metadataURI, shingleSize, policy]) {
        ctx.checkLength('name', name, limits.maxNameBytes)
        ctx.checkLength('metadataURI', metadataURI, limits.maxUriBytes)
        if (shingleSize < 1 || shingleSize > limits.maxShingleSize) ctx.revert('InvalidShingleSize', [shingleSize, limits.maxShingleSize])
        if (policy.nearDuplicatePct > 100) ctx.revert('InvalidNearDuplicatePct', [policy.nearDuplicatePct])
        const nearDuplicatePct = policy.nearDuplicatePct === 0 ? limits.defaultNearDuplicatePct : policy.nearDuplicatePct
        const id = await layout.nextDatanetId(ctx)
        const record: DatanetRecord = { owner: ctx.callerWord, shingleSize, curated: policy.curated, nearDuplicatePct, version: 0n, contributionCount: 0n, approvedCount: 0n, commitment: 0n }
        await layout.storeDatanet(ctx, id, record)
        await layout.storeDatanetTexts(ctx, id, name, metadataURI)
        ctx.emit('DatanetCreated', { datanetId: id, owner: ctx.caller, name, metadataURI, shingleSize, policy: { curated: policy.curated, nearDuplicatePct } })
        return id
      },

      async addCurator(ctx, [datanetId, curator]) {
        const datanet = await ownedDatanet(ctx, datanetId)
        const account = BigInt(curator)
        if (account === datanet.owner || (await layout.isCuratorFlag(ctx, datanetId, account))) ctx.revert('AlreadyCurator', [datanetId, curator])
        await layout.setCuratorFlag(ctx, datanetId, account, true)
        ctx.emit('CuratorAdded', { datanetId, curator })
      },

      async removeCurator(ctx, [datanetId, curator]) {
        await ownedDatanet(ctx, datanetId)
        const account = BigInt(curator)
        if (!(await layout.isCuratorFlag(ctx, datanetId, account))) ctx.revert('NotCurator', [datanetId, curator])
        await layout.setCuratorFlag(ctx, datanetId, account, false)
        ctx.emit('CuratorRemoved', { datanetId, curator })
      },

      async submitContribution(ctx, [datanetId, contentHash, uri, fingerprint]) {
        const datanet = await existingDatanet(ctx, datanetId)
        ctx.checkLength('uri', uri, limits.maxUriBytes)
        checkFingerprint(ctx, fingerprint, limits.maxShingles)
        const sameContent = await layout.contributionWithContent(ctx, datanetId, contentHash)
        if (sameContent !== 0n) ctx.revert('DuplicateContent', [sameContent])
        await refuseNearDuplicate(ctx, datanetId, datanet.nearDuplicatePct, fingerprint)
        const id = await layout.nextContributionId(ctx)
        const record: ContributionRecord = { contributor: ctx.callerWord, datanetId, status: Status.Pending, fingerprintLength: fingerprint.length, contentHash: BigInt(contentHash), approvedVersion: 0n }
        await layout.storeContribution(ctx, id, record)
        await layout.storeContributionUri(ctx, id, uri)
        await layout.storeFingerprint(ctx, id, fingerprint)
        await layout.setContributionWithContent(ctx, datanetId, record.contentHash, id)
        await layout.appendContributionOf(ctx, record.contributor, id)
        datanet.contributionCount += 1n
        await layout.storeDatanet(ctx, datanetId, datanet)
        ctx.emit('ContributionSubmitted', { contributionId: id, datanetId, contributor: ctx.caller, contentHash, uri, fingerprintLength: fingerprint.length })
        if (!datanet.curated) await approveContribution(ctx, datanet, id, record, fingerprint, limits.maxPostingsPerShingle)
        return id
      },

      async approve(ctx, [contributionId]) {
        const { datanet, contribution } = await pendingForCurator(ctx, contributionId)
        const fingerprint = await layout.loadFingerprint(ctx, contributionId, contribution.fingerprintLength)
        await refuseNearDuplicate(ctx, contribution.datanetId, datanet.nearDuplicatePct, fingerprint)
        await approveContribution(ctx, datanet, contributionId, contribution, fingerprint, limits.maxPostingsPerShingle)
      },

      async reject(ctx, [contributionId]) {
        const { contribution } = await pendingForCurator(ctx, contributionId)
        await layout.storeContribution(ctx, contributionId, { ...contribution, status: Status.Rejected })
        // A rejected document may be submitted again (to this Datanet or, corrected, by someone else).
        await layout.setContributionWithContent(ctx, contribution.datanetId, contribution.contentHash, 0n)
        ctx.emit('ContributionRejected', { contributionId, datanetId: contribution.datanetId, curator: ctx.caller })
      },

      async datanetCount(ctx) {
        return layout.datanetCount(ctx)
      },

      async getDatanet(ctx, [datanetId]) {
        const d = await existingDatanet(ctx, datanetId)
        const { name, metadataURI } = await layout.loadDatanetTexts(ctx, datanetId)
        return {
          id: datanetId,
          owner: addressFromWord(d.owner),
          name,
          metadataURI,
          shingleSize: d.shingleSize,
          policy: { curated: d.curated, nearDuplicatePct: d.nearDuplicatePct },
          version: d.version,
          commitment: numberToHex(d.commitment, { size: 32 }),
          contributionCount: d.contributionCount,
          approvedCount: d.approvedCount,
        }
      },

      async isCurator(ctx, [datanetId, account]) {
        const datanet = await existingDatanet(ctx, datanetId)
        return datanet.owner === BigInt(account) || layout.isCuratorFlag(ctx, datanetId, BigInt(account))
      },

      async getContribution(ctx, [contributionId]) {
        const c = await existingContribution(ctx, contributionId)
        return {
          id: contributionId,
          datanetId: c.datanetId,
          contributor: addressFromWord(c.contributor),
          contentHash: numberToHex(c.contentHash, { size: 32 }),
          uri: await layout.loadContributionUri(ctx, contributionId),
          status: c.status,
          approvedVersion: c.approvedVersion,
          fingerprintLength: c.fingerprintLength,
        }
      },

      async getFingerprint(ctx, [contributionId]) {
        const c = await existingContribution(ctx, contributionId)
        return layout.loadFingerprint(ctx, contributionId, c.fingerprintLength)
      },

      async contributionCountOf(ctx, [contributor]) {
        return layout.contributionCountOf(ctx, BigInt(contributor))
      },

      async contributionsOf(ctx, [contributor, offset, limit]) {
        return layout.contributionsOf(ctx, BigInt(contributor), offset, limit)
      },

      async postings(ctx, [datanetId, shingle]) {
        await existingDatanet(ctx, datanetId)
        return layout.loadPostings(ctx, datanetId, shingle)
      },
    },
  })
}

/** Non-empty, within the cap, each shingle once: checked before any storage is touched. */
function checkFingerprint(ctx: Ctx, fingerprint: readonly bigint[], max: number): void {
  if (fingerprint.length === 0) ctx.revert('EmptyFingerprint')
  if (fingerprint.length > max) ctx.revert('FingerprintTooLong', [BigInt(fingerprint.length), BigInt(max)])
  const repeat = firstRepeat(fingerprint)
  if (repeat >= 0) ctx.revert('RepeatedShingle', [BigInt(repeat), fingerprint[repeat]])
}

async function existingDatanet(ctx: Ctx, datanetId: bigint): Promise<DatanetRecord> {
  return (await layout.loadDatanet(ctx, datanetId)) ?? ctx.revert('DatanetNotFound', [datanetId])
}

async function ownedDatanet(ctx: Ctx, datanetId: bigint): Promise<DatanetRecord> {
  const datanet = await existingDatanet(ctx, datanetId)
  if (datanet.owner !== ctx.callerWord) ctx.revert('NotOwner', [datanetId, ctx.caller])
  return datanet
}

async function existingContribution(ctx: Ctx, contributionId: bigint): Promise<ContributionRecord> {
  return (await layout.loadContribution(ctx, contributionId)) ?? ctx.revert('ContributionNotFound', [contributionId])
}

/** A pending contribution and its Datanet, if the caller curates that Datanet (the owner does). */
async function pendingForCurator(ctx: Ctx, contributionId: bigint): Promise<{ datanet: DatanetRecord; contribution: ContributionRecord }> {
  const contribution = await existingContribution(ctx, contributionId)
  const datanet = await existingDatanet(ctx, contribution.datanetId)
  const curates = datanet.owner === ctx.callerWord || (await layout.isCuratorFlag(ctx, contribution.datanetId, ctx.callerWord))
  if (!curates) ctx.revert('NotCurator', [contribution.datanetId, ctx.caller])
  if (contribution.status !== Status.Pending) ctx.revert('NotPending', [contributionId, contribution.status])
  return { datanet, contribution }
}

/**
 * Refuses a fingerprint at least `pct` percent of whose shingles one approved contribution holds,
 * naming the contribution that holds the most (the lowest id among equals).
 */
async function refuseNearDuplicate(ctx: Ctx, datanetId: bigint, pct: number, fingerprint: readonly bigint[]): Promise<void> {
  const overlaps = new Map<bigint, number>()
  for (const shingle of fingerprint) {
    for (const id of await layout.loadPostings(ctx, datanetId, shingle)) overlaps.set(id, (overlaps.get(id) ?? 0) + 1)
  }
  let best: [bigint, number] | undefined
  // The pick (largest overlap, then lowest id) does not depend on the Map's order.
  for (const [id, overlap] of overlaps) {
    if (!best || overlap > best[1] || (overlap === best[1] && id < best[0])) best = [id, overlap]
  }
  if (best && best[1] * 100 >= pct * fingerprint.length) ctx.revert('NearDuplicate', [best[0], BigInt(Math.floor((best[1] * 100) / fingerprint.length))])
}

/** Indexes the fingerprint, bumps the Datanet's version and chains its commitment, marks it approved. */
async function approveContribution(ctx: Ctx, datanet: DatanetRecord, id: bigint, contribution: ContributionRecord, fingerprint: readonly bigint[], maxPostings: number): Promise<void> {
  for (const shingle of fingerprint) await layout.appendPosting(ctx, contribution.datanetId, shingle, id, maxPostings)
  datanet.version += 1n
  datanet.approvedCount += 1n
  datanet.commitment = ctx.hashWords(datanet.commitment, id, contribution.contentHash)
  await layout.storeDatanet(ctx, contribution.datanetId, datanet)
  await layout.storeContribution(ctx, id, { ...contribution, status: Status.Approved, approvedVersion: datanet.version })
  ctx.emit('ContributionApproved', { contributionId: id, datanetId: contribution.datanetId, curator: ctx.caller, version: datanet.version, commitment: numberToHex(datanet.commitment, { size: 32 }) as Hex })
}

