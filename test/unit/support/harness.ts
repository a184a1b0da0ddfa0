/**
 * Real parts for the unit tests of genesis/, db/, chain/, execution/ and miner/: a KV (classic-level
 * in a temp dir, or memory-level), the chain store opened on a genesis, the execution wired as
 * node.ts wires it, signed transactions with the chain's Common, and small hand-assembled contracts.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Common } from '@ethereumjs/common'
import { createFeeMarket1559Tx, createLegacyTx, type FeeMarket1559Tx, type LegacyTx } from '@ethereumjs/tx'
import { bytesToHex, concatBytes, createAddressFromPrivateKey, hexToBytes, type Address, type PrefixedHexString } from '@ethereumjs/util'
import { devnetGenesis, type Genesis } from '../../../genesis/genesis.ts'
import { ChainStore } from '../../../node/chain/chainStore.ts'
import { openChain } from '../../../node/chain/openChain.ts'
import { openKV, type KV, type KVOp } from '../../../node/db/kv.ts'
import { TrieStore } from '../../../node/db/trieStore.ts'
import { createChainCommon } from '../../../node/execution/common.ts'
import { Execution } from '../../../node/execution/execution.ts'

export const KEY_A = hexToBytes('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
export const KEY_B = hexToBytes('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
export const ADDR_A: Address = createAddressFromPrivateKey(KEY_A)
export const ADDR_B: Address = createAddressFromPrivateKey(KEY_B)
export const GWEI = 1_000_000_000n
export const OPEN = 10n ** 18n
export const SINK: PrefixedHexString = '0x000000000000000000000000000000000000dead'

/** A fresh directory under os.tmpdir(); `remove` deletes it with everything in it. */
export async function tempDir(prefix = 'olnode-unit-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

export interface ChainOpts {
  /** LevelDB directory; undefined for memory-level. */
  dir?: string
  genesis?: Genesis
  /** Wraps the opened KV (to watch or fail its batches); the wrapper must pass calls on to it. */
  wrap?: (kv: KV) => KV
}

export interface ChainParts {
  genesis: Genesis
  common: Common
  kv: KV
  store: TrieStore
  chain: ChainStore
}

/** Opens the KV at `dir` (or in memory) and the chain on `genesis`, writing block 0 if the KV is empty. */
export async function openChainParts(opts: ChainOpts = {}): Promise<ChainParts> {
  const genesis = opts.genesis ?? devnetGenesis()
  const common = createChainCommon(genesis)
  const opened = await openKV({ path: opts.dir })
  const kv = opts.wrap ? opts.wrap(opened) : opened
  const store = new TrieStore(kv)
  const chain = new ChainStore(kv, common)
  try {
    await openChain(chain, store, common, genesis)
  } catch (err) {
    await kv.close()
    throw err
  }
  return { genesis, common, kv, store, chain }
}

export interface ExecParts extends ChainParts {
  execution: Execution
}

export async function openExecution(opts: ChainOpts & { rpcGasCap?: bigint } = {}): Promise<ExecParts> {
  const parts = await openChainParts(opts)
  const execution = await Execution.create(parts.common, parts.store, parts.chain, { rpcGasCap: opts.rpcGasCap ?? 50_000_000n, evmTimeoutMs: 0 })
  return { ...parts, execution }
}

/** A KV that records every batch it passes on, and can be told to fail the next ones. */
export class WatchedKV implements KV {
  readonly batches: KVOp[][] = []
  failBatches = false

  constructor(readonly inner: KV) {}

  get(key: Uint8Array) {
    return this.inner.get(key)
  }

  async batch(ops: KVOp[]): Promise<void> {
    if (this.failBatches) throw new Error('disk full (test)')
    this.batches.push(ops)
    return this.inner.batch(ops)
  }

  values(range: { gte: Uint8Array; lt: Uint8Array; limit?: number }) {
    return this.inner.values(range)
  }

  close() {
    return this.inner.close()
  }
}

/** Builds the next block on the head from `txs` and commits it, as the miner does. */
export async function mineOn(parts: ExecParts, txs: (FeeMarket1559Tx | LegacyTx)[], timestamp?: bigint) {
  const ts = timestamp ?? parts.chain.headBlock.header.timestamp + 1n
  const sealed = await parts.execution.buildOnHead(txs, { timestamp: ts, coinbase: new Uint8Array(20) })
  await parts.chain.commit(sealed.block, sealed.encodedReceipts, sealed.stateOps)
  return sealed
}

export interface TxOpts {
  to?: PrefixedHexString | null
  value?: bigint
  data?: Uint8Array
  gasLimit?: bigint
  maxFee?: bigint
  tip?: bigint
}

/** A signed EIP-1559 transaction for the chain of `common`. */
export function tx1559(common: Common, key: Uint8Array, nonce: bigint, o: TxOpts = {}): FeeMarket1559Tx {
  return createFeeMarket1559Tx(
    {
      nonce,
      to: o.to === null ? undefined : (o.to ?? SINK),
      value: o.value ?? 0n,
      data: o.data ?? new Uint8Array(),
      gasLimit: o.gasLimit ?? 21_000n,
      maxFeePerGas: o.maxFee ?? 10n * GWEI,
      maxPriorityFeePerGas: o.tip ?? GWEI,
    },
    { common },
  ).sign(key)
}

/** A signed EIP-155 legacy transaction for the chain of `common`. */
export function txLegacy(common: Common, key: Uint8Array, nonce: bigint, o: TxOpts & { gasPrice?: bigint } = {}): LegacyTx {
  return createLegacyTx(
    {
      nonce,
      to: o.to === null ? undefined : (o.to ?? SINK),
      value: o.value ?? 0n,
      data: o.data ?? new Uint8Array(),
      gasLimit: o.gasLimit ?? 21_000n,
      gasPrice: o.gasPrice ?? 10n * GWEI,
    },
    { common },
  ).sign(key)
}

// ---- hand-assembled EVM code -------------------------------------------------------------------

const hex = (s: string) => hexToBytes(`0x${s.replace(/\s+/g, '')}` as PrefixedHexString)
const u16 = (n: number) => n.toString(16).padStart(4, '0')

/** Runtime code that RETURNs (0xf3) or REVERTs (0xfd) exactly `blob`. */
export function constantOutput(blob: Uint8Array, op: 'return' | 'revert'): Uint8Array {
  const prefixLength = 15
  // PUSH2 len PUSH2 off PUSH1 0 CODECOPY PUSH2 len PUSH1 0 RETURN|REVERT
  const prefix = hex(`61${u16(blob.length)} 61${u16(prefixLength)} 6000 39 61${u16(blob.length)} 6000 ${op === 'return' ? 'f3' : 'fd'}`)
  if (prefix.length !== prefixLength) throw new Error('bad prefix length')
  return concatBytes(prefix, blob)
}

/** Creation code that deploys `runtime` as the contract's code. */
export function deployCode(runtime: Uint8Array): Uint8Array {
  // PUSH2 len DUP1 PUSH1 off PUSH1 0 CODECOPY PUSH1 0 RETURN
  const prefixLength = 12
  const prefix = hex(`61${u16(runtime.length)} 80 60${prefixLength.toString(16).padStart(2, '0')} 6000 39 6000 f3`)
  if (prefix.length !== prefixLength) throw new Error('bad prefix length')
  return concatBytes(prefix, runtime)
}

/** Stores calldata word 0 at slot 0 and emits LOG1(topic 0xaa..aa, data = the word). */
export const STORE_AND_LOG = hex(`
  6000 35        // CALLDATALOAD(0)
  80 6000 55     // DUP1 PUSH1 0 SSTORE
  6000 52        // MSTORE(0, word)
  7f ${'aa'.repeat(32)} // PUSH32 topic
  6020 6000 a1   // LOG1(0, 32, topic)
  00`.replace(/\/\/[^\n]*/g, ''))

/** Returns the 32-byte word 42. */
export const RETURN_42 = hex('602a 6000 52 6020 6000 f3')

/** Returns GAS (what is left when it runs) as a 32-byte word. */
export const RETURN_GAS_LEFT = hex('5a 6000 52 6020 6000 f3')

/** Halts with the INVALID opcode. */
export const INVALID = hex('fe')

/** Loops forever (until out of gas). */
export const BURN_ALL_GAS = hex('5b 6000 56')

/** ABI encoding of Error(string). */
export function errorString(reason: string): Uint8Array {
  const text = new TextEncoder().encode(reason)
  const padded = new Uint8Array(Math.ceil(text.length / 32) * 32)
  padded.set(text)
  return concatBytes(hex('08c379a0'), word(32n), word(BigInt(text.length)), padded)
}

/** ABI encoding of Panic(uint256). */
export function panicData(code: bigint): Uint8Array {
  return concatBytes(hex('4e487b71'), word(code))
}

export function word(n: bigint): Uint8Array {
  return hexToBytes(`0x${n.toString(16).padStart(64, '0')}`)
}

export { bytesToHex }

/** Addresses of the contracts `contractsGenesis` puts in the alloc. */
export const C = {
  return42: '0x000000000000000000000000000000000000c042',
  gasLeft: '0x000000000000000000000000000000000000c0a5',
  revertString: '0x000000000000000000000000000000000000c0e1',
  revertCustom: '0x000000000000000000000000000000000000c0e2',
  revertPanic: '0x000000000000000000000000000000000000c0e3',
  invalid: '0x000000000000000000000000000000000000c0fe',
  burn: '0x000000000000000000000000000000000000c0b0',
  storeAndLog: '0x000000000000000000000000000000000000c050',
} as const satisfies Record<string, PrefixedHexString>

/** The revert data of C.revertCustom: Unauthorized(address) with the address 0x…1234. */
export const CUSTOM_ERROR_DATA = concatBytes(hex('8e4a23d6'), word(0x1234n))

/** The devnet genesis plus the small contracts above (code in the alloc). */
export function contractsGenesis(): Genesis {
  const g = devnetGenesis()
  const code: [string, Uint8Array][] = [
    [C.return42, RETURN_42],
    [C.gasLeft, RETURN_GAS_LEFT],
    [C.revertString, constantOutput(errorString('not allowed'), 'revert')],
    [C.revertCustom, constantOutput(CUSTOM_ERROR_DATA, 'revert')],
    [C.revertPanic, constantOutput(panicData(0x11n), 'revert')],
    [C.invalid, INVALID],
    [C.burn, BURN_ALL_GAS],
    [C.storeAndLog, STORE_AND_LOG],
    [PROXY_ADDRESS, PROXY_TO_STORE],
  ]
  const alloc: Genesis['alloc'] = [...g.alloc, ...code.map(([a, c]): Genesis['alloc'][number] => [a, { balance: 0n, nonce: 1n, code: c, storage: [] }])]
  alloc.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { ...g, alloc }
}

/**
 * A contract that CALLs C.storeAndLog with all its gas and its own calldata, and reverts if that
 * call failed: by the 63/64 rule it needs a gas limit above the gas it ends up using.
 */
export const PROXY_TO_STORE = hex(`36 6000 6000 37  6000 6000 36 6000 6000  73 ${'000000000000000000000000000000000000c050'} 5a f1  15 602b 57 00 5b 6000 6000 fd`)

/** Where `contractsGenesis` puts PROXY_TO_STORE. */
export const PROXY_ADDRESS = '0x000000000000000000000000000000000000c0c0'
