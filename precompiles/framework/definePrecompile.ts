import { EVMError, type ExecResult, type Message, type PrecompileFunc, type PrecompileInput } from '@ethereumjs/evm'
import { bytesToHex, createAddressFromString, type Address } from '@ethereumjs/util'
import {
  decodeFunctionData,
  encodeErrorResult,
  encodeFunctionData,
  encodeFunctionResult,
  hexToBytes,
  toFunctionSelector,
  type Abi,
  type AbiFunction,
  type AbiStateMutability,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type Hex,
} from 'viem'
import { iOpenLedgerPrecompileAbi } from './abi.ts'
import { ChainEVM } from './chainEvm.ts'
import { CallContext } from './context.ts'
import { PrecompileHostError, PrecompileOutOfGas, PrecompileRevert } from './errors.ts'
import { GAS, words } from './gas.ts'

/** The code of one function of a precompile: its decoded arguments in, its ABI outputs back. */
export type Handler<A extends Abi, N extends ContractFunctionName<A>> = (
  ctx: CallContext<A>,
  args: ContractFunctionArgs<A, AbiStateMutability, N>,
) => Promise<ContractFunctionReturnType<A, AbiStateMutability, N>>

/** One handler for every function of the ABI (the compiler says which are missing). */
export type Handlers<A extends Abi> = { [N in ContractFunctionName<A>]: Handler<A, N> }

export interface PrecompileSpec<A extends Abi> {
  name: string
  address: string
  /** The ABI generated from the precompile's I*.sol (abi.ts). */
  abi: A
  handlers: Handlers<A>
  /**
   * The longest calldata a valid call can have (from the genesis caps): longer calldata is refused
   * with `CalldataTooLong` before it is decoded, so an attacker-sized argument costs no decoding.
   */
  maxCalldataBytes?: number
}

/** A precompile as ethereumjs' `customPrecompiles` takes it. */
export interface Precompile {
  name: string
  address: Address
  function: PrecompileFunc
}

type FrameworkError = (typeof iOpenLedgerPrecompileAbi)[number]['name']

/**
 * Makes the EVM entry point of a precompile: dispatch by selector, strict ABI decoding, the call
 * kind, static and value checks of the framework (IOpenLedgerPrecompile errors), then the handler;
 * its return value ABI-encoded, its custom errors as REVERT data, out of gas as an exceptional halt.
 */
export function definePrecompile<const A extends Abi>(spec: PrecompileSpec<A>): Precompile {
  const address = createAddressFromString(spec.address)
  const functions = functionsBySelector(spec.abi)
  const run = async (input: PrecompileInput): Promise<ExecResult> => {
    const evm = input._EVM
    if (!(evm instanceof ChainEVM)) throw new PrecompileHostError(`${spec.name} needs the chain EVM (ChainEVM) to know its caller`)
    const message = evm.currentMessage
    const fn = functions.get(bytesToHex(input.data.subarray(0, 4)) as Hex)
    const readOnly = message.isStatic || (fn !== undefined && isView(fn))
    const ctx = new CallContext(spec.abi, evm, { self: address, caller: message.caller, value: message.value, readOnly, gasLimit: input.gasLimit })
    try {
      ctx.charge(GAS.call + GAS.abiWord * words(input.data.length))
      const admitted = admit(message, address, fn, input.data)
      if (spec.maxCalldataBytes !== undefined && input.data.length > spec.maxCalldataBytes) {
        frameworkRevert('CalldataTooLong', [BigInt(input.data.length), BigInt(spec.maxCalldataBytes)])
      }
      const output = await execute(ctx, spec.handlers, admitted, input.data)
      return { executionGasUsed: ctx.gasUsed, returnValue: output, logs: ctx.logs }
    } catch (err) {
      if (err instanceof PrecompileRevert) return { executionGasUsed: ctx.gasUsed, returnValue: err.data, exceptionError: new EVMError(EVMError.errorMessages.REVERT) }
      if (err instanceof PrecompileOutOfGas) return { executionGasUsed: input.gasLimit, returnValue: new Uint8Array(), exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS) }
      throw err
    }
  }
  return { name: spec.name, address, function: run }
}

/**
 * An upper bound on the calldata of any valid call: selector, `words` head and static words, and the
 * largest dynamic arguments the genesis caps allow (each string or array: a length word, then its
 * content in words). Generous on purpose: it only has to stop what no valid call could be.
 */
export function calldataBound(shape: { words: number; stringBytes?: number[]; arrayItems?: number[] }): number {
  const strings = (shape.stringBytes ?? []).reduce((sum, bytes) => sum + 1 + Math.ceil(bytes / 32), 0)
  const arrays = (shape.arrayItems ?? []).reduce((sum, items) => sum + 1 + items, 0)
  return 4 + 32 * (shape.words + strings + arrays)
}

/** The function called, if the framework lets the message call it; otherwise the framework's revert. */
function admit(message: Message, self: Address, fn: AbiFunction | undefined, data: Uint8Array): AbiFunction {
  if (message.delegatecall || message.to === undefined || !message.to.equals(self)) frameworkRevert('DelegateCallRefused')
  if (!fn) frameworkRevert('UnknownFunction', [padSelector(data)])
  const selector = padSelector(data)
  if (message.isStatic && !isView(fn)) frameworkRevert('WriteInStaticCall', [selector])
  if (message.value > 0n && fn.stateMutability !== 'payable') frameworkRevert('NotPayable', [selector, message.value])
  return fn
}

/** Runs the handler of `fn` on the strictly decoded arguments; its outputs ABI-encoded, charged per word. */
async function execute<A extends Abi>(ctx: CallContext<A>, handlers: Handlers<A>, fn: AbiFunction, data: Uint8Array): Promise<Uint8Array> {
  const args = strictlyDecoded(fn, data)
  const handler = handlers[fn.name as ContractFunctionName<A>] as unknown as (ctx: CallContext<A>, args: readonly unknown[]) => Promise<unknown>
  const result = await handler(ctx, args)
  const output = hexToBytes(encodeFunctionResult({ abi: [fn], functionName: fn.name, result } as Parameters<typeof encodeFunctionResult>[0]))
  ctx.charge(GAS.abiWord * words(output.length))
  return output
}

function functionsBySelector(abi: Abi): Map<Hex, AbiFunction> {
  const out = new Map<Hex, AbiFunction>()
  for (const item of abi) if (item.type === 'function') out.set(toFunctionSelector(item), item)
  return out
}

function isView(fn: AbiFunction): boolean {
  return fn.stateMutability === 'view' || fn.stateMutability === 'pure'
}

/**
 * The arguments, decoded and then re-encoded: only the canonical encoding (every value in its type's
 * range, no dirty padding, no trailing bytes) is accepted, as Solidity's decoder would insist.
 */
function strictlyDecoded(fn: AbiFunction, data: Uint8Array): readonly unknown[] {
  const hex = bytesToHex(data) as Hex
  try {
    const { args } = decodeFunctionData({ abi: [fn], data: hex })
    const canonical = encodeFunctionData({ abi: [fn], functionName: fn.name, args } as Parameters<typeof encodeFunctionData>[0])
    if (canonical.toLowerCase() === hex.toLowerCase()) return args ?? []
  } catch {
    // Undecodable calldata is refused below, like calldata that is not canonical.
  }
  return frameworkRevert('InvalidArguments', [padSelector(data)])
}

function frameworkRevert(name: FrameworkError, args?: readonly unknown[]): never {
  const data = encodeErrorResult({ abi: iOpenLedgerPrecompileAbi, errorName: name, args } as Parameters<typeof encodeErrorResult>[0])
  throw new PrecompileRevert(hexToBytes(data), name)
}

/** The calldata's first 4 bytes, zero-padded when it is shorter. */
function padSelector(data: Uint8Array): Hex {
  const four = new Uint8Array(4)
  four.set(data.subarray(0, 4))
  return bytesToHex(four) as Hex
}
