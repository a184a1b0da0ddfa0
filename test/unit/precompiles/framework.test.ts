import { EVMError } from '@ethereumjs/evm'
import { bytesToHex, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import { decodeErrorResult, decodeEventLog, decodeFunctionResult, encodeFunctionData, getAddress, parseAbi, toFunctionSelector, type Hex } from 'viem'
import { describe, expect, it, vi } from 'vitest'
import { iOpenLedgerPrecompileAbi } from '../../../precompiles/framework/abi.ts'
import { definePrecompile } from '../../../precompiles/framework/definePrecompile.ts'
import { GAS, logGas } from '../../../precompiles/framework/gas.ts'
import { ALICE, bareVM, compile } from './support.ts'

const PROBE = '0x000000000000000000000000000000000000be0e'
const RELAY = createAddressFromString('0x000000000000000000000000000000000000e1a7')
const probeAddress = createAddressFromString(PROBE)

const abi = parseAbi([
  'function set(uint256 key, uint256 value)',
  'function get(uint256 key) view returns (uint256)',
  'function fill(uint256 count)',
  'function setThenFail(uint256 key, uint256 value)',
  'function whoami() payable returns (address caller, uint256 value)',
  'function narrow(uint64 small, address who) view returns (uint64)',
  'function forward(address to, uint256 amount) payable',
  'event Set(uint256 indexed key, uint256 value)',
  'error Nope(uint256 code)',
])

/** A precompile that exercises the framework: storage, logs, custom errors, the message's caller and value. */
const probe = definePrecompile({
  name: 'Probe',
  address: PROBE,
  abi,
  handlers: {
    async set(ctx, [key, value]) {
      await ctx.store(key, value)
      ctx.emit('Set', { key, value })
    },
    async get(ctx, [key]) {
      return ctx.load(key)
    },
    async fill(ctx, [count]) {
      for (let i = 1n; i <= count; i++) await ctx.store(1000n + i, i)
    },
    async setThenFail(ctx, [key, value]) {
      await ctx.store(key, value)
      ctx.revert('Nope', [value])
    },
    async whoami(ctx) {
      return [ctx.caller, ctx.value] as const
    },
    async narrow(_ctx, [small]) {
      return small
    },
    async forward(ctx, [to, amount]) {
      await ctx.pay(createAddressFromString(to), amount)
    },
  },
})

const readerAbi = parseAbi(['function peek(uint256 key) view returns (uint256)', 'function poke(uint256 key)'])

/** A second precompile that reads (and tries to write) the Probe's storage. */
const reader = definePrecompile({
  name: 'Reader',
  address: '0x000000000000000000000000000000000000be0f',
  abi: readerAbi,
  handlers: {
    async peek(ctx, [key]) {
      return ctx.slotsOf(probeAddress).load(key)
    },
    async poke(ctx, [key]) {
      await ctx.slotsOf(probeAddress).store(key, 1n)
    },
  },
})

const RELAY_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Relay {
    address constant P = ${getAddress(PROBE)};
    function relay(bytes calldata data, uint256 gas_) external returns (bool ok, bytes memory ret) { (ok, ret) = P.call{gas: gas_}(data); }
    function relayThenRevert(bytes calldata data) external { (bool ok, ) = P.call(data); require(ok, "inner failed"); revert("outer"); }
    function viaStatic(bytes calldata data) external view returns (bool ok, bytes memory ret) { (ok, ret) = P.staticcall(data); }
    function viaDelegate(bytes calldata data) external returns (bool ok, bytes memory ret) { (ok, ret) = P.delegatecall(data); }
    function viaCallcode(bytes calldata data) external returns (bool ok, bytes memory ret) {
        bytes memory d = data;
        assembly {
            ok := callcode(gas(), P, 0, add(d, 32), mload(d), 0, 0)
            ret := mload(0x40)
            mstore(ret, returndatasize())
            returndatacopy(add(ret, 32), 0, returndatasize())
            mstore(0x40, add(add(ret, 32), and(add(returndatasize(), 31), not(31))))
        }
    }
}
`
const relay = compile(RELAY_SOURCE, 'Relay')
const relayAbi = parseAbi([
  'function relay(bytes data, uint256 gas_) returns (bool ok, bytes ret)',
  'function relayThenRevert(bytes data)',
  'function viaStatic(bytes data) view returns (bool ok, bytes ret)',
  'function viaDelegate(bytes data) returns (bool ok, bytes ret)',
  'function viaCallcode(bytes data) returns (bool ok, bytes ret)',
])

const slot = (n: bigint) => setLengthLeft(Uint8Array.from(Buffer.from(n.toString(16).padStart(2, '0'), 'hex')), 32)
const frameworkError = (data: Uint8Array) => decodeErrorResult({ abi: iOpenLedgerPrecompileAbi, data: bytesToHex(data) as Hex })
const setData = (key: bigint, value: bigint) => encodeFunctionData({ abi, functionName: 'set', args: [key, value] })
const relayed = (ret: Uint8Array, fn: 'relay' | 'viaStatic' | 'viaDelegate' | 'viaCallcode') =>
  decodeFunctionResult({ abi: relayAbi, functionName: fn, data: bytesToHex(ret) as Hex }) as readonly [boolean, Hex]

describe('precompile framework', () => {
  it('dispatches by selector, decodes arguments and encodes results', async () => {
    const t = await bareVM([probe])
    expect((await t.call(probeAddress, setData(7n, 42n))).execResult.exceptionError).toBeUndefined()
    const got = await t.call(probeAddress, encodeFunctionData({ abi, functionName: 'get', args: [7n] }))
    expect(decodeFunctionResult({ abi, functionName: 'get', data: bytesToHex(got.execResult.returnValue) as Hex })).toBe(42n)
    const who = await t.call(probeAddress, encodeFunctionData({ abi, functionName: 'whoami' }), { value: 5n })
    expect(decodeFunctionResult({ abi, functionName: 'whoami', data: bytesToHex(who.execResult.returnValue) as Hex })).toEqual([getAddress(ALICE.toString()), 5n])
  })

  it('reverts with UnknownFunction for a selector the ABI does not have', async () => {
    const t = await bareVM([probe])
    const result = await t.call(probeAddress, '0xdeadbeef00')
    expect(result.execResult.exceptionError?.error).toBe(EVMError.errorMessages.REVERT)
    expect(frameworkError(result.execResult.returnValue)).toEqual({ abiItem: expect.anything(), errorName: 'UnknownFunction', args: ['0xdeadbeef'] })
  })

  it('refuses calldata that is short, out of range for its type or not canonical with InvalidArguments', async () => {
    const t = await bareVM([probe])
    const good = encodeFunctionData({ abi, functionName: 'narrow', args: [5n, '0x00000000000000000000000000000000000000aa'] })
    expect((await t.call(probeAddress, good)).execResult.exceptionError).toBeUndefined()
    const selector = toFunctionSelector('narrow(uint64,address)')
    const bad: Hex[] = [
      good.slice(0, 40) as Hex, // truncated
      `${selector}${'01'.padStart(64, 'f')}${good.slice(74)}` as Hex, // uint64 with high bits set
      `${good.slice(0, 74)}ff${good.slice(76)}` as Hex, // dirty address padding
      `${good}00` as Hex, // trailing byte
    ]
    for (const data of bad) {
      const result = await t.call(probeAddress, data)
      expect(result.execResult.exceptionError?.error).toBe(EVMError.errorMessages.REVERT)
      expect(frameworkError(result.execResult.returnValue).errorName).toBe('InvalidArguments')
    }
  })

  it('reverts with a custom error the ABI decodes, undoing the writes made before it', async () => {
    const t = await bareVM([probe])
    const result = await t.call(probeAddress, encodeFunctionData({ abi, functionName: 'setThenFail', args: [3n, 9n] }))
    expect(result.execResult.exceptionError?.error).toBe(EVMError.errorMessages.REVERT)
    expect(decodeErrorResult({ abi, data: bytesToHex(result.execResult.returnValue) as Hex })).toMatchObject({ errorName: 'Nope', args: [9n] })
    expect((await t.storage(probeAddress, slot(3n))).length).toBe(0)
    expect(result.execResult.executionGasUsed).toBeLessThan(100_000n)
  })

  it('refuses value sent to a function that is not payable', async () => {
    const t = await bareVM([probe])
    const result = await t.call(probeAddress, setData(1n, 1n), { value: 1n })
    expect(frameworkError(result.execResult.returnValue)).toMatchObject({ errorName: 'NotPayable', args: [toFunctionSelector('set(uint256,uint256)'), 1n] })
    expect((await t.state.getAccount(probeAddress))!.balance).toBe(0n)
  })

  it('charges storage, logs and ABI words as documented', async () => {
    const t = await bareVM([probe])
    const data = setData(7n, 42n)
    const result = await t.call(probeAddress, data)
    const calldataWords = BigInt(Math.ceil((data.length - 2) / 2 / 32))
    const expected = GAS.call + GAS.abiWord * calldataWords + GAS.coldSload + GAS.sstoreSet + logGas(2, 32)
    expect(result.execResult.executionGasUsed).toBe(expected)
    // runCall keeps the transaction's access list between calls (runTx would clear it): slot 7 is warm now.
    const get = (key: bigint) => t.call(probeAddress, encodeFunctionData({ abi, functionName: 'get', args: [key] }))
    expect((await get(8n)).execResult.executionGasUsed).toBe(GAS.call + GAS.abiWord * 2n + GAS.coldSload + GAS.abiWord)
    expect((await get(7n)).execResult.executionGasUsed).toBe(GAS.call + GAS.abiWord * 2n + GAS.warmAccess + GAS.abiWord)
  })

  it('charges each write before making it: out of gas leaves the unpaid write undone and reverts the paid ones', async () => {
    const t = await bareVM([probe])
    const data = encodeFunctionData({ abi, functionName: 'fill', args: [5n] })
    const perWrite = GAS.coldSload + GAS.sstoreSet
    const gasLimit = GAS.call + GAS.abiWord * 2n + perWrite * 2n + perWrite / 2n
    const puts = vi.spyOn(t.state, 'putStorage')
    const result = await t.call(probeAddress, data, { gasLimit })
    expect(result.execResult.exceptionError?.error).toBe(EVMError.errorMessages.OUT_OF_GAS)
    expect(result.execResult.executionGasUsed).toBe(gasLimit)
    expect(puts).toHaveBeenCalledTimes(2)
    for (const i of [1n, 2n, 3n]) expect((await t.storage(probeAddress, slot(1000n + i))).length).toBe(0)
  })

  it('emits real logs of its own address, dropped when the call or its caller reverts', async () => {
    const t = await bareVM([probe], [[RELAY, relay.deployedBytecode]])
    const direct = await t.call(probeAddress, setData(7n, 42n))
    expect(direct.execResult.logs).toHaveLength(1)
    const [address, topics, data] = direct.execResult.logs![0]
    expect(bytesToHex(address)).toBe(PROBE)
    expect(decodeEventLog({ abi, topics: topics.map((x) => bytesToHex(x)) as [Hex, ...Hex[]], data: bytesToHex(data) as Hex })).toMatchObject({ eventName: 'Set', args: { key: 7n, value: 42n } })
    const viaContract = await t.call(RELAY, encodeFunctionData({ abi: relayAbi, functionName: 'relay', args: [setData(8n, 1n), 1_000_000n] }))
    expect(viaContract.execResult.logs).toHaveLength(1)
    expect((await t.storage(probeAddress, slot(8n))).length).toBe(1)
    const outerRevert = await t.call(RELAY, encodeFunctionData({ abi: relayAbi, functionName: 'relayThenRevert', args: [setData(9n, 1n)] }))
    expect(outerRevert.execResult.exceptionError?.error).toBe(EVMError.errorMessages.REVERT)
    expect(outerRevert.execResult.logs ?? []).toHaveLength(0)
    expect((await t.storage(probeAddress, slot(9n))).length).toBe(0)
  })

  it('keeps the caller running after an inner revert or out of gas, with the precompile state untouched', async () => {
    const t = await bareVM([probe], [[RELAY, relay.deployedBytecode]])
    const failing = await t.call(RELAY, encodeFunctionData({ abi: relayAbi, functionName: 'relay', args: [encodeFunctionData({ abi, functionName: 'setThenFail', args: [4n, 2n] }), 1_000_000n] }))
    const [ok, ret] = relayed(failing.execResult.returnValue, 'relay')
    expect(ok).toBe(false)
    expect(decodeErrorResult({ abi, data: ret }).errorName).toBe('Nope')
    const starved = await t.call(RELAY, encodeFunctionData({ abi: relayAbi, functionName: 'relay', args: [setData(5n, 1n), 5_000n] }))
    expect(relayed(starved.execResult.returnValue, 'relay')[0]).toBe(false)
    expect(starved.execResult.logs ?? []).toHaveLength(0)
    for (const k of [4n, 5n]) expect((await t.storage(probeAddress, slot(k))).length).toBe(0)
  })

  it('refuses writes under STATICCALL and allows views', async () => {
    const t = await bareVM([probe], [[RELAY, relay.deployedBytecode]])
    const write = await t.call(probeAddress, setData(1n, 1n), { isStatic: true })
    expect(frameworkError(write.execResult.returnValue)).toMatchObject({ errorName: 'WriteInStaticCall' })
    const [ok, ret] = relayed((await t.call(RELAY, encodeFunctionData({ abi: relayAbi, functionName: 'viaStatic', args: [setData(1n, 1n)] }))).execResult.returnValue, 'viaStatic')
    expect(ok).toBe(false)
    expect(frameworkError(Buffer.from(ret.slice(2), 'hex')).errorName).toBe('WriteInStaticCall')
    const view = relayed((await t.call(RELAY, encodeFunctionData({ abi: relayAbi, functionName: 'viaStatic', args: [encodeFunctionData({ abi, functionName: 'get', args: [1n] })] }))).execResult.returnValue, 'viaStatic')
    expect(view[0]).toBe(true)
    expect((await t.storage(probeAddress, slot(1n))).length).toBe(0)
  })

  it("reads another precompile's storage through slotsOf, priced the same, and never writes it", async () => {
    const t = await bareVM([probe, reader])
    await t.call(probeAddress, setData(21n, 77n))
    const peek = await t.call(reader.address, encodeFunctionData({ abi: readerAbi, functionName: 'peek', args: [22n] }))
    expect(peek.execResult.executionGasUsed).toBe(GAS.call + GAS.abiWord * 2n + GAS.coldSload + GAS.abiWord)
    const warm = await t.call(reader.address, encodeFunctionData({ abi: readerAbi, functionName: 'peek', args: [21n] }))
    expect(decodeFunctionResult({ abi: readerAbi, functionName: 'peek', data: bytesToHex(warm.execResult.returnValue) as Hex })).toBe(77n)
    expect(warm.execResult.executionGasUsed).toBe(GAS.call + GAS.abiWord * 2n + GAS.warmAccess + GAS.abiWord)
    await expect(t.call(reader.address, encodeFunctionData({ abi: readerAbi, functionName: 'poke', args: [30n] }))).rejects.toThrow(TypeError)
    expect((await t.storage(probeAddress, slot(30n))).length).toBe(0)
  })

  it('pays value out of its own balance, priced as a CALL with value: cold and new account first, warm after', async () => {
    const t = await bareVM([probe])
    const fresh = createAddressFromString('0x00000000000000000000000000000000000f4e57')
    const forward = (amount: bigint) => encodeFunctionData({ abi, functionName: 'forward', args: [fresh.toString(), amount] })
    const base = GAS.call + GAS.abiWord * 3n
    const first = await t.call(probeAddress, forward(7n), { value: 10n })
    expect(first.execResult.exceptionError).toBeUndefined()
    expect(first.execResult.executionGasUsed).toBe(base + GAS.coldAccount + GAS.valueTransfer + GAS.newAccount)
    expect((await t.state.getAccount(fresh))!.balance).toBe(7n)
    expect((await t.state.getAccount(probeAddress))!.balance).toBe(3n)
    const zero = await t.call(probeAddress, forward(0n))
    expect(zero.execResult.executionGasUsed).toBe(base)
    const second = await t.call(probeAddress, forward(3n))
    // Bare runCalls share one access list (no transaction starts a new one): warm now, and no longer new.
    expect(second.execResult.executionGasUsed).toBe(base + GAS.warmAccess + GAS.valueTransfer)
    expect((await t.state.getAccount(fresh))!.balance).toBe(10n)
    expect((await t.state.getAccount(probeAddress))!.balance).toBe(0n)
  })

  it('undoes a payout when the call runs out of gas after it', async () => {
    const t = await bareVM([probe])
    const fresh = createAddressFromString('0x00000000000000000000000000000000000f4e58')
    const data = encodeFunctionData({ abi, functionName: 'forward', args: [fresh.toString(), 4n] })
    const starved = await t.call(probeAddress, data, { value: 4n, gasLimit: GAS.call + GAS.abiWord * 3n + GAS.coldAccount + GAS.valueTransfer })
    expect(starved.execResult.exceptionError?.error).toBe(EVMError.errorMessages.OUT_OF_GAS)
    expect((await t.state.getAccount(fresh))?.balance ?? 0n).toBe(0n)
    expect((await t.state.getAccount(probeAddress))?.balance ?? 0n).toBe(0n)
  })

  it('refuses DELEGATECALL and CALLCODE', async () => {
    const t = await bareVM([probe], [[RELAY, relay.deployedBytecode]])
    for (const fn of ['viaDelegate', 'viaCallcode'] as const) {
      const result = await t.call(RELAY, encodeFunctionData({ abi: relayAbi, functionName: fn, args: [setData(1n, 1n)] }))
      const [ok, ret] = relayed(result.execResult.returnValue, fn)
      expect(ok).toBe(false)
      expect(frameworkError(Buffer.from(ret.slice(2), 'hex')).errorName).toBe('DelegateCallRefused')
      expect((await t.storage(RELAY, slot(1n))).length).toBe(0)
      expect((await t.storage(probeAddress, slot(1n))).length).toBe(0)
    }
  })
})
