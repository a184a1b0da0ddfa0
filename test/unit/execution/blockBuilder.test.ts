import { createBlock, type Block } from '@ethereumjs/block'
import { KECCAK256_RLP, bytesToHex, createAddressFromString, createContractAddress } from '@ethereumjs/util'
import { createVM, encodeReceipt, runBlock } from '@ethereumjs/vm'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TrieStore } from '../../../node/db/trieStore.ts'
import { buildBlock } from '../../../node/execution/blockBuilder.ts'
import { createChainCommon } from '../../../node/execution/common.ts'
import { createStateManager } from '../../../node/execution/state.ts'
import {
  ADDR_A,
  ADDR_B,
  C,
  GWEI,
  KEY_A,
  KEY_B,
  RETURN_42,
  SINK,
  contractsGenesis,
  deployCode,
  mineOn,
  openExecution,
  tx1559,
  txLegacy,
  word,
  type ExecParts,
} from '../support/harness.ts'

const hex = bytesToHex
const COINBASE = createAddressFromString('0x00000000000000000000000000000000000c0147')

/**
 * The key cross-check: ethereumjs' own runBlock, on a fresh VM (own Common, own trie store over the
 * same KV) positioned at the parent's state, executes the block and validates it: it throws unless the
 * receipt trie, logs bloom, gas used and state root in the header are what the transactions produce.
 */
async function reexecute(parts: ExecParts, parent: Block, block: Block) {
  const common = createChainCommon(parts.genesis)
  const stateManager = createStateManager(common, new TrieStore(parts.kv), parent.header.stateRoot)
  const vm = await createVM({ common, stateManager })
  const copy = createBlock(block.toJSON(), { common, setHardfork: false })
  // Header rules a blockchain would check against the parent.
  expect(copy.header.number).toBe(parent.header.number + 1n)
  expect(hex(copy.header.parentHash)).toBe(hex(parent.hash()))
  expect(copy.header.timestamp > parent.header.timestamp).toBe(true)
  expect(copy.header.baseFeePerGas).toBe(parent.header.calcNextBaseFee())
  expect(() => copy.header.validateGasLimit(parent.header)).not.toThrow()
  return runBlock(vm, { block: copy, root: parent.header.stateRoot, skipHeaderValidation: true })
}

describe('buildBlock / Execution.buildOnHead', () => {
  let parts: ExecParts
  beforeEach(async () => {
    parts = await openExecution({ genesis: contractsGenesis() })
  })
  afterEach(() => parts.kv.close())

  it('seals blocks that ethereumjs runBlock re-executes to the same state root, receipts, bloom and gas', async () => {
    const c = parts.common
    const deployed = createContractAddress(ADDR_A, 1n).toString() as `0x${string}`
    const block1Txs = [
      tx1559(c, KEY_A, 0n, { value: 123n }),
      tx1559(c, KEY_B, 0n, { to: C.storeAndLog, data: word(0x77n), gasLimit: 100_000n, tip: 2n * GWEI }),
      tx1559(c, KEY_A, 1n, { to: null, data: deployCode(RETURN_42), gasLimit: 200_000n }),
      txLegacy(c, KEY_B, 1n, { value: 456n }),
      tx1559(c, KEY_A, 2n, { to: C.revertString, gasLimit: 60_000n }),
      tx1559(c, KEY_B, 2n, { to: deployed, gasLimit: 50_000n, value: 7n }),
    ]
    const genesis = parts.chain.headBlock
    const parentA = (await createStateManager(c, parts.store, genesis.header.stateRoot).getAccount(ADDR_A))!
    const sealed = await parts.execution.buildOnHead(block1Txs, { timestamp: 1_700_000_000n, coinbase: COINBASE.bytes })
    expect(sealed.rejected).toEqual([])
    expect(sealed.block.transactions.map((t) => hex(t.hash()))).toEqual(block1Txs.map((t) => hex(t.hash())))
    expect(sealed.results.map((r) => r.execResult.exceptionError?.error)).toEqual([undefined, undefined, undefined, undefined, 'revert', undefined])
    await parts.chain.commit(sealed.block, sealed.encodedReceipts, sealed.stateOps)

    const run = await reexecute(parts, genesis, sealed.block)
    expect(hex(run.stateRoot)).toBe(hex(sealed.block.header.stateRoot))
    expect(hex(run.receiptsRoot)).toBe(hex(sealed.block.header.receiptTrie))
    expect(run.gasUsed).toBe(sealed.block.header.gasUsed)
    expect(hex(run.logsBloom)).toBe(hex(sealed.block.header.logsBloom))
    expect(run.receipts.map((r, i) => hex(encodeReceipt(r, block1Txs[i].type)))).toEqual(sealed.encodedReceipts.map(hex))
    expect(sealed.block.header.gasUsed).toBe(sealed.results.reduce((sum, r) => sum + r.totalGasSpent, 0n))

    // Balances say the same: A paid its value and gas; the coinbase got the tips.
    const state = createStateManager(c, parts.store, sealed.block.header.stateRoot)
    const baseFee = sealed.block.header.baseFeePerGas!
    const aGas = [0, 2, 4].reduce((sum, i) => sum + sealed.results[i].totalGasSpent, 0n)
    const a = (await state.getAccount(ADDR_A))!
    expect(a.nonce).toBe(3n)
    expect(a.balance).toBe(parentA.balance - 123n - aGas * (baseFee + GWEI))
    const tips = sealed.results.reduce((sum, r, i) => sum + r.totalGasSpent * (i === 1 ? 2n * GWEI : block1Txs[i].type === 0 ? 10n * GWEI - baseFee : GWEI), 0n)
    expect((await state.getAccount(COINBASE))!.balance).toBe(tips)
    expect(hex(await state.getCode(createAddressFromString(deployed)))).toBe(hex(RETURN_42))
    expect((await state.getAccount(createAddressFromString(deployed)))!.balance).toBe(7n)
    expect((await state.getAccount(createAddressFromString(SINK)))!.balance).toBe(123n + 456n)

    // A second block on top, from the committed state.
    const block2Txs = [txLegacy(c, KEY_B, 3n), tx1559(c, KEY_A, 3n, { to: C.storeAndLog, data: word(1n), gasLimit: 100_000n })]
    const sealed2 = await mineOn(parts, block2Txs)
    const run2 = await reexecute(parts, sealed.block, sealed2.block)
    expect(hex(run2.stateRoot)).toBe(hex(sealed2.block.header.stateRoot))
    expect(run2.gasUsed).toBe(sealed2.block.header.gasUsed)
  })

  it('the cross-check is not vacuous: runBlock refuses a block whose state root or gas used is off', async () => {
    const genesis = parts.chain.headBlock
    const sealed = await mineOn(parts, [tx1559(parts.common, KEY_A, 0n)])
    const data = sealed.block.toJSON()
    const wrongRoot = createBlock({ ...data, header: { ...data.header, stateRoot: hex(genesis.header.stateRoot) } }, { common: parts.common })
    await expect(reexecute(parts, genesis, wrongRoot)).rejects.toThrow(/stateRoot/)
    const wrongGas = createBlock({ ...data, header: { ...data.header, gasUsed: '0x5209' } }, { common: parts.common })
    await expect(reexecute(parts, genesis, wrongGas)).rejects.toThrow(/gasUsed/)
  })

  it('fills the header from the parent: number, parent hash, base fee, gas limit, mix hash, empty tries', async () => {
    const genesis = parts.chain.headBlock
    const sealed = await parts.execution.buildOnHead([], { timestamp: 42n, coinbase: COINBASE.bytes, extraData: Uint8Array.of(1, 2) })
    const h = sealed.block.header
    expect(h.number).toBe(1n)
    expect(hex(h.parentHash)).toBe(hex(genesis.hash()))
    expect(h.timestamp).toBe(42n)
    expect(hex(h.coinbase.bytes)).toBe(hex(COINBASE.bytes))
    expect(hex(h.extraData)).toBe('0x0102')
    expect(h.gasLimit).toBe(genesis.header.gasLimit)
    expect(h.gasUsed).toBe(0n)
    // An empty parent (genesis used no gas) lowers the base fee by 1/8.
    expect(h.baseFeePerGas).toBe((genesis.header.baseFeePerGas! * 7n) / 8n)
    expect(hex(h.mixHash)).toBe(hex(keccak_256(genesis.hash())))
    expect(hex(h.stateRoot)).toBe(hex(genesis.header.stateRoot))
    expect(hex(h.transactionsTrie)).toBe(hex(KECCAK256_RLP))
    expect(hex(h.receiptTrie)).toBe(hex(KECCAK256_RLP))
    expect(sealed.stateOps).toEqual([])
    await parts.chain.commit(sealed.block, sealed.encodedReceipts, sealed.stateOps)
    const run = await reexecute(parts, genesis, sealed.block)
    expect(run.gasUsed).toBe(0n)
  })

  it('leaves out, without rejecting, a tx that does not fit the remaining block gas, and its sender’s later ones', async () => {
    const c = parts.common
    const gasLimit = parts.chain.headBlock.header.gasLimit
    const a0 = tx1559(c, KEY_A, 0n)
    const bigB0 = tx1559(c, KEY_B, 0n, { gasLimit: gasLimit - 10_000n })
    const b1 = tx1559(c, KEY_B, 1n)
    const a1 = tx1559(c, KEY_A, 1n)
    const genesis = parts.chain.headBlock
    const sealed = await mineOn(parts, [a0, bigB0, b1, a1])
    expect(sealed.rejected).toEqual([])
    expect(sealed.block.transactions.map((t) => hex(t.hash()))).toEqual([a0, a1].map((t) => hex(t.hash())))
    expect(sealed.block.header.gasUsed).toBe(42_000n)
    await reexecute(parts, genesis, sealed.block)
    const state = parts.execution.stateAt(sealed.block)
    expect((await state.getAccount(ADDR_B))!.nonce).toBe(0n)

    // In an empty block the big one fits, and B's next one follows it.
    const next = await mineOn(parts, [bigB0, b1])
    expect(next.rejected).toEqual([])
    expect(next.block.transactions).toHaveLength(2)
    expect((await parts.execution.stateAt(next.block).getAccount(ADDR_B))!.nonce).toBe(2n)
  })

  it('rejects a tx invalid against the state (nonce too low, unaffordable), skips the sender’s later ones, keeps the others', async () => {
    const c = parts.common
    await mineOn(parts, [tx1559(c, KEY_A, 0n)])
    const stale = tx1559(c, KEY_A, 0n, { value: 1n })
    const afterStale = tx1559(c, KEY_A, 1n)
    const b0 = tx1559(c, KEY_B, 0n)
    const poor = tx1559(c, hexKey(7), 0n) // an account with no balance at all
    const parent = parts.chain.headBlock
    const sealed = await mineOn(parts, [stale, afterStale, b0, poor])
    expect(sealed.block.transactions.map((t) => hex(t.hash()))).toEqual([hex(b0.hash())])
    expect(sealed.rejected.map((r) => hex(r.tx.hash()))).toEqual([hex(stale.hash()), hex(poor.hash())])
    expect(sealed.rejected[0].error.message).toMatch(/nonce/i)
    expect(sealed.rejected[1].error.message).toMatch(/balance|funds/i)
    await reexecute(parts, parent, sealed.block)
    // A's nonce-1 tx was only left out: it is valid in the next block.
    const next = await mineOn(parts, [afterStale])
    expect(next.rejected).toEqual([])
    expect(next.block.transactions).toHaveLength(1)
  })

  it('buildBlock on a bare VM at the parent state gives the same block as buildOnHead', async () => {
    const c = parts.common
    const txs = [tx1559(c, KEY_A, 0n), tx1559(c, KEY_B, 0n, { to: C.storeAndLog, data: word(5n), gasLimit: 80_000n })]
    const parent = parts.chain.headBlock
    const ctx = { timestamp: 99n, coinbase: COINBASE.bytes }
    const common = createChainCommon(parts.genesis)
    const vm = await createVM({ common, stateManager: createStateManager(common, new TrieStore(parts.kv), parent.header.stateRoot) })
    const bare = await buildBlock(vm, parent, txs, ctx)
    const onHead = await parts.execution.buildOnHead(txs, ctx)
    expect(hex(bare.block.hash())).toBe(hex(onHead.block.hash()))
    expect(bare.encodedReceipts.map(hex)).toEqual(onHead.encodedReceipts.map(hex))
  })

  it('rejects a tx whose execution throws inside the EVM and leaves none of its state in the block', async () => {
    const c = parts.common
    const parent = parts.chain.headBlock
    const ctx = { timestamp: 99n, coinbase: COINBASE.bytes }
    const exploding = createAddressFromString('0x000000000000000000000000000000000000b00b')
    const vmWith = async (customPrecompiles: { address: typeof exploding; function: () => never }[]) => {
      const common = createChainCommon(parts.genesis)
      return createVM({ common, stateManager: createStateManager(common, new TrieStore(parts.kv), parent.header.stateRoot), evmOpts: { customPrecompiles } })
    }
    const throwing = tx1559(c, KEY_A, 0n, { to: exploding.toString() as `0x${string}`, gasLimit: 50_000n })
    const transfer = tx1559(c, KEY_B, 0n, { value: 5n })
    const withBomb = await buildBlock(await vmWith([{ address: exploding, function: () => { throw new Error('boom') } }]), parent, [throwing, transfer], ctx)
    const without = await buildBlock(await vmWith([]), parent, [transfer], ctx)
    expect(withBomb.rejected.map((r) => r.error.message)).toEqual(['boom'])
    expect(withBomb.block.transactions.map((t) => hex(t.hash()))).toEqual([hex(transfer.hash())])
    // A's nonce bump and gas charge are gone: the state is exactly that of the block without the throwing tx.
    expect(hex(withBomb.block.header.stateRoot)).toBe(hex(without.block.header.stateRoot))
  })
})

function hexKey(n: number): Uint8Array {
  const key = new Uint8Array(32)
  key[31] = n
  return key
}

