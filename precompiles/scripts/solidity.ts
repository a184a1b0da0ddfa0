import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import solc from 'solc'

/** The precompiles/ directory: Solidity imports between interfaces resolve from here. */
export const PRECOMPILES_DIR = fileURLToPath(new URL('..', import.meta.url))

/** The precompiles' interfaces: folder, interface name and the path of its .sol under precompiles/. */
export const INTERFACES = [
  { folder: 'framework', name: 'IOpenLedgerPrecompile', source: 'framework/IOpenLedgerPrecompile.sol' },
  { folder: 'datanetRegistry', name: 'IDatanetRegistry', source: 'datanetRegistry/IDatanetRegistry.sol' },
  { folder: 'modelRegistry', name: 'IModelRegistry', source: 'modelRegistry/IModelRegistry.sol' },
  { folder: 'agentRegistry', name: 'IAgentRegistry', source: 'agentRegistry/IAgentRegistry.sol' },
  { folder: 'attribution', name: 'IAttribution', source: 'attribution/IAttribution.sol' },
  { folder: 'rewards', name: 'IRewards', source: 'rewards/IRewards.sol' },
] as const

/** The ABI solc gives an interface of precompiles/ (imports resolved inside precompiles/). */
export function compileInterfaceAbi(source: string, name: string): unknown[] {
  const input = {
    language: 'Solidity',
    sources: { [source]: { content: readFileSync(path.join(PRECOMPILES_DIR, source), 'utf8') } },
    settings: { outputSelection: { '*': { '*': ['abi'] } } },
  }
  const findImports = (importPath: string) => ({ contents: readFileSync(path.join(PRECOMPILES_DIR, importPath), 'utf8') })
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as {
    errors?: { severity: string; formattedMessage: string }[]
    contracts: Record<string, Record<string, { abi: unknown[] }>>
  }
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'))
  return output.contracts[source][name].abi
}

/** The generated abi.ts of an interface: the ABI as a const, so viem types the handlers and clients. */
export function abiModule(name: string, abi: unknown[]): string {
  const constName = `${name[0].toLowerCase()}${name.slice(1)}Abi`
  return `// Generated from ${name}.sol by precompiles/scripts/generateAbis.ts; do not edit.\nexport const ${constName} = ${JSON.stringify(abi, null, 2)} as const\n`
}
