/**
 * A bare chain VM for the precompile unit tests (the chain's EVM with the precompiles under test,
 * in-memory state), and solc-js compilation of test contracts that import the precompiles' interfaces.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { EVMError, EVMMockBlockchain, NobleBN254, type EVMResult, type Log } from '@ethereumjs/evm'
import { MerkleStateManager } from '@ethereumjs/statemanager'
import { Account, bytesToHex, createAddressFromString, hexToBytes, type Address } from '@ethereumjs/util'
import { createVM, type VM } from '@ethereumjs/vm'
import solc from 'solc'
import { decodeErrorResult, decodeFunctionResult, encodeFunctionData, type Abi, type Hex } from 'viem'
import { devnetGenesis } from '../../../genesis/genesis.ts'
import { PRECOMPILE_ACCOUNT_CODE } from '../../../precompiles/addresses.ts'
import { ChainEVM } from '../../../precompiles/framework/chainEvm.ts'
import type { Precompile } from '../../../precompiles/framework/definePrecompile.ts'
import { createChainCommon } from '../../../node/execution/common.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export const ALICE = createAddressFromString('0x00000000000000000000000000000000000a11ce')
export const BOB = createAddressFromString('0x0000000000000000000000000000000000000b0b')

export interface BareVM {
  vm: VM
  state: MerkleStateManager
  /** One message from `caller` (ALICE unless given), as a transaction's top frame would run it. */
  call(to: Address, data: Hex, opts?: { gasLimit?: bigint; isStatic?: boolean; value?: bigint; caller?: Address }): Promise<EVMResult>
  storage(address: Address, slot: Uint8Array): Promise<Uint8Array>
}

/** The devnet's Common, an empty state with each precompile's account (as genesis makes them), and `contracts` deployed. */
export async function bareVM(precompiles: Precompile[], contracts: [Address, Hex][] = []): Promise<BareVM> {
  const common = createChainCommon(devnetGenesis())
  const state = new MerkleStateManager({ common })
  const evm = new ChainEVM({ common, stateManager: state, blockchain: new EVMMockBlockchain(), bn254: new NobleBN254(), customPrecompiles: precompiles })
  const vm = await createVM({ common, stateManager: state, evm })
  for (const p of precompiles) {
    await state.putAccount(p.address, new Account())
    await state.putCode(p.address, PRECOMPILE_ACCOUNT_CODE)
  }
  for (const [address, code] of contracts) {
    await state.putAccount(address, new Account())
    await state.putCode(address, hexToBytes(code))
  }
  await state.putAccount(ALICE, new Account(0n, 10n ** 24n))
  await state.putAccount(BOB, new Account(0n, 10n ** 24n))
  return {
    vm,
    state,
    call: (to, data, opts = {}) =>
      vm.evm.runCall({ caller: opts.caller ?? ALICE, to, data: hexToBytes(data), gasLimit: opts.gasLimit ?? 10_000_000n, isStatic: opts.isStatic, value: opts.value }),
    storage: (address, slot) => state.getStorage(address, slot),
  }
}

export interface Outcome {
  result?: any
  error?: { errorName: string; args?: readonly unknown[] }
  gasUsed: bigint
  /** The logs the call emitted (none when it failed). */
  logs: Log[]
}

/** Calls `functionName` of the precompile at `to`: its decoded result, or its custom error (or the EVM's halt), the gas used and the logs. */
export async function callPrecompile(t: BareVM, to: Address, abi: Abi, functionName: string, args: readonly unknown[], opts: { caller?: Address; gasLimit?: bigint; value?: bigint } = {}): Promise<Outcome> {
  const res = await t.call(to, encodeFunctionData({ abi, functionName, args } as any), opts)
  const data = bytesToHex(res.execResult.returnValue) as Hex
  const { executionGasUsed: gasUsed, exceptionError: err, logs = [] } = res.execResult
  if (err?.error === EVMError.errorMessages.REVERT) return { error: decodeErrorResult({ abi, data }) as any, gasUsed, logs }
  if (err) return { error: { errorName: err.error }, gasUsed, logs }
  return { result: decodeFunctionResult({ abi, functionName, data } as any), gasUsed, logs }
}

/** Runtime and creation code and ABI of contract `name` in `source`; imports resolve from the repository root. */
export function compile(source: string, name: string): { abi: unknown[]; bytecode: Hex; deployedBytecode: Hex } {
  const input = {
    language: 'Solidity',
    sources: { 'Test.sol': { content: source } },
    settings: { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } } },
  }
  const findImports = (file: string) => ({ contents: readFileSync(path.join(ROOT, file), 'utf8') })
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }))
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error')
  if (errors.length > 0) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'))
  const c = output.contracts['Test.sol'][name]
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, deployedBytecode: `0x${c.evm.deployedBytecode.object}` }
}
