/**
 * debug_traceTransaction / debug_traceCall / debug_traceBlockByNumber / debug_traceBlockByHash over
 * HTTP on real signed transactions: geth's struct logger opcode by opcode, callTracer frame by frame
 * (a nested revert caught and uncaught, STATICCALL, DELEGATECALL, CREATE, CREATE2, logs), and
 * prestateTracer with and without diffMode against balances, nonces and storage read back by RPC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AbiCoder, Wallet, getCreateAddress, id as keccakId, keccak256 as keccakOfHex } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, big, devWallet, hex, rpcError, sendTx, word } from './helpers.ts'
import { STORE_RETURN_RUNTIME, compileCalls, inner, outer, storeReturnDeployData } from './traceContracts.ts'

const coder = AbiCoder.defaultAbiCoder()
const uint = (n: bigint | number) => coder.encode(['uint256'], [n])
const errorData = (reason: string) => keccakId('Error(string)').slice(0, 10) + coder.encode(['string'], [reason]).slice(2)
const ZERO = '0x0000000000000000000000000000000000000000'
const strip = (h: string) => h.slice(2)
const SALT = `0x${'11'.repeat(32)}`

describe('debug_trace* (manual mining)', () => {
  let t: TestNode
  const [deployer, storer, runner, failer] = [devWallet(0), devWallet(1), devWallet(2), devWallet(3)]
  const stranger = Wallet.createRandom().address.toLowerCase()
  const calls = compileCalls()
  let storeAddr: string
  let innerAddr: string
  let outerAddr: string
  /** Block 3: [store call, Outer.run (caught inner revert), Outer.runUncaught (reverts), plain transfer], order as sealed. */
  let block3: any
  const tx: Record<'store' | 'run' | 'uncaught' | 'transfer' | 'make' | 'delegate' | 'kill' | 'deployInner', string> = {} as never
  const receipt = (name: keyof typeof tx) => t.call('eth_getTransactionReceipt', [tx[name]])
  const trace = (name: keyof typeof tx, opts?: object) => t.call('debug_traceTransaction', opts ? [tx[name], opts] : [tx[name]])

  beforeAll(async () => {
    t = await spawnNode({ mining: { kind: 'manual' } })
    storeAddr = getCreateAddress({ from: deployer.address, nonce: 0 }).toLowerCase()
    innerAddr = getCreateAddress({ from: deployer.address, nonce: 1 }).toLowerCase()
    outerAddr = getCreateAddress({ from: deployer.address, nonce: 2 }).toLowerCase()
    await sendTx(t, deployer, { data: storeReturnDeployData(), gasLimit: 200_000n, nonce: 0 })
    tx.deployInner = await sendTx(t, deployer, { data: calls.innerBytecode, gasLimit: 1_000_000n, nonce: 1 })
    await t.node.miner.mine()
    await sendTx(t, deployer, { data: calls.outerBytecode + strip(coder.encode(['address'], [innerAddr])), gasLimit: 1_000_000n, nonce: 2 })
    await t.node.miner.mine()
    tx.store = await sendTx(t, storer, { to: storeAddr, gasLimit: 100_000n })
    tx.run = await sendTx(t, runner, { to: outerAddr, data: outer.encodeFunctionData('run', [5n]), value: 7n, gasLimit: 300_000n })
    tx.uncaught = await sendTx(t, failer, { to: outerAddr, data: outer.encodeFunctionData('runUncaught', [5n]), gasLimit: 300_000n })
    tx.transfer = await sendTx(t, deployer, { to: stranger, value: 1_000n, gasLimit: 21_000n })
    block3 = await t.node.miner.mine().then((b) => t.call('eth_getBlockByNumber', [hex(b.header.number), false]))
    tx.make = await sendTx(t, deployer, { to: outerAddr, data: outer.encodeFunctionData('make', [SALT]), gasLimit: 3_000_000n })
    tx.delegate = await sendTx(t, storer, { to: outerAddr, data: outer.encodeFunctionData('delegate', [9n]), gasLimit: 300_000n })
    await t.node.miner.mine()
    tx.kill = await sendTx(t, failer, { to: outerAddr, data: outer.encodeFunctionData('kill'), gasLimit: 300_000n })
    await t.node.miner.mine()
    expect(block3.number).toBe('0x3')
    expect(block3.transactions).toHaveLength(4)
    expect((await receipt('uncaught')).status).toBe('0x0')
  })
  afterAll(async () => {
    await t?.close()
  })

  describe('struct logger (the default tracer)', () => {
    /** STORE_RETURN_RUNTIME step by step: pc, op, gas cost, stack before the opcode. */
    const STEPS: [number, string, number, string[]][] = [
      [0, 'PUSH1', 3, []],
      [2, 'PUSH1', 3, ['0x2a']],
      [4, 'SSTORE', 22_100, ['0x2a', '0x0']],
      [5, 'PUSH1', 3, []],
      [7, 'SLOAD', 100, ['0x0']],
      [8, 'PUSH1', 3, ['0x2a']],
      [10, 'MSTORE', 6, ['0x2a', '0x0']],
      [11, 'PUSH1', 3, []],
      [13, 'PUSH1', 3, ['0x20']],
      [15, 'RETURN', 0, ['0x20', '0x0']],
    ]
    const SLOT0 = '0'.repeat(64)
    const FORTY_TWO = strip(word(42))

    it('logs every opcode of a known contract: pc, op, gas left, gas cost, depth, stack, storage after SSTORE/SLOAD', async () => {
      const result = await trace('store')
      const r = await receipt('store')
      expect(result.gas).toBe(Number(big(r.gasUsed)))
      expect(result.gas).toBe(21_000 + STEPS.reduce((sum, s) => sum + s[2], 0))
      expect(result.failed).toBe(false)
      expect(result.returnValue).toBe(word(42))
      let gas = 100_000 - 21_000
      expect(result.structLogs).toHaveLength(STEPS.length)
      result.structLogs.forEach((log: any, i: number) => {
        const [pc, op, gasCost, stack] = STEPS[i]
        const storage = op === 'SSTORE' || op === 'SLOAD' ? { [SLOT0]: FORTY_TWO } : undefined
        expect(log).toEqual({ pc, op, gas, gasCost, depth: 1, stack, ...(storage ? { storage } : {}) })
        gas -= gasCost
      })
      expect(await t.call('eth_getCode', [storeAddr])).toBe(STORE_RETURN_RUNTIME)
    })

    it('enableMemory adds memory as 32-byte words from the MSTORE on; disableStack and disableStorage take their fields out', async () => {
      const withMemory = (await trace('store', { enableMemory: true })).structLogs
      expect(withMemory.slice(0, 7).every((l: any) => l.memory === undefined)).toBe(true)
      for (const log of withMemory.slice(7)) expect(log.memory).toEqual([FORTY_TWO])
      const bare = (await trace('store', { disableStack: true, disableStorage: true })).structLogs
      expect(bare).toHaveLength(STEPS.length)
      for (const log of bare) expect(Object.keys(log).sort()).toEqual(['depth', 'gas', 'gasCost', 'op', 'pc'])
      expect((await trace('store', { limit: 3 })).structLogs).toHaveLength(3)
    })

    it('nested frames: depth 2 inside the callee, CALL gas cost and callee gas agree with callTracer, returnData with enableReturnData', async () => {
      const logs = (await trace('run', { enableReturnData: true })).structLogs
      const frames = (await trace('run', { tracer: 'callTracer' })).calls
      const callSteps = logs.map((l: any, i: number) => [l, i]).filter(([l]: any) => l.depth === 1 && ['CALL', 'STATICCALL'].includes(l.op))
      expect(callSteps.map(([l]: any) => l.op)).toEqual(['CALL', 'STATICCALL', 'STATICCALL'])
      callSteps.forEach(([step, i]: any, n: number) => {
        const frame = frames[n]
        // The callee starts with the frame's gas; the caller gets back what the callee left.
        expect(logs[i + 1]).toMatchObject({ depth: 2, pc: 0, gas: Number(big(frame.gas)) })
        const back = logs.slice(i + 1).find((l: any) => l.depth === 1)
        expect(back.gas).toBe(step.gas - step.gasCost + Number(big(frame.gas) - big(frame.gasUsed)))
        // RETURNDATA of the call just made.
        expect(back.returnData).toBe(frame.output)
      })
      expect(logs.filter((l: any) => l.depth === 2).length).toBeGreaterThan(50)
      expect((await trace('run')).structLogs.every((l: any) => l.returnData === undefined)).toBe(true)
    })

    it('out of gas: the opcode that ran out carries geth\'s error and its cost; callTracer reports the halted creation without an address', async () => {
      const deployer9 = devWallet(9)
      const hash = await sendTx(t, deployer9, { data: storeReturnDeployData(), gasLimit: 53_377n })
      await t.node.miner.mine()
      expect((await t.call('eth_getTransactionReceipt', [hash])).status).toBe('0x0')
      const result = await t.call('debug_traceTransaction', [hash])
      expect(result).toMatchObject({ gas: 53_377, failed: true, returnValue: '0x' })
      // 53,362 intrinsic gas; PUSH1 DUP1 PUSH1 PUSH1 take 12 of the 15 left, CODECOPY needs 9.
      expect(result.structLogs.map((l: any) => [l.op, l.gas, l.gasCost, l.error])).toEqual([
        ['PUSH1', 15, 3, undefined],
        ['DUP1', 12, 3, undefined],
        ['PUSH1', 9, 3, undefined],
        ['PUSH1', 6, 3, undefined],
        ['CODECOPY', 3, 9, 'out of gas'],
      ])
      const frame = await t.call('debug_traceTransaction', [hash, { tracer: 'callTracer' }])
      expect(frame).toEqual({ from: deployer9.address.toLowerCase(), gas: hex(53_377), gasUsed: hex(53_377), input: storeReturnDeployData(), error: 'out of gas', value: '0x0', type: 'CREATE' })
    })

    it('a reverted transaction: failed, the revert data as returnValue, the receipt gas', async () => {
      const result = await trace('uncaught')
      expect(result.failed).toBe(true)
      expect(result.returnValue).toBe(errorData('inner says no'))
      expect(result.gas).toBe(Number(big((await receipt('uncaught')).gasUsed)))
      expect(result.structLogs.at(-1)).toMatchObject({ op: 'REVERT', depth: 1 })
    })
  })

  describe('callTracer', () => {
    it('an outer call catching an inner revert: CALL with value, STATICCALL, the reverted STATICCALL with its reason', async () => {
      const r = await receipt('run')
      const result = await trace('run', { tracer: 'callTracer' })
      expect(result).toEqual({
        from: runner.address.toLowerCase(),
        gas: hex(300_000),
        gasUsed: r.gasUsed,
        to: outerAddr,
        input: outer.encodeFunctionData('run', [5n]),
        output: uint(11),
        calls: [
          { from: outerAddr, gas: expect.any(String), gasUsed: expect.any(String), to: innerAddr, input: inner.encodeFunctionData('ping', [5n]), output: uint(6), value: '0x7', type: 'CALL' },
          { from: outerAddr, gas: expect.any(String), gasUsed: expect.any(String), to: innerAddr, input: inner.encodeFunctionData('peek'), output: uint(5), type: 'STATICCALL' },
          {
            from: outerAddr,
            gas: expect.any(String),
            gasUsed: expect.any(String),
            to: innerAddr,
            input: inner.encodeFunctionData('boom', [5n]),
            output: errorData('inner says no'),
            error: 'execution reverted',
            revertReason: 'inner says no',
            type: 'STATICCALL',
          },
        ],
        value: '0x7',
        type: 'CALL',
      })
      // The value call's frame has the 2,300 stipend on top of what the CALL forwarded.
      const logs = (await trace('run')).structLogs
      const call = logs.find((l: any) => l.op === 'CALL' && l.depth === 1)
      const forwarded = big(result.calls[0].gas) - 2_300n
      expect(forwarded).toBeGreaterThan(0n)
      expect(BigInt(call.gasCost)).toBeGreaterThan(forwarded)
      for (const frame of result.calls) expect(big(frame.gasUsed)).toBeLessThan(big(frame.gas))
    })

    it('an inner revert not caught: the whole transaction reverts with the reason, the inner frames as they ran', async () => {
      const r = await receipt('uncaught')
      const result = await trace('uncaught', { tracer: 'callTracer' })
      expect(result).toMatchObject({
        from: failer.address.toLowerCase(),
        to: outerAddr,
        gas: hex(300_000),
        gasUsed: r.gasUsed,
        output: errorData('inner says no'),
        error: 'execution reverted',
        revertReason: 'inner says no',
        value: '0x0',
        type: 'CALL',
      })
      expect(result.calls.map((c: any) => [c.type, c.to, c.input, c.output, c.error, c.revertReason, c.value])).toEqual([
        ['CALL', innerAddr, inner.encodeFunctionData('ping', [5n]), uint(6), undefined, undefined, '0x0'],
        ['STATICCALL', innerAddr, inner.encodeFunctionData('boom', [5n]), errorData('inner says no'), 'execution reverted', 'inner says no', undefined],
      ])
    })

    it('withLog: logs in the frame that emitted them, position among its calls, index as in the receipt; none from failed frames', async () => {
      const r = await receipt('run')
      const result = await trace('run', { tracer: 'callTracer', tracerConfig: { withLog: true } })
      const [before, ping, after] = r.logs
      const log = (l: any, position: number) => ({ address: l.address, topics: l.topics, data: l.data, position: hex(position), index: l.logIndex })
      expect(result.logs).toEqual([log(before, 0), log(after, 3)])
      expect(result.calls[0].logs).toEqual([log(ping, 0)])
      expect(ping.topics).toEqual([inner.getEvent('Ping')!.topicHash, word(5)])
      expect(result.calls[1].logs).toBeUndefined()
      expect((await trace('run', { tracer: 'callTracer' })).logs).toBeUndefined()
      const failed = await trace('uncaught', { tracer: 'callTracer', tracerConfig: { withLog: true } })
      expect(JSON.stringify(failed)).not.toContain('"logs"')
    })

    it('onlyTopCall: the transaction frame alone, logs of the top frame only', async () => {
      const full = await trace('run', { tracer: 'callTracer' })
      const top = await trace('run', { tracer: 'callTracer', tracerConfig: { onlyTopCall: true } })
      const { calls: _calls, ...rest } = full
      expect(top).toEqual(rest)
      const r = await receipt('run')
      const withLogs = await trace('run', { tracer: 'callTracer', tracerConfig: { onlyTopCall: true, withLog: true } })
      expect(withLogs.logs.map((l: any) => [l.topics[0], l.position, l.index])).toEqual([
        [r.logs[0].topics[0], '0x0', r.logs[0].logIndex],
        [r.logs[2].topics[0], '0x0', r.logs[2].logIndex],
      ])
    })

    it('CREATE and CREATE2 frames: the new addresses, init code in, runtime code out', async () => {
      const result = await trace('make', { tracer: 'callTracer' })
      const [a, b] = coder.decode(['address', 'address'], result.output).map((x: string) => x.toLowerCase())
      expect(a).toBe(getCreateAddress({ from: outerAddr, nonce: 1 }).toLowerCase())
      expect(result.calls.map((c: any) => [c.type, c.from, c.to, c.input, c.output, c.value])).toEqual([
        ['CREATE', outerAddr, a, calls.innerBytecode, calls.innerRuntime, '0x0'],
        ['CREATE2', outerAddr, b, calls.innerBytecode, calls.innerRuntime, '0x0'],
      ])
      expect(await t.call('eth_getCode', [b])).toBe(calls.innerRuntime)
    })

    it('DELEGATECALL: from the calling contract to the library, with the parent frame value', async () => {
      const result = await trace('delegate', { tracer: 'callTracer' })
      expect(result.output).toBe(uint(10))
      expect(result.calls).toHaveLength(1)
      expect(result.calls[0]).toMatchObject({ type: 'DELEGATECALL', from: outerAddr, to: innerAddr, input: inner.encodeFunctionData('ping', [9n]), output: uint(10), value: '0x0' })
      // The library wrote the caller's storage.
      expect(await t.call('eth_getStorageAt', [outerAddr, '0x0'])).toBe(word(9))
    })

    it('SELFDESTRUCT: a frame of its own moving the whole balance to the beneficiary', async () => {
      const result = await trace('kill', { tracer: 'callTracer' })
      expect(result.calls).toHaveLength(1)
      const die = result.calls[0]
      expect(die).toMatchObject({ type: 'CALL', from: outerAddr, to: innerAddr, input: inner.encodeFunctionData('die', [failer.address]), value: '0x0' })
      expect(die.calls).toEqual([{ from: innerAddr, gas: '0x0', gasUsed: '0x0', to: failer.address.toLowerCase(), input: '0x', value: '0x7', type: 'SELFDESTRUCT' }])
      // Cancun (EIP-6780): the code stays, the balance moved.
      expect(await t.call('eth_getBalance', [innerAddr])).toBe('0x0')
    })

    it('debug_traceCall: a call on a block state, traced without a transaction', async () => {
      const req = { from: DEV_ADDRESSES[5], to: outerAddr, data: outer.encodeFunctionData('run', [0n]) }
      const result = await t.call('debug_traceCall', [req, 'latest', { tracer: 'callTracer' }])
      expect(result.output).toBe(await t.call('eth_call', [req, 'latest']))
      expect(result).toMatchObject({ from: DEV_ADDRESSES[5], to: outerAddr, gas: (await t.call('eth_getBlockByNumber', ['latest', false])).gasLimit, value: '0x0', type: 'CALL' })
      expect(result.calls.map((c: any) => c.type)).toEqual(['CALL', 'STATICCALL', 'STATICCALL'])
      expect(result.calls[2].error).toBeUndefined()
      // At block 2, before any run: the inner value read back is 0, so run(0) returns 1 + 0.
      expect((await t.call('debug_traceCall', [req, '0x2', { tracer: 'callTracer' }])).output).toBe(uint(1))
      const logs = await t.call('debug_traceCall', [req, 'latest'])
      expect(logs.structLogs.length).toBeGreaterThan(100)
    })

    it('debug_traceCall: stateOverrides and blockOverrides apply to the traced call alone', async () => {
      const scratch = '0x00000000000000000000000000000000000c0de5'
      // NUMBER PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: returns the block number the call sees.
      const returnsNumber = '0x4360005260206000f3'
      const options = { tracer: 'callTracer', stateOverrides: { [scratch]: { code: returnsNumber } }, blockOverrides: { number: '0x1234' } }
      const result = await t.call('debug_traceCall', [{ to: scratch }, 'latest', options])
      expect(result).toMatchObject({ type: 'CALL', to: scratch, output: uint(0x1234) })
      const plain = await t.call('debug_traceCall', [{ to: scratch }, 'latest', { tracer: 'callTracer' }])
      expect(plain.output).toBeUndefined()
      expect(await t.call('eth_getCode', [scratch, 'latest'])).toBe('0x')
      const bad = await t.rpc('debug_traceCall', [{ to: scratch }, 'latest', { stateOverrides: { [scratch]: { state: {}, stateDiff: {} } } }])
      expect(bad.error).toEqual({ code: -32000, message: `account ${scratch} has both 'state' and 'stateDiff'` })
      const malformed = await t.rpc('debug_traceCall', [{ to: scratch }, 'latest', { stateOverrides: { [scratch]: { balance: 'lots' } } }])
      expect(malformed.error?.code).toBe(-32602)
    })
  })

  describe('prestateTracer', () => {
    const balanceAt = async (who: string, block: string) => big(await t.call('eth_getBalance', [who, block]))
    const tip = async (name: 'store' | 'run') => {
      const r = await receipt(name)
      return big(r.gasUsed) * (big(r.effectiveGasPrice) - big(block3.baseFeePerGas))
    }

    it('every touched account as before the transaction (after the earlier transactions of its block)', async () => {
      const result = await trace('run', { tracer: 'prestateTracer' })
      expect(Object.keys(result).sort()).toEqual([runner.address.toLowerCase(), outerAddr, innerAddr, ZERO].sort())
      // A nonce of 0 is left out, as geth's omitempty leaves it.
      expect(result[runner.address.toLowerCase()]).toEqual({ balance: hex(await balanceAt(runner.address, '0x2')) })
      expect(result[ZERO]).toEqual({ balance: hex((await balanceAt(ZERO, '0x2')) + (await tip('store'))) })
      expect(result[outerAddr]).toEqual({
        balance: '0x0',
        code: calls.outerRuntime,
        codeHash: keccakOfHex(calls.outerRuntime),
        nonce: 1,
        storage: { [word(1)]: word(BigInt(innerAddr)) },
      })
      expect(result[innerAddr]).toEqual({ balance: '0x0', code: calls.innerRuntime, codeHash: keccakOfHex(calls.innerRuntime), nonce: 1, storage: { [word(0)]: word(0) } })
    })

    it('diffMode: only what changed, before and after, matching the state read back after the block', async () => {
      const r = await receipt('run')
      const result = await trace('run', { tracer: 'prestateTracer', tracerConfig: { diffMode: true } })
      const runnerKey = runner.address.toLowerCase()
      const before = await balanceAt(runner.address, '0x2')
      const coinbaseBefore = (await balanceAt(ZERO, '0x2')) + (await tip('store'))
      expect(Object.keys(result)).toEqual(['post', 'pre'])
      expect(result.pre).toEqual({
        [runnerKey]: { balance: hex(before) },
        [ZERO]: { balance: hex(coinbaseBefore) },
        [innerAddr]: { balance: '0x0', code: calls.innerRuntime, codeHash: keccakOfHex(calls.innerRuntime), nonce: 1 },
      })
      expect(result.post).toEqual({
        [runnerKey]: { balance: hex(before - 7n - big(r.gasUsed) * big(r.effectiveGasPrice)), nonce: 1 },
        [ZERO]: { balance: hex(coinbaseBefore + (await tip('run'))) },
        [innerAddr]: { balance: '0x7', storage: { [word(0)]: word(5) } },
      })
      expect(big(result.post[runnerKey].balance)).toBe(await balanceAt(runner.address, '0x3'))
      expect(await t.call('eth_getStorageAt', [innerAddr, '0x0', '0x3'])).toBe(word(5))
    })

    it('a deployment: the new contract is not in the prestate; diffMode shows it created', async () => {
      const pre = await trace('deployInner', { tracer: 'prestateTracer' })
      expect(pre[innerAddr]).toBeUndefined()
      const diff = await trace('deployInner', { tracer: 'prestateTracer', tracerConfig: { diffMode: true } })
      expect(diff.pre[innerAddr]).toBeUndefined()
      expect(diff.post[innerAddr]).toEqual({ code: calls.innerRuntime, codeHash: keccakOfHex(calls.innerRuntime), nonce: 1 })
      expect(diff.post[deployer.address.toLowerCase()].nonce).toBe(2)
    })

    it('disableCode and disableStorage leave those fields out', async () => {
      const result = await trace('run', { tracer: 'prestateTracer', tracerConfig: { disableCode: true, disableStorage: true } })
      expect(result[outerAddr]).toEqual({ balance: '0x0', codeHash: keccakOfHex(calls.outerRuntime), nonce: 1 })
    })
  })

  describe('block traces', () => {
    it('debug_traceBlockByNumber and ByHash: one {txHash, result} per transaction, in block order, each as debug_traceTransaction', async () => {
      for (const opts of [{ tracer: 'callTracer' }, { tracer: 'prestateTracer', tracerConfig: { diffMode: true } }, {}]) {
        const byNumber = await t.call('debug_traceBlockByNumber', ['0x3', opts])
        expect(byNumber.map((x: any) => x.txHash)).toEqual(block3.transactions)
        for (const { txHash, result } of byNumber) expect(result).toEqual(await t.call('debug_traceTransaction', [txHash, opts]))
        expect(await t.call('debug_traceBlockByHash', [block3.hash, opts])).toEqual(byNumber)
      }
      const transfer = (await t.call('debug_traceBlockByNumber', ['0x3', { tracer: 'callTracer' }])).find((x: any) => x.txHash === tx.transfer)
      expect(transfer.result).toEqual({ from: deployer.address.toLowerCase(), gas: hex(21_000), gasUsed: hex(21_000), to: stranger, input: '0x', value: hex(1_000), type: 'CALL' })
    })

    it('geth errors: genesis, a missing block, an unknown transaction, an unknown tracer', async () => {
      expect(await rpcError(t, 'debug_traceBlockByNumber', ['0x0'])).toMatchObject({ code: -32000, message: 'genesis is not traceable' })
      expect(await rpcError(t, 'debug_traceBlockByNumber', ['0x63'])).toMatchObject({ code: -32000, message: 'block #99 not found' })
      const missing = `0x${'ab'.repeat(32)}`
      expect(await rpcError(t, 'debug_traceBlockByHash', [missing])).toMatchObject({ code: -32000, message: `block ${missing} not found` })
      expect(await rpcError(t, 'debug_traceTransaction', [missing])).toMatchObject({ code: -32000, message: 'transaction not found' })
      expect(await rpcError(t, 'debug_traceTransaction', [tx.run, { tracer: 'noSuchTracer' }])).toMatchObject({ code: -32000, message: 'tracer not found' })
      expect(await rpcError(t, 'debug_traceTransaction', [tx.run, { timeout: 'soon' }])).toMatchObject({ code: -32602 })
    })

    it('timeout: an expired tracer answers "execution timeout"; in a block, that transaction carries the error and the others trace', async () => {
      expect(await rpcError(t, 'debug_traceTransaction', [tx.run, { timeout: '0s' }])).toMatchObject({ code: -32000, message: 'execution timeout' })
      const block = await t.call('debug_traceBlockByNumber', ['0x3', { tracer: 'callTracer', timeout: '0s' }])
      expect(block.map((x: any) => x.txHash)).toEqual(block3.transactions)
      // A plain transfer runs no opcode, so no deadline check stops it.
      for (const entry of block) {
        if (entry.txHash === tx.transfer) expect(entry.result.type).toBe('CALL')
        else expect(entry).toEqual({ txHash: entry.txHash, error: 'execution timeout' })
      }
      expect((await trace('run', { tracer: 'callTracer', timeout: '10s' })).output).toBe(uint(11))
    })

    it('traces leave nothing in the shared trie store for the next block to write', async () => {
      const store = t.node.execution['store']
      // eth_call (run earlier in this file) leaves storage-trie nodes there; those are not the traces'.
      store.drain()
      await trace('run', { tracer: 'prestateTracer', tracerConfig: { diffMode: true } })
      await t.call('debug_traceBlockByNumber', ['0x3', {}])
      await t.call('debug_traceCall', [{ to: outerAddr, data: outer.encodeFunctionData('run', [3n]) }, 'latest', { tracer: 'callTracer' }])
      expect(store.drain()).toEqual([])
    })

    it('the head VM carries no tracing listener, and blocks still seal after traces', async () => {
      const evm = t.node.execution.vm.evm as unknown as { events: { listenerCount(e: string): number } }
      for (const event of ['step', 'beforeMessage', 'afterMessage', 'newContract']) expect(evm.events.listenerCount(event)).toBe(0)
      const hash = await sendTx(t, failer, { to: stranger, value: 1n, gasLimit: 21_000n })
      await t.node.miner.mine()
      expect((await t.call('eth_getTransactionReceipt', [hash])).status).toBe('0x1')
      expect(big(await t.call('eth_getBalance', [stranger]))).toBe(1_001n)
    })
  })
})
