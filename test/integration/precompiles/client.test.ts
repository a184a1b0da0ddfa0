/**
 * The viem client of the precompiles (precompiles/client.ts) against the in-process node, through real
 * signed transactions over HTTP: typed contract instances, the story helpers and their typed errors.
 */
import { BaseError, ContractFunctionRevertedError, keccak256, parseEther, toHex, zeroHash } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  contentHashOf,
  contributeText,
  datanetFingerprint,
  inferenceFee,
  inferenceFingerprint,
  openLedgerContracts,
  sendSimulated,
  type OpenLedgerClients,
} from '../../../precompiles/client.ts'
import { MixedShingleSizesError, NoDatanetsError, TransactionFailedError } from '../../../precompiles/clientErrors.ts'
import { DEFAULT_MAX_SHINGLES, fingerprint } from '../../../precompiles/fingerprint.ts'
import { devCast } from '../../../demo/chain.ts'
import type { Cast } from '../../../demo/story.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'

const TEXT = 'Grid batteries earn most of their keep in the first seconds of a fault, long before a gas turbine has even begun to ramp.'
const OTHER = 'Drained peatlands cover a small share of the land but release a large share of its carbon, until the ditches are blocked.'

describe('precompiles/client.ts', () => {
  let t: TestNode
  let cast: Cast
  let owner: OpenLedgerClients
  let contributor: OpenLedgerClients

  beforeAll(async () => {
    t = await spawnNode()
    cast = await devCast(t.url)
    owner = cast.curator
    contributor = cast.contributors[0]
  })

  afterAll(async () => {
    await t?.close()
  })

  /** A Datanet of `shingleSize` created by the owner through the typed write, its id read back through the typed read. */
  async function datanetOf(shingleSize: number, curated: boolean): Promise<bigint> {
    const contracts = openLedgerContracts(owner)
    const hash = await contracts.datanetRegistry.write.createDatanet([`k=${shingleSize}`, '', shingleSize, { curated, nearDuplicatePct: 0 }])
    expect((await owner.public.waitForTransactionReceipt({ hash })).status).toBe('success')
    return contracts.datanetRegistry.read.datanetCount()
  }

  it('gives typed contract instances at the five addresses, whose reads, writes, events and reverts go to the node', async () => {
    const contracts = openLedgerContracts(owner)
    expect(Object.fromEntries(Object.entries(contracts).map(([name, c]) => [name, c.address]))).toEqual({
      datanetRegistry: '0x0000000000000000000000000000000000000a01',
      modelRegistry: '0x0000000000000000000000000000000000000a02',
      agentRegistry: '0x0000000000000000000000000000000000000a03',
      attribution: '0x0000000000000000000000000000000000000a04',
      rewards: '0x0000000000000000000000000000000000000a05',
    })
    const id = await datanetOf(3, false)
    const datanet = await contracts.datanetRegistry.read.getDatanet([id])
    expect([datanet.owner, datanet.shingleSize, datanet.policy.curated]).toEqual([owner.wallet.account.address, 3, false])
    const [created] = await contracts.datanetRegistry.getEvents.DatanetCreated({ owner: owner.wallet.account.address }, { fromBlock: 0n })
    expect(created.args.datanetId).toBe(id)
    const err = await contracts.datanetRegistry.read.getDatanet([999n]).catch((e: BaseError) => e)
    const reverted = (err as BaseError).walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError
    expect([reverted.data?.errorName, reverted.data?.args]).toEqual(['DatanetNotFound', [999n]])
  })

  it('contributes text with the fingerprint of the Datanet\'s shingle size and the text\'s keccak256', async () => {
    for (const k of [3, 7]) {
      const datanetId = await datanetOf(k, false)
      const sent = await contributeText(contributor, datanetId, TEXT, `ipfs://k${k}`)
      const { datanetRegistry } = openLedgerContracts(contributor.public)
      const contribution = await datanetRegistry.read.getContribution([sent.result])
      expect([contribution.datanetId, contribution.contributor, contribution.contentHash, contribution.uri]).toEqual([datanetId, contributor.wallet.account.address, keccak256(toHex(TEXT)), `ipfs://k${k}`])
      expect(await datanetRegistry.read.getFingerprint([sent.result])).toEqual(fingerprint(TEXT, { shingleSize: k }))
      expect(await datanetFingerprint(contributor.public, datanetId, TEXT)).toEqual(fingerprint(TEXT, { shingleSize: k }))
      expect(sent.receipt.transactionHash).toBe(sent.hash)
    }
    expect(fingerprint(TEXT, { shingleSize: 3 })).not.toEqual(fingerprint(TEXT, { shingleSize: 7 }))
    expect(contentHashOf(TEXT)).toBe(keccak256(new TextEncoder().encode(TEXT)))
  })

  it('watches a precompile\'s events through the typed instance, filtered by an indexed argument', async () => {
    const datanetId = await datanetOf(3, false)
    const { datanetRegistry } = openLedgerContracts(contributor.public)
    // viem installs the filter (eth_newFilter) at once, before contributeText's first request.
    const seen = new Promise<readonly unknown[]>((resolve) => {
      const unwatch = datanetRegistry.watchEvent.ContributionSubmitted({ datanetId }, { onLogs: (logs) => (unwatch(), resolve(logs.map((l) => l.args))) })
    })
    const sent = await contributeText(contributor, datanetId, OTHER, 'ipfs://watched')
    expect(await seen).toEqual([{ contributionId: sent.result, datanetId, contributor: contributor.wallet.account.address, contentHash: contentHashOf(OTHER), uri: 'ipfs://watched', fingerprintLength: fingerprint(OTHER, { shingleSize: 3 }).length }])
  })

  it('prices an inference as the model\'s fee plus the agent\'s', async () => {
    const datanetId = await datanetOf(4, false)
    const { modelRegistry, agentRegistry } = openLedgerContracts(owner)
    const account = owner.wallet.account.address
    const modelId = (await sendSimulated(owner, modelRegistry.simulate.registerModel(['m', '', '', zeroHash, [datanetId], parseEther('0.3')], { account }))).result
    const agentId = (await sendSimulated(owner, agentRegistry.simulate.registerAgent(['a', '', [modelId], parseEther('0.05')], { account }))).result
    expect(await inferenceFee(owner.public, modelId, agentId)).toBe(parseEther('0.35'))
    expect(await inferenceFee(owner.public, modelId, 0n)).toBe(parseEther('0.3'))
  })

  it('fingerprints an output with the shingle size of the model\'s Datanets and Attribution\'s cap, not the contributions\' cap', async () => {
    const [k3, other3] = [await datanetOf(3, false), await datanetOf(3, false)]
    const { modelRegistry, attribution } = openLedgerContracts(owner)
    const modelId = (await sendSimulated(owner, modelRegistry.simulate.registerModel(['k3', '', '', zeroHash, [k3, other3], 0n], { account: owner.wallet.account.address }))).result
    const { maxOutputShingles } = await attribution.read.limits()
    const long = Array.from({ length: 3_000 }, (_, i) => `word${i}`).join(' ')
    const print = await inferenceFingerprint(owner.public, modelId, long)
    expect(print).toEqual(fingerprint(long, { shingleSize: 3, maxShingles: maxOutputShingles }))
    expect(print.length).toBeGreaterThan(DEFAULT_MAX_SHINGLES)
    expect(print.length).toBeLessThanOrEqual(maxOutputShingles)
    expect(await inferenceFingerprint(owner.public, modelId, TEXT)).toEqual(fingerprint(TEXT, { shingleSize: 3 }))
  })

  it('refuses to fingerprint an output for a model whose Datanets disagree on the shingle size, or that has none', async () => {
    const [k3, k5] = [await datanetOf(3, false), await datanetOf(5, false)]
    const { modelRegistry } = openLedgerContracts(owner)
    const account = owner.wallet.account.address
    const mixed = (await sendSimulated(owner, modelRegistry.simulate.registerModel(['mixed', '', '', zeroHash, [k3, k5], 0n], { account }))).result
    const bare = (await sendSimulated(owner, modelRegistry.simulate.registerModel(['bare', '', '', zeroHash, [], 0n], { account }))).result
    const mixedErr = await inferenceFingerprint(owner.public, mixed, TEXT).catch((e) => e)
    expect(mixedErr).toBeInstanceOf(MixedShingleSizesError)
    expect(mixedErr.shingleSizes).toEqual([3, 5])
    await expect(inferenceFingerprint(owner.public, bare, TEXT)).rejects.toBeInstanceOf(NoDatanetsError)
  })

  it('throws TransactionFailedError with the receipt when a simulated transaction fails once mined', async () => {
    const datanetId = await datanetOf(3, true)
    const contributionId = (await contributeText(contributor, datanetId, OTHER, '')).result
    const { datanetRegistry } = openLedgerContracts(owner)
    // Both approvals simulate against the pending contribution; the second is mined after the first.
    const options = { account: owner.wallet.account.address, gas: 3_000_000n }
    const first = await datanetRegistry.simulate.approve([contributionId], options)
    const second = await datanetRegistry.simulate.approve([contributionId], options)
    await sendSimulated(owner, first)
    const err = await sendSimulated(owner, second).catch((e) => e)
    expect(err).toBeInstanceOf(TransactionFailedError)
    expect(err.receipt.status).toBe('reverted')
    expect(err.hash).toBe(err.receipt.transactionHash)
    expect((await datanetRegistry.read.getDatanet([datanetId])).version).toBe(1n)
  })
})
