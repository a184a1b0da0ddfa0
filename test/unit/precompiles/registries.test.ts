/** ModelRegistry (0x…0A02) and AgentRegistry (0x…0A03) on a bare VM: their rules, caps and gas. */
import { EVMError } from '@ethereumjs/evm'
import { getAddress, type Hex } from 'viem'
import { describe, expect, it, vi } from 'vitest'
import { DEFAULT_OPENLEDGER, type OpenLedgerConfig } from '../../../genesis/openledger.ts'
import { iAgentRegistryAbi } from '../../../precompiles/agentRegistry/abi.ts'
import { agentRegistry } from '../../../precompiles/agentRegistry/agentRegistry.ts'
import { iDatanetRegistryAbi } from '../../../precompiles/datanetRegistry/abi.ts'
import { datanetRegistry } from '../../../precompiles/datanetRegistry/datanetRegistry.ts'
import { iModelRegistryAbi } from '../../../precompiles/modelRegistry/abi.ts'
import { modelRegistry } from '../../../precompiles/modelRegistry/modelRegistry.ts'
import { ALICE, BOB, bareVM, callPrecompile } from './support.ts'

const ZERO_HASH = `0x${'00'.repeat(32)}` as Hex
const ADAPTER = `0x${'ab'.repeat(32)}` as Hex

/** The three registries on one VM, with `config`, and one call helper per registry. */
async function registries(config: OpenLedgerConfig = DEFAULT_OPENLEDGER) {
  const [datanets, models, agents] = [datanetRegistry(config), modelRegistry(config), agentRegistry(config)]
  const t = await bareVM([datanets, models, agents])
  return {
    t,
    datanet: (fn: string, args: readonly unknown[], caller = ALICE) => callPrecompile(t, datanets.address, iDatanetRegistryAbi, fn, args, { caller }),
    model: (fn: string, args: readonly unknown[], caller = ALICE, gasLimit?: bigint) => callPrecompile(t, models.address, iModelRegistryAbi, fn, args, { caller, gasLimit }),
    agent: (fn: string, args: readonly unknown[], caller = ALICE, gasLimit?: bigint) => callPrecompile(t, agents.address, iAgentRegistryAbi, fn, args, { caller, gasLimit }),
  }
}

const withModels = (models: Partial<OpenLedgerConfig['models']>): OpenLedgerConfig => ({ ...DEFAULT_OPENLEDGER, models: { ...DEFAULT_OPENLEDGER.models, ...models } })
const withAgents = (agents: Partial<OpenLedgerConfig['agents']>): OpenLedgerConfig => ({ ...DEFAULT_OPENLEDGER, agents: { ...DEFAULT_OPENLEDGER.agents, ...agents } })
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => BigInt(from + i))

describe('ModelRegistry on a bare VM', () => {
  it('records each Datanet at its version when the model is registered, and keeps it as the Datanet grows', async () => {
    const r = await registries()
    await r.datanet('createDatanet', ['D1', '', 2, { curated: false, nearDuplicatePct: 0 }])
    await r.datanet('createDatanet', ['D2', '', 2, { curated: false, nearDuplicatePct: 0 }])
    await r.datanet('submitContribution', [1n, `0x${'01'.repeat(32)}`, '', [1n, 2n]], BOB)
    const id = (await r.model('registerModel', ['m', 'ipfs://m', 'base', ADAPTER, [2n, 1n], 7n])).result
    expect(id).toBe(1n)
    await r.datanet('submitContribution', [1n, `0x${'02'.repeat(32)}`, '', [3n, 4n]], BOB)
    const model = (await r.model('getModel', [id])).result
    expect(model.datanets).toEqual([
      { datanetId: 2n, version: 0n },
      { datanetId: 1n, version: 1n },
    ])
    expect((await r.datanet('getDatanet', [1n])).result.version).toBe(2n)
  })

  it('refuses an unknown or repeated Datanet, and too many, naming them', async () => {
    const r = await registries(withModels({ maxDatanets: 2 }))
    await r.datanet('createDatanet', ['D1', '', 2, { curated: true, nearDuplicatePct: 0 }])
    expect((await r.model('registerModel', ['m', '', '', ZERO_HASH, [1n, 5n], 0n])).error).toMatchObject({ errorName: 'DatanetNotFound', args: [5n] })
    expect((await r.model('registerModel', ['m', '', '', ZERO_HASH, [1n, 1n], 0n])).error).toMatchObject({ errorName: 'RepeatedDatanet', args: [1n, 1n] })
    expect((await r.model('registerModel', ['m', '', '', ZERO_HASH, [1n, 2n, 3n], 0n])).error).toMatchObject({ errorName: 'TooManyDatanets', args: [3n, 2n] })
    expect((await r.model('modelCount', [])).result).toBe(0n)
  })

  it('caps name, uri and baseModel by the genesis limits', async () => {
    const r = await registries(withModels({ maxNameBytes: 4, maxUriBytes: 6 }))
    expect((await r.model('registerModel', ['12345', '', '', ZERO_HASH, [], 0n])).error).toMatchObject({ errorName: 'TooLong', args: ['name', 5n, 4n] })
    expect((await r.model('registerModel', ['m', '1234567', '', ZERO_HASH, [], 0n])).error).toMatchObject({ errorName: 'TooLong', args: ['uri', 7n, 6n] })
    // UTF-8 bytes, not characters: "ééé" is 6 bytes.
    expect((await r.model('registerModel', ['m', '', 'ééé', ZERO_HASH, [], 0n])).error).toMatchObject({ errorName: 'TooLong', args: ['baseModel', 6n, 4n] })
    expect((await r.model('registerModel', ['1234', '123456', 'é', ZERO_HASH, [], 0n])).result).toBe(1n)
  })

  it('lets only the owner change the fee or deprecate, and deprecates once', async () => {
    const r = await registries()
    await r.model('registerModel', ['m', '', '', ZERO_HASH, [], 5n])
    expect((await r.model('setFee', [1n, 9n], BOB)).error).toMatchObject({ errorName: 'NotOwner', args: [1n, getAddress(BOB.toString())] })
    expect((await r.model('deprecate', [1n], BOB)).error?.errorName).toBe('NotOwner')
    expect((await r.model('setFee', [2n, 9n])).error).toMatchObject({ errorName: 'ModelNotFound', args: [2n] })
    expect((await r.model('setFee', [1n, 9n])).error).toBeUndefined()
    expect((await r.model('deprecate', [1n])).error).toBeUndefined()
    expect((await r.model('deprecate', [1n])).error).toMatchObject({ errorName: 'AlreadyDeprecated', args: [1n] })
    const model = (await r.model('getModel', [1n])).result
    expect([model.feePerCall, model.deprecated, model.owner]).toEqual([9n, true, getAddress(ALICE.toString())])
    expect((await r.model('modelsOf', [ALICE.toString()])).result).toEqual([1n])
    expect((await r.model('modelsOf', [BOB.toString()])).result).toEqual([])
  })

  it('bounds the gas of a registration at the caps, and a starved one leaves nothing behind', async () => {
    const r = await registries()
    for (let i = 0; i < 16; i++) await r.datanet('createDatanet', [`D${i}`, '', 2, { curated: true, nearDuplicatePct: 0 }])
    const full = ['n'.repeat(128), 'u'.repeat(512), 'b'.repeat(128), ADAPTER, range(1, 16), 10n ** 18n] as const
    const starved = await r.model('registerModel', full, ALICE, 200_000n)
    expect(starved.error?.errorName).toBe(EVMError.errorMessages.OUT_OF_GAS)
    expect((await r.model('modelCount', [])).result).toBe(0n)
    const puts = vi.spyOn(r.t.state, 'putStorage')
    const registered = await r.model('registerModel', full, ALICE, 30_000_000n)
    expect(registered.result).toBe(1n)
    expect(puts).toHaveBeenCalled()
    // 25 string slots, 8 packed (Datanet, version) slots, head, adapter, fee, id and owner list: 928,500 gas.
    expect(registered.gasUsed).toBeLessThan(1_000_000n)
  })

  it('refuses an attacker-sized Datanet list before decoding it, and one over the cap before reading any storage', async () => {
    const r = await registries()
    const gets = vi.spyOn(r.t.state, 'getStorage')
    const huge = await r.model('registerModel', ['m', '', '', ZERO_HASH, range(1, 10_000), 0n], ALICE, 30_000_000n)
    expect(huge.error?.errorName).toBe('CalldataTooLong')
    const refused = await r.model('registerModel', ['m', '', '', ZERO_HASH, range(1, 17), 0n], ALICE, 30_000_000n)
    expect(refused.error).toMatchObject({ errorName: 'TooManyDatanets', args: [17n, 16n] })
    expect(gets).not.toHaveBeenCalled()
  })
})

describe('AgentRegistry on a bare VM', () => {
  async function withTwoModels(config?: OpenLedgerConfig) {
    const r = await registries(config)
    await r.model('registerModel', ['m1', '', '', ZERO_HASH, [], 1n])
    await r.model('registerModel', ['m2', '', 'm1', ADAPTER, [], 2n], BOB)
    return r
  }

  it('registers an agent on existing models, refuses unknown, repeated, deprecated, none and too many', async () => {
    const r = await withTwoModels(withAgents({ maxModels: 2 }))
    expect((await r.agent('registerAgent', ['a', 'u', [1n, 3n], 0n])).error).toMatchObject({ errorName: 'ModelNotFound', args: [3n] })
    expect((await r.agent('registerAgent', ['a', 'u', [2n, 2n], 0n])).error).toMatchObject({ errorName: 'RepeatedModel', args: [1n, 2n] })
    expect((await r.agent('registerAgent', ['a', 'u', [], 0n])).error).toMatchObject({ errorName: 'NoModels' })
    expect((await r.agent('registerAgent', ['a', 'u', [1n, 2n, 3n], 0n])).error).toMatchObject({ errorName: 'TooManyModels', args: [3n, 2n] })
    expect((await r.agent('registerAgent', ['a', 'u', [2n, 1n], 4n], BOB)).result).toBe(1n)
    await r.model('deprecate', [2n], BOB)
    expect((await r.agent('registerAgent', ['b', 'u', [1n, 2n], 0n])).error).toMatchObject({ errorName: 'ModelDeprecated', args: [2n] })
    // An agent already using a model keeps it after the deprecation.
    const agent = (await r.agent('getAgent', [1n])).result
    expect([agent.name, agent.uri, agent.feePerCall, agent.modelIds]).toEqual(['a', 'u', 4n, [2n, 1n]])
    expect((await r.agent('agentCount', [])).result).toBe(1n)
  })

  it('lets only the owner change fee, uri and models; shorter replacements read back exactly', async () => {
    const r = await withTwoModels()
    await r.agent('registerAgent', ['a', 'u'.repeat(70), [1n, 2n], 3n])
    for (const [fn, args] of [['setFee', [1n, 1n]], ['setUri', [1n, 'x']], ['setModels', [1n, [1n]]]] as const) {
      expect((await r.agent(fn, args, BOB)).error).toMatchObject({ errorName: 'NotOwner' })
    }
    expect((await r.agent('setFee', [9n, 1n])).error).toMatchObject({ errorName: 'AgentNotFound', args: [9n] })
    await r.agent('setFee', [1n, 8n])
    await r.agent('setUri', [1n, 'ipfs://short'])
    await r.agent('setModels', [1n, [2n]])
    const agent = (await r.agent('getAgent', [1n])).result
    expect([agent.uri, agent.feePerCall, agent.modelIds]).toEqual(['ipfs://short', 8n, [2n]])
    await r.model('deprecate', [1n])
    expect((await r.agent('setModels', [1n, [1n, 2n]])).error).toMatchObject({ errorName: 'ModelDeprecated', args: [1n] })
    expect((await r.agent('agentsOf', [ALICE.toString()])).result).toEqual([1n])
  })

  it('bounds the gas of a registration at the caps, and a starved one leaves nothing behind', async () => {
    const r = await registries()
    for (let i = 0; i < 16; i++) await r.model('registerModel', [`m${i}`, '', '', ZERO_HASH, [], 0n])
    const full = ['n'.repeat(128), 'u'.repeat(512), range(1, 16), 1n] as const
    expect((await r.agent('registerAgent', full, ALICE, 150_000n)).error?.errorName).toBe(EVMError.errorMessages.OUT_OF_GAS)
    expect((await r.agent('agentCount', [])).result).toBe(0n)
    const registered = await r.agent('registerAgent', full, ALICE, 30_000_000n)
    expect(registered.result).toBe(1n)
    expect(registered.gasUsed).toBeLessThan(750_000n)
  })
})
