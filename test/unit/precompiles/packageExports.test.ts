/** What the package exports to SDK users (package.json "exports"): the precompiles' client, ABIs, fingerprint and addresses, and the Solidity interfaces as files. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { createPublicClient, http } from 'viem'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const resolve = createRequire(import.meta.url).resolve

describe('package exports', () => {
  it('resolves the package name to the precompiles index, which exports the client, ABIs, fingerprint and addresses', async () => {
    expect(resolve('olnode')).toBe(`${ROOT}precompiles/index.ts`)
    const sdk = await import('olnode')
    expect(sdk.PRECOMPILE_ADDRESSES.rewards).toBe('0x0000000000000000000000000000000000000a05')
    expect(sdk.fingerprint('hello world', { shingleSize: 2 })).toEqual([0x47173285a8d7341en])
    for (const abi of [sdk.iDatanetRegistryAbi, sdk.iModelRegistryAbi, sdk.iAgentRegistryAbi, sdk.iAttributionAbi, sdk.iRewardsAbi]) expect(abi.length).toBeGreaterThan(0)
    // getContract is lazy: no request goes out until a function is called.
    const contracts = sdk.openLedgerContracts(createPublicClient({ transport: http('http://127.0.0.1:9') }))
    expect(Object.values(contracts).map((c) => c.address)).toEqual(Object.values(sdk.PRECOMPILE_ADDRESSES))
  })

  it('serves every Solidity interface, and the framework interface they import, as a file', () => {
    for (const file of ['datanetRegistry/IDatanetRegistry.sol', 'modelRegistry/IModelRegistry.sol', 'agentRegistry/IAgentRegistry.sol', 'attribution/IAttribution.sol', 'rewards/IRewards.sol', 'framework/IOpenLedgerPrecompile.sol']) {
      const resolved = resolve(`olnode/precompiles/${file}`)
      expect(resolved).toBe(`${ROOT}precompiles/${file}`)
      expect(readFileSync(resolved, 'utf8')).toMatch(/^\/\/ SPDX-License-Identifier: MIT\npragma solidity/)
    }
  })
})
