/**
 * The same signed transactions on anvil (whose tracers are geth-compatible) and on olnode: struct
 * logs, callTracer and prestateTracer compared field by field. The known differences are removed
 * explicitly, each where geth decides it:
 * - callTracer's top-level gas: geth >= 1.14 prints the transaction's gas limit, anvil what is left after intrinsic gas;
 * - callTracer logs of a failed frame: geth drops them (clearFailedLogs), anvil keeps them;
 * - CREATE's struct-log gasCost: geth counts the opcode's own cost, anvil adds the gas handed to the new frame;
 * - struct logs: geth prints memory words and storage without 0x and leaves a zero refund out; on an
 *   opcode that runs out of gas geth prints "out of gas" and the opcode's cost, anvil "Some(OutOfGas)" and the gas left;
 * - prestate: geth >= 1.16.3 adds codeHash, and drops a created account that was empty before (anvil keeps it);
 * - the coinbase's balance: anvil's first block has a base fee of 1 gwei where the devnet's has 0.875 gwei.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AbiCoder, getCreateAddress } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { spawnDevnetProcess, type DevnetProcess } from '../../support/devnetProcess.ts'
import { CHAIN_ID, GWEI, devWallet, sendTx, waitForReceipt } from './helpers.ts'
import { compileCalls, outer, storeReturnDeployData } from './traceContracts.ts'

const ZERO = '0x0000000000000000000000000000000000000000'
const TX_NAMES = ['deployStore', 'deployInner', 'deployOuter', 'store', 'run', 'uncaught', 'make', 'delegate', 'kill', 'outOfGas'] as const
type TxName = (typeof TX_NAMES)[number]

/** A TestNode-shaped JSON-RPC client of an external process. */
function httpClient(url: string): TestNode {
  let id = 0
  const rpc: TestNode['rpc'] = async (method, params = []) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) })
    return (await res.json()) as Awaited<ReturnType<TestNode['rpc']>>
  }
  const call: TestNode['call'] = async (method, params) => {
    const res = await rpc(method, params)
    if (res.error) throw Object.assign(new Error(res.error.message), res.error)
    return res.result
  }
  return { node: undefined as never, url, wsUrl: '', rpc, call, close: async () => {} }
}

/** The transactions, each mined alone (automine), with legacy prices so that every sender pays alike on both. */
async function runScenario(t: TestNode): Promise<Record<TxName, string>> {
  const calls = compileCalls()
  const w = devWallet(0)
  const innerAddr = getCreateAddress({ from: w.address, nonce: 1 })
  const storeAddr = getCreateAddress({ from: w.address, nonce: 0 })
  const outerAddr = getCreateAddress({ from: w.address, nonce: 2 })
  const txs: [TxName, object][] = [
    ['deployStore', { data: storeReturnDeployData(), gasLimit: 200_000n }],
    ['deployInner', { data: calls.innerBytecode, gasLimit: 1_000_000n }],
    ['deployOuter', { data: calls.outerBytecode + AbiCoder.defaultAbiCoder().encode(['address'], [innerAddr]).slice(2), gasLimit: 1_000_000n }],
    ['store', { to: storeAddr, gasLimit: 100_000n }],
    ['run', { to: outerAddr, data: outer.encodeFunctionData('run', [5n]), value: 7n, gasLimit: 300_000n }],
    ['uncaught', { to: outerAddr, data: outer.encodeFunctionData('runUncaught', [5n]), gasLimit: 300_000n }],
    ['make', { to: outerAddr, data: outer.encodeFunctionData('make', [`0x${'11'.repeat(32)}`]), gasLimit: 3_000_000n }],
    ['delegate', { to: outerAddr, data: outer.encodeFunctionData('delegate', [9n]), gasLimit: 300_000n }],
    ['kill', { to: outerAddr, data: outer.encodeFunctionData('kill'), gasLimit: 300_000n }],
    // 53,362 intrinsic gas, then 3 left for CODECOPY's 9.
    ['outOfGas', { data: storeReturnDeployData(), gasLimit: 53_377n }],
  ]
  const hashes = {} as Record<TxName, string>
  for (const [name, tx] of txs) {
    hashes[name] = await sendTx(t, w, { ...tx, type: 0, gasPrice: 10n * GWEI })
    await waitForReceipt(t, hashes[name])
  }
  return hashes
}

type Json = any

function withoutKeys(value: Json, drop: (key: string, holder: Json) => boolean): Json {
  if (Array.isArray(value)) return value.map((v) => withoutKeys(v, drop))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).filter(([k]) => !drop(k, value)).map(([k, v]) => [k, withoutKeys(v, drop)]))
}

/** callTracer as geth prints it, made comparable with anvil's (see the header). */
function comparableCalls(trace: Json, fromAnvil: boolean): Json {
  const { gas: _gas, ...top } = trace
  return withoutKeys(top, (key, holder) => key === 'logs' && fromAnvil && holder.error !== undefined)
}

function comparableStructLogs(trace: Json): Json {
  return trace.structLogs.map((log: Json) => {
    const { memory, refund: _refund, storage, gasCost, error, ...rest } = log
    const plain = (h: string) => h.replace(/^0x/, '')
    const slots = storage && Object.fromEntries(Object.entries(storage).map(([k, v]) => [plain(k), plain(v as string)]))
    const words = memory?.length ? memory.map(plain) : undefined
    const ownCost = log.op === 'CREATE' || log.op === 'CREATE2' || error !== undefined ? undefined : gasCost
    return { ...rest, gasCost: ownCost, failed: error !== undefined, storage: slots, memory: words }
  })
}

function comparablePrestate(trace: Json): Json {
  const accounts = (state: Json) =>
    Object.fromEntries(
      Object.entries(state ?? {})
        // Accounts with nothing before the transaction (what a creation finds): geth drops the created ones.
        .filter(([, account]: [string, Json]) => !(account.balance === '0x0' && account.nonce === undefined && account.code === undefined))
        .map(([address, account]: [string, Json]) => [address, withoutKeys(account, (key) => key === 'codeHash' || (address === ZERO && key === 'balance'))]),
    )
  return trace.pre || trace.post ? { pre: accounts(trace.pre), post: accounts(trace.post) } : accounts(trace)
}

describe('debug_trace* against anvil', () => {
  let anvil: DevnetProcess
  let t: TestNode
  let onAnvil: Record<TxName, string>
  let onOlnode: Record<TxName, string>
  const both = async (name: TxName, opts: object) =>
    [await httpClient(anvil.url).call('debug_traceTransaction', [onAnvil[name], opts]), await t.call('debug_traceTransaction', [onOlnode[name], opts])]

  beforeAll(async () => {
    anvil = await spawnDevnetProcess({ kind: 'anvil', extraArgs: ['--chain-id', String(CHAIN_ID), '--hardfork', 'cancun', '--steps-tracing'] })
    t = await spawnNode()
    onAnvil = await runScenario(httpClient(anvil.url))
    onOlnode = await runScenario(t)
  }, 120_000)
  afterAll(async () => {
    await t?.close()
    await anvil?.stop()
  })

  it('callTracer with logs, frame by frame, for every transaction', async () => {
    for (const name of TX_NAMES) {
      const [a, o] = await both(name, { tracer: 'callTracer', tracerConfig: { withLog: true } })
      expect(comparableCalls(o, false), name).toEqual(comparableCalls(a, true))
    }
  })

  it('prestateTracer, with and without diffMode, for every transaction', async () => {
    for (const name of TX_NAMES) {
      for (const tracerConfig of [{}, { diffMode: true }]) {
        const [a, o] = await both(name, { tracer: 'prestateTracer', tracerConfig })
        expect(comparablePrestate(o), `${name} ${JSON.stringify(tracerConfig)}`).toEqual(comparablePrestate(a))
      }
    }
  })

  it('struct logs: pc, op, gas, gasCost, depth, stack, memory, storage of every step', async () => {
    for (const name of TX_NAMES) {
      const [a, o] = await both(name, { enableMemory: true })
      expect(o.structLogs.length, name).toBeGreaterThan(0)
      expect({ ...o, structLogs: comparableStructLogs(o) }, name).toEqual({ ...a, structLogs: comparableStructLogs(a) })
    }
  })
})
