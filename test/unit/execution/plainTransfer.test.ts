import { createBlock, type Block } from '@ethereumjs/block'
import { createAccessList2930Tx, type TransactionType, type TypedTransaction } from '@ethereumjs/tx'
import { Account, bytesToHex, createAddressFromPrivateKey, createAddressFromString, type Address, type PrefixedHexString } from '@ethereumjs/util'
import { encodeReceipt, runTx, type RunTxResult, type VM } from '@ethereumjs/vm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PRECOMPILE_ADDRESSES } from '../../../precompiles/addresses.ts'
import { TrieStore } from '../../../node/db/trieStore.ts'
import { createChainVM } from '../../../node/execution/chainVM.ts'
import { runPlainTransfer } from '../../../node/execution/plainTransfer.ts'
import { createStateManager } from '../../../node/execution/state.ts'
import { ADDR_A, ADDR_B, C, GWEI, KEY_A, KEY_B, OPEN, SINK, contractsGenesis, openExecution, tx1559, txLegacy, type ExecParts } from '../support/harness.ts'

const KEY_POOR = Uint8Array.from({ length: 32 }, (_, i) => i + 1)
const ADDR_POOR = createAddressFromPrivateKey(KEY_POOR)
/** In the genesis with nothing: EIP-161 removes it once a transaction touches it and leaves it empty. */
const EMPTY: PrefixedHexString = '0x00000000000000000000000000000000000e3e3e'
const COINBASE: PrefixedHexString = '0x00000000000000000000000000000000000c0147'
const FRESH: PrefixedHexString = '0x0000000000000000000000000000000000f1e500'

/** The devnet genesis with contracts, an empty account, and a sender that can pay for one cheap transfer only. */
function genesis() {
  const g = contractsGenesis()
  const alloc = [...g.alloc, [EMPTY, { balance: 0n, nonce: 0n, storage: [] }], [ADDR_POOR.toString(), { balance: 21_000n * 2n * GWEI, nonce: 0n, storage: [] }]] as typeof g.alloc
  alloc.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { ...g, alloc }
}

const noBlockHashes = {
  getBlock: () => Promise.reject(new Error('no block hashes in this test')),
  putBlock: () => Promise.resolve(),
  shallowCopy() {
    return this
  },
}

/** A chain VM on its own trie store at the head's state, as the node's head VM is made. */
async function headVM(parts: ExecParts): Promise<VM> {
  const stateManager = createStateManager(parts.common, new TrieStore(parts.kv), parts.chain.headStateRoot, { trieCheckpoints: false })
  return createChainVM({ common: parts.common, stateManager, blockchain: noBlockHashes })
}

function blockOn(parts: ExecParts, coinbase: PrefixedHexString): Block {
  const parent = parts.chain.headBlock
  const header = { number: 1n, timestamp: parent.header.timestamp + 1n, gasLimit: parent.header.gasLimit, baseFeePerGas: parent.header.calcNextBaseFee(), coinbase }
  return createBlock({ header }, { common: parts.common })
}

type Outcome = { taken: boolean; result: RunTxResult } | { taken: false; error: string }

async function viaFastPath(vm: VM, tx: TypedTransaction, block: Block, gasUsed: bigint): Promise<Outcome> {
  const fast = await runPlainTransfer(vm, tx, block, gasUsed)
  if (fast) return { taken: true, result: fast }
  return viaRunTx(vm, tx, block, gasUsed)
}

async function viaRunTx(vm: VM, tx: TypedTransaction, block: Block, gasUsed: bigint): Promise<Outcome> {
  try {
    return { taken: false, result: await runTx(vm, { tx, block, blockGasUsed: gasUsed, skipHardForkValidation: true }) }
  } catch (err) {
    return { taken: false, error: (err as Error).message }
  }
}

/** What a block and the chain see of a run: the encoded receipt and the gas and fees it counts. */
function seen(outcome: Outcome, type: TransactionType) {
  if ('error' in outcome) return { error: outcome.error }
  const r = outcome.result
  return { receipt: bytesToHex(encodeReceipt(r.receipt, type)), bloom: bytesToHex(r.bloom.bitvector), blockGas: r.blockGasSpent, total: r.totalGasSpent, spent: r.amountSpent, miner: r.minerValue }
}

async function accountOf(vm: VM, address: Address) {
  const a = await vm.stateManager.getAccount(address)
  return a && { nonce: a.nonce, balance: a.balance, codeHash: bytesToHex(a.codeHash), storageRoot: bytesToHex(a.storageRoot) }
}

/**
 * Runs `txs` on two head VMs, one through runPlainTransfer (runTx for what it declines) and one through
 * runTx alone, and expects the same outcome for each and the same state, account by account and root.
 * Returns, per transaction, whether the fast path took it.
 */
async function compare(parts: ExecParts, coinbase: PrefixedHexString, txs: TypedTransaction[]): Promise<boolean[]> {
  const [fast, reference] = [await headVM(parts), await headVM(parts)]
  const block = blockOn(parts, coinbase)
  const taken: boolean[] = []
  const watched = [ADDR_A, ADDR_B, ADDR_POOR, ...[EMPTY, COINBASE, FRESH, SINK, C.return42].map((a) => createAddressFromString(a))]
  let gasUsed = [0n, 0n]
  for (const tx of txs) {
    const [a, b] = [await viaFastPath(fast, tx, block, gasUsed[0]), await viaRunTx(reference, tx, block, gasUsed[1])]
    expect(seen(a, tx.type), `tx ${taken.length}`).toEqual(seen(b, tx.type))
    for (const address of [...watched, tx.getSenderAddress()]) expect(await accountOf(fast, address), `${address} after tx ${taken.length}`).toEqual(await accountOf(reference, address))
    taken.push(a.taken)
    gasUsed = [a, b].map((o, i) => gasUsed[i] + ('result' in o ? o.result.blockGasSpent : 0n))
  }
  expect(bytesToHex(await fast.stateManager.getStateRoot())).toBe(bytesToHex(await reference.stateManager.getStateRoot()))
  return taken
}

describe('runPlainTransfer: value transfers without the EVM', () => {
  let parts: ExecParts
  beforeEach(async () => {
    parts = await openExecution({ genesis: genesis() })
  })
  afterEach(() => parts.kv.close())

  it('leaves the state, receipts and fees runTx leaves, for each kind of plain transfer', async () => {
    const c = parts.common
    const txs = [
      tx1559(c, KEY_A, 0n, { to: FRESH, value: 123n }),
      tx1559(c, KEY_A, 1n, { to: ADDR_B.toString(), value: OPEN, gasLimit: 50_000n, tip: 3n * GWEI }),
      txLegacy(c, KEY_B, 0n, { to: FRESH, value: 5n, gasPrice: 7n * GWEI }),
      createAccessList2930Tx({ nonce: 1n, to: FRESH, value: 9n, gasLimit: 21_000n, gasPrice: 2n * GWEI }, { common: c }).sign(KEY_B),
      tx1559(c, KEY_B, 2n, { to: ADDR_B.toString(), value: 10n }),
      tx1559(c, KEY_A, 2n, { to: EMPTY, value: 0n }),
      tx1559(c, KEY_A, 3n, { to: SINK, value: 0n }),
      tx1559(c, KEY_A, 4n, { to: COINBASE, value: 0n, tip: 0n }),
      tx1559(c, KEY_POOR, 0n, { to: FRESH, value: 0n, maxFee: 2n * GWEI, tip: GWEI }),
    ]
    expect(await compare(parts, COINBASE, txs)).toEqual(txs.map(() => true))
    const fast = await headVM(parts)
    expect(await fast.stateManager.getAccount(createAddressFromString(EMPTY))).toBeDefined()
  })

  it('pays the coinbase that sends or receives the transfer as runTx does', async () => {
    const c = parts.common
    const txs = [tx1559(c, KEY_A, 0n, { to: ADDR_B.toString(), value: 4n, tip: 2n * GWEI }), tx1559(c, KEY_B, 0n, { to: ADDR_A.toString(), value: 6n })]
    expect(await compare(parts, ADDR_A.toString(), txs)).toEqual([true, true])
    expect(await compare(parts, ADDR_B.toString(), txs)).toEqual([true, true])
  })

  it('leaves to runTx what runs code or what runTx refuses, with runTx’s own errors', async () => {
    const c = parts.common
    const accessList = createAccessList2930Tx({ nonce: 2n, to: FRESH, gasLimit: 30_000n, gasPrice: 2n * GWEI, accessList: [{ address: SINK, storageKeys: [] }] }, { common: c }).sign(KEY_A)
    const txs = [
      tx1559(c, KEY_A, 0n, { to: C.return42, gasLimit: 50_000n }),
      tx1559(c, KEY_A, 1n, { to: '0x0000000000000000000000000000000000000004', value: 1n, gasLimit: 50_000n }),
      accessList,
      tx1559(c, KEY_A, 3n, { to: PRECOMPILE_ADDRESSES.rewards, gasLimit: 100_000n }),
      tx1559(c, KEY_A, 4n, { to: FRESH, data: Uint8Array.of(1), gasLimit: 30_000n }),
      tx1559(c, KEY_A, 9n, { to: FRESH, value: 1n }),
      tx1559(c, KEY_B, 0n, { to: FRESH, maxFee: 1n, tip: 0n }),
      tx1559(c, KEY_POOR, 0n, { to: FRESH, value: 1n, gasLimit: 21_000n, maxFee: 3n * GWEI, tip: GWEI }),
    ]
    const taken = await compare(parts, COINBASE, txs)
    expect(taken).toEqual(txs.map(() => false))
  })

  it('declines a sender that has code (EIP-3607) and changes nothing', async () => {
    const vm = await headVM(parts)
    const before = await vm.stateManager.getAccount(ADDR_A)
    await vm.stateManager.putCode(ADDR_A, Uint8Array.of(0x00))
    const tx = tx1559(parts.common, KEY_A, 0n, { to: FRESH, value: 1n })
    expect(await runPlainTransfer(vm, tx, blockOn(parts, COINBASE), 0n)).toBeUndefined()
    const after = (await vm.stateManager.getAccount(ADDR_A)) as Account
    expect([after.nonce, after.balance]).toEqual([before!.nonce, before!.balance])
    expect(await vm.stateManager.getAccount(createAddressFromString(FRESH))).toBeUndefined()
  })
})
