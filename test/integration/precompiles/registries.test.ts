/**
 * ModelRegistry (0x…0A02) and AgentRegistry (0x…0A03) through real signed transactions over HTTP
 * (viem, and ethers for one decode) on the in-process node: every function, custom-error reverts,
 * events read back with eth_getLogs, views, a model keeping the Datanet versions it was trained on,
 * and too little gas.
 */
import { Contract, JsonRpcProvider } from 'ethers'
import { encodeFunctionData, keccak256, parseEventLogs, toHex, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { iAgentRegistryAbi as agentAbi } from '../../../precompiles/agentRegistry/abi.ts'
import { PRECOMPILE_ADDRESSES } from '../../../precompiles/addresses.ts'
import { iDatanetRegistryAbi as datanetAbi } from '../../../precompiles/datanetRegistry/abi.ts'
import { fingerprint } from '../../../precompiles/fingerprint.ts'
import { iModelRegistryAbi as modelAbi } from '../../../precompiles/modelRegistry/abi.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { waitForReceipt } from '../rpc/helpers.ts'
import { address, clientsFor, read, revertOf, write, type Clients, type Target } from './clients.ts'

const DOC_A = 'Open ledgers let every contributor of data be paid whenever a model trained on it earns, in proportion to how much their data helped produce the output.'
const DOC_B = 'Attribution is computed on chain from fingerprints of hashed word shingles, deterministically and in integer arithmetic, so every node agrees to the last wei.'
const DOC_C = 'A Datanet is a community data set with an owner, curators and a policy; contributions are content hashes and fingerprints, never the raw text itself.'
const ADAPTER = keccak256(toHex('lora adapter weights'))
const ZERO_HASH = `0x${'00'.repeat(32)}` as Hex

const fp = (text: string) => fingerprint(text, { shingleSize: 3 })
const contentHash = (text: string) => keccak256(toHex(text))

const DATANETS: Target = { address: PRECOMPILE_ADDRESSES.datanetRegistry, abi: datanetAbi }
const MODELS: Target = { address: PRECOMPILE_ADDRESSES.modelRegistry, abi: modelAbi }
const AGENTS: Target = { address: PRECOMPILE_ADDRESSES.agentRegistry, abi: agentAbi }

describe('ModelRegistry and AgentRegistry over JSON-RPC', () => {
  let t: TestNode
  let c: Clients
  let curated: bigint
  let open: bigint
  let lora: bigint
  let full: bigint

  beforeAll(async () => {
    t = await spawnNode()
    c = clientsFor(t)
    curated = (await write(c, DATANETS, 0, 'createDatanet', ['Curated', '', 3, { curated: true, nearDuplicatePct: 0 }])).result
    open = (await write(c, DATANETS, 0, 'createDatanet', ['Open', '', 3, { curated: false, nearDuplicatePct: 0 }])).result
    await write(c, DATANETS, 1, 'submitContribution', [open, contentHash(DOC_A), 'ipfs://a', fp(DOC_A)])
    await write(c, DATANETS, 1, 'submitContribution', [open, contentHash(DOC_B), 'ipfs://b', fp(DOC_B)])
  })

  afterAll(async () => {
    await t?.close()
  })

  it('registers a LoRA adapter at its Datanets versions, and keeps them after a later approval', async () => {
    const { result, receipt } = await write(c, MODELS, 1, 'registerModel', ['Research LoRA', 'ipfs://lora', 'meta-llama/Llama-3.1-8B', ADAPTER, [open, curated], 1_000n])
    lora = result
    expect(lora).toBe(1n)
    const datanets = [
      { datanetId: open, version: 2n },
      { datanetId: curated, version: 0n },
    ]
    const [event] = parseEventLogs({ abi: modelAbi, logs: receipt.logs, eventName: 'ModelRegistered' })
    expect(event.address).toBe(MODELS.address)
    expect(event.args).toEqual({ modelId: lora, owner: address(c, 1), name: 'Research LoRA', uri: 'ipfs://lora', baseModel: 'meta-llama/Llama-3.1-8B', adapterHash: ADAPTER, feePerCall: 1_000n, datanets })

    // The curated Datanet moves to version 1 after the registration: the model keeps version 0.
    const submitted = (await write(c, DATANETS, 2, 'submitContribution', [curated, contentHash(DOC_C), 'ipfs://c', fp(DOC_C)])).result
    await write(c, DATANETS, 0, 'approve', [submitted])
    expect((await read(c, DATANETS, 'getDatanet', [curated])).version).toBe(1n)
    expect(await read(c, MODELS, 'getModel', [lora])).toEqual({
      id: lora,
      owner: address(c, 1),
      name: 'Research LoRA',
      uri: 'ipfs://lora',
      baseModel: 'meta-llama/Llama-3.1-8B',
      adapterHash: ADAPTER,
      feePerCall: 1_000n,
      deprecated: false,
      datanets,
    })

    full = (await write(c, MODELS, 1, 'registerModel', ['Full', 'ipfs://full', '', ZERO_HASH, [curated], 5n])).result
    expect((await read(c, MODELS, 'getModel', [full])).datanets).toEqual([{ datanetId: curated, version: 1n }])
    expect(await read(c, MODELS, 'modelCount')).toBe(2n)
    expect(await read(c, MODELS, 'modelsOf', [address(c, 1)])).toEqual([lora, full])
    expect(await read(c, MODELS, 'modelsOf', [address(c, 2)])).toEqual([])
  })

  it('refuses unknown and repeated Datanets, too many, and over-long texts with custom errors', async () => {
    expect(await revertOf(c, MODELS, 0, 'registerModel', ['m', '', '', ZERO_HASH, [open, 77n], 0n])).toEqual({ errorName: 'DatanetNotFound', args: [77n] })
    expect(await revertOf(c, MODELS, 0, 'registerModel', ['m', '', '', ZERO_HASH, [open, open], 0n])).toEqual({ errorName: 'RepeatedDatanet', args: [1n, open] })
    const seventeen = Array.from({ length: 17 }, (_, i) => BigInt(i + 1))
    expect(await revertOf(c, MODELS, 0, 'registerModel', ['m', '', '', ZERO_HASH, seventeen, 0n])).toEqual({ errorName: 'TooManyDatanets', args: [17n, 16n] })
    expect(await revertOf(c, MODELS, 0, 'registerModel', ['m', 'u'.repeat(513), '', ZERO_HASH, [], 0n])).toEqual({ errorName: 'TooLong', args: ['uri', 513n, 512n] })
    expect(await revertOf(c, MODELS, 0, 'getModel', [99n])).toEqual({ errorName: 'ModelNotFound', args: [99n] })
    // ethers decodes the same revert from the ABI.
    const provider = new JsonRpcProvider(t.url, 1337, { staticNetwork: true })
    const registry = new Contract(MODELS.address, modelAbi as any, provider)
    const err = await registry.registerModel.staticCall('m', '', '', ZERO_HASH, [open, 77n], 0n, { from: address(c, 0) }).catch((e: any) => e)
    expect([err.revert?.name, ...(err.revert?.args ?? [])]).toEqual(['DatanetNotFound', 77n])
    provider.destroy()
  })

  it('lets the owner, and only the owner, change the fee and deprecate', async () => {
    expect(await revertOf(c, MODELS, 0, 'setFee', [full, 1n])).toEqual({ errorName: 'NotOwner', args: [full, address(c, 0)] })
    expect(await revertOf(c, MODELS, 2, 'deprecate', [full])).toEqual({ errorName: 'NotOwner', args: [full, address(c, 2)] })
    const fee = await write(c, MODELS, 1, 'setFee', [full, 42n])
    expect(parseEventLogs({ abi: modelAbi, logs: fee.receipt.logs, eventName: 'ModelFeeChanged' })[0].args).toEqual({ modelId: full, feePerCall: 42n })
    const deprecated = await write(c, MODELS, 1, 'deprecate', [full])
    expect(parseEventLogs({ abi: modelAbi, logs: deprecated.receipt.logs, eventName: 'ModelDeprecated' })[0].args).toEqual({ modelId: full })
    const model = await read(c, MODELS, 'getModel', [full])
    expect([model.feePerCall, model.deprecated]).toEqual([42n, true])
    expect(await revertOf(c, MODELS, 1, 'deprecate', [full])).toEqual({ errorName: 'AlreadyDeprecated', args: [full] })
  })

  it('registers an agent on live models and refuses a deprecated or unknown one', async () => {
    expect(await revertOf(c, AGENTS, 2, 'registerAgent', ['Agent', 'ipfs://agent', [lora, full], 7n])).toEqual({ errorName: 'ModelDeprecated', args: [full] })
    expect(await revertOf(c, AGENTS, 2, 'registerAgent', ['Agent', 'ipfs://agent', [lora, 9n], 7n])).toEqual({ errorName: 'ModelNotFound', args: [9n] })
    expect(await revertOf(c, AGENTS, 2, 'registerAgent', ['Agent', 'ipfs://agent', [], 7n])).toEqual({ errorName: 'NoModels', args: [] })
    expect(await revertOf(c, AGENTS, 2, 'registerAgent', ['Agent', 'ipfs://agent', [lora, lora], 7n])).toEqual({ errorName: 'RepeatedModel', args: [1n, lora] })
    const { result, receipt } = await write(c, AGENTS, 2, 'registerAgent', ['Agent', 'ipfs://agent', [lora], 7n])
    expect(result).toBe(1n)
    expect(parseEventLogs({ abi: agentAbi, logs: receipt.logs, eventName: 'AgentRegistered' })[0].args).toEqual({ agentId: 1n, owner: address(c, 2), name: 'Agent', uri: 'ipfs://agent', modelIds: [lora], feePerCall: 7n })
    expect(await read(c, AGENTS, 'getAgent', [1n])).toEqual({ id: 1n, owner: address(c, 2), name: 'Agent', uri: 'ipfs://agent', feePerCall: 7n, modelIds: [lora] })
    expect(await read(c, AGENTS, 'agentsOf', [address(c, 2)])).toEqual([1n])
    expect(await read(c, AGENTS, 'agentCount')).toBe(1n)
  })

  it("lets the agent's owner, and only the owner, change its fee, uri and models", async () => {
    expect(await revertOf(c, AGENTS, 1, 'setFee', [1n, 1n])).toEqual({ errorName: 'NotOwner', args: [1n, address(c, 1)] })
    expect(await revertOf(c, AGENTS, 1, 'setUri', [1n, 'x'])).toEqual({ errorName: 'NotOwner', args: [1n, address(c, 1)] })
    expect(await revertOf(c, AGENTS, 1, 'setModels', [1n, [lora]])).toEqual({ errorName: 'NotOwner', args: [1n, address(c, 1)] })
    expect(await revertOf(c, AGENTS, 2, 'setModels', [1n, [full]])).toEqual({ errorName: 'ModelDeprecated', args: [full] })
    expect(await revertOf(c, AGENTS, 2, 'setFee', [5n, 1n])).toEqual({ errorName: 'AgentNotFound', args: [5n] })
    const other = (await write(c, MODELS, 0, 'registerModel', ['Other', '', '', ZERO_HASH, [], 0n])).result
    const fee = await write(c, AGENTS, 2, 'setFee', [1n, 70n])
    expect(parseEventLogs({ abi: agentAbi, logs: fee.receipt.logs, eventName: 'AgentFeeChanged' })[0].args).toEqual({ agentId: 1n, feePerCall: 70n })
    const uri = await write(c, AGENTS, 2, 'setUri', [1n, 'ipfs://agent-v2'])
    expect(parseEventLogs({ abi: agentAbi, logs: uri.receipt.logs, eventName: 'AgentUriChanged' })[0].args).toEqual({ agentId: 1n, uri: 'ipfs://agent-v2' })
    const models = await write(c, AGENTS, 2, 'setModels', [1n, [other, lora]])
    expect(parseEventLogs({ abi: agentAbi, logs: models.receipt.logs, eventName: 'AgentModelsChanged' })[0].args).toEqual({ agentId: 1n, modelIds: [other, lora] })
    expect(await read(c, AGENTS, 'getAgent', [1n])).toEqual({ id: 1n, owner: address(c, 2), name: 'Agent', uri: 'ipfs://agent-v2', feePerCall: 70n, modelIds: [other, lora] })
  })

  it('returns every event through eth_getLogs', async () => {
    const modelLogs = parseEventLogs({ abi: modelAbi, logs: await c.pub.getLogs({ address: MODELS.address, fromBlock: 0n, toBlock: 'latest' }) })
    expect(modelLogs.map((l) => l.eventName)).toEqual(['ModelRegistered', 'ModelRegistered', 'ModelFeeChanged', 'ModelDeprecated', 'ModelRegistered'])
    const agentLogs = parseEventLogs({ abi: agentAbi, logs: await c.pub.getLogs({ address: AGENTS.address, fromBlock: 0n, toBlock: 'latest' }) })
    expect(agentLogs.map((l) => l.eventName)).toEqual(['AgentRegistered', 'AgentFeeChanged', 'AgentUriChanged', 'AgentModelsChanged'])
    const byOwner = await c.pub.getLogs({ address: MODELS.address, event: modelAbi.find((x) => x.type === 'event' && x.name === 'ModelRegistered') as any, args: { owner: address(c, 1) }, fromBlock: 0n })
    expect(byOwner).toHaveLength(2)
  })

  it('fails a registration with too little gas without any effect', async () => {
    for (const [to, data, count] of [
      [MODELS, encodeFunctionData({ abi: modelAbi, functionName: 'registerModel', args: ['Starved', '', '', ADAPTER, [open], 1n] }), 'modelCount'],
      [AGENTS, encodeFunctionData({ abi: agentAbi, functionName: 'registerAgent', args: ['Starved', '', [lora], 1n] }), 'agentCount'],
    ] as const) {
      const before = await read(c, to, count)
      const estimate = await c.pub.estimateGas({ account: c.wallets[0].account, to: to.address, data })
      const hash = await c.wallets[0].sendTransaction({ to: to.address, data, gas: estimate - 30_000n })
      const receipt = await waitForReceipt(t, hash)
      expect(receipt.status).toBe('0x0')
      expect(receipt.logs).toEqual([])
      expect(BigInt(receipt.gasUsed)).toBe(estimate - 30_000n)
      expect(await read(c, to, count)).toBe(before)
    }
  })
})
