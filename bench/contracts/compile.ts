/** Compiles BenchToken.sol with solc-js (standard JSON, optimizer on, EVM version pinned). */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import solc from 'solc'

const FILE = 'BenchToken.sol'

export interface CompiledToken {
  abi: Record<string, unknown>[]
  bytecode: string
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[]
  contracts?: Record<string, Record<string, { abi: Record<string, unknown>[]; evm: { bytecode: { object: string } } }>>
}

export function compileBenchToken(): CompiledToken {
  const source = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), FILE), 'utf8')
  const input = {
    language: 'Solidity',
    sources: { [FILE]: { content: source } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      // Pinned rather than solc's newest default, so the bytecode runs on both nodes' hardforks.
      evmVersion: 'cancun',
      outputSelection: { '*': { BenchToken: ['abi', 'evm.bytecode.object'] } },
    },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`)
  const c = output.contracts?.[FILE]?.BenchToken
  if (!c) throw new Error('solc produced no BenchToken')
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }
}
