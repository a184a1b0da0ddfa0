import { createBlock, genTransactionsTrieRoot, genWithdrawalsTrieRoot, type Block, type HeaderData } from '@ethereumjs/block'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { devnetGenesis } from '../../../genesis/genesis.ts'
import { BlockImportError, type BlockCheck } from '../../../node/execution/errors.ts'
import { BlockImporter, decodeBlock } from '../../../node/execution/importBlock.ts'
import { C, GWEI, KEY_A, KEY_B, SINK, contractsGenesis, mineOn, openExecution, tx1559, txLegacy, word, type ExecParts } from '../support/harness.ts'

const hex = bytesToHex
const OTHER_ROOT = hexToBytes(`0x${'ab'.repeat(32)}`)

/** Two blocks with transfers, a contract call that stores and logs, and a legacy tx, built and committed on `source`. */
async function sourceChain(source: ExecParts): Promise<Block[]> {
  const c = source.common
  const first = await mineOn(source, [tx1559(c, KEY_A, 0n, { value: 5n }), tx1559(c, KEY_B, 0n, { to: C.storeAndLog, data: word(0x77n), gasLimit: 100_000n })])
  const second = await mineOn(source, [txLegacy(c, KEY_A, 1n, { value: 9n }), tx1559(c, KEY_B, 1n, { to: C.storeAndLog, data: word(0x78n), gasLimit: 100_000n, tip: 2n * GWEI })])
  return [first.block, second.block]
}

describe('BlockImporter', () => {
  let source: ExecParts
  let target: ExecParts
  let importer: BlockImporter
  let blocks: Block[]

  beforeEach(async () => {
    source = await openExecution({ genesis: contractsGenesis() })
    target = await openExecution({ genesis: contractsGenesis() })
    importer = new BlockImporter(target.chain, target.execution)
    blocks = await sourceChain(source)
  })
  afterEach(async () => {
    await source.kv.close()
    await target.kv.close()
  })

  /** Block 1 with header fields and body parts replaced, decoded as import decodes (no PoS format check). */
  function doctor(header: HeaderData, body: { transactions?: TypedTransaction[]; withdrawals?: { index: bigint; validatorIndex: bigint; address: Uint8Array; amount: bigint }[] } = {}): Block {
    const data = blocks[0].toJSON()
    const transactions = body.transactions?.map((tx) => tx.toJSON()) ?? data.transactions
    return createBlock({ ...data, transactions, withdrawals: body.withdrawals ?? [], header: { ...data.header, ...header } }, { common: target.common, setHardfork: false, skipConsensusFormatValidation: true })
  }

  async function expectRefused(block: Block, code: BlockCheck, message: RegExp): Promise<void> {
    const err = await importer.importBlock(block).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(BlockImportError)
    expect((err as BlockImportError).code).toBe(code)
    expect((err as Error).message).toMatch(message)
    // Nothing of it stayed: the head, and the head VM's state, are the genesis'.
    expect(target.chain.headBlock.header.number).toBe(0n)
    expect(hex(await target.execution.vm.stateManager.getStateRoot())).toBe(hex(target.chain.headBlock.header.stateRoot))
  }

  it('imports the blocks of another node: same hashes, receipts and state, then the chain goes on', async () => {
    for (const block of blocks) expect(await importer.importBlock(decodeBlock(block.serialize(), target.common, 'test'))).toBe('imported')
    expect(hex(target.chain.headBlock.hash())).toBe(hex(blocks[1].hash()))
    for (const block of blocks) {
      expect((await target.chain.encodedReceipts(block.hash()))!.map(hex)).toEqual((await source.chain.encodedReceipts(block.hash()))!.map(hex))
      const loc = await target.chain.txLocation(block.transactions[1].hash())
      expect(loc && hex(loc.blockHash)).toBe(hex(block.hash()))
    }
    const state = target.execution.stateAt(target.chain.headBlock)
    expect(hex(await state.getStorage(createAddressFromString(C.storeAndLog), new Uint8Array(32)))).toBe('0x78')
    // The head VM follows: a block built on the imported head is the source's next block.
    const c = target.common
    const next = [tx1559(c, KEY_A, 2n)]
    const built = await target.execution.buildOnHead(next, { timestamp: blocks[1].header.timestamp + 1n, coinbase: new Uint8Array(20) })
    const sourceBuilt = await source.execution.buildOnHead(next, { timestamp: blocks[1].header.timestamp + 1n, coinbase: new Uint8Array(20) })
    expect(hex(built.block.hash())).toBe(hex(sourceBuilt.block.hash()))
  })

  it('skips a block already on the chain, and refuses another block at a taken number', async () => {
    expect(await importer.importBlock(target.chain.headBlock)).toBe('known')
    expect(await importer.importBlock(blocks[0])).toBe('imported')
    expect(await importer.importBlock(blocks[0])).toBe('known')
    const rival = doctor({ timestamp: blocks[0].header.timestamp + 5n })
    await expect(importer.importBlock(rival)).rejects.toMatchObject({ code: 'CONFLICTS_WITH_CHAIN', message: /^block 1: .* conflicts with the chain's block/ })
  })

  it('refuses another genesis, and a block whose parent is not the head', async () => {
    const otherGenesis = (await openExecution({ genesis: devnetGenesis() })).chain.headBlock
    await expectRefused(otherGenesis, 'GENESIS_MISMATCH', /^block 0: genesis 0x[0-9a-f]{64} is not this chain's/)
    await expectRefused(blocks[1], 'UNKNOWN_PARENT', new RegExp(`^block 2: unknown parent ${hex(blocks[0].hash())}: the chain's head is block 0`))
  })

  const headerChecks: [BlockCheck, (b: Block) => HeaderData, RegExp][] = [
    ['NUMBER', (b) => ({ number: 2n }), /^block 2: number is not its parent's \+ 1 \(parent is 0\)$/],
    ['TIMESTAMP', () => ({ timestamp: contractsGenesis().timestamp }), /^block 1: timestamp \d+ is not after its parent's \d+$/],
    ['GAS_LIMIT', (b) => ({ gasLimit: b.header.gasLimit * 2n }), /^block 1: gas limit 60000000 is not within 1\/1024 of its parent's 30000000$/],
    ['BASE_FEE', (b) => ({ baseFeePerGas: b.header.baseFeePerGas! + 1n }), /^block 1: base fee mismatch: have 875000001, want 875000000$/],
    ['EXTRA_DATA', () => ({ extraData: new Uint8Array(33) }), /^block 1: extra data is 33 bytes, at most 32 allowed$/],
    ['DIFFICULTY', () => ({ difficulty: 1n }), /^block 1: difficulty 1 in a proof-of-stake header, want 0$/],
    ['NONCE', () => ({ nonce: hexToBytes('0x0000000000000001') }), /^block 1: nonce 0x0000000000000001 in a proof-of-stake header, want 0$/],
    ['EXCESS_BLOB_GAS', () => ({ excessBlobGas: 1n }), /^block 1: excess blob gas mismatch: have 1, want 0$/],
    ['UNCLES', () => ({ uncleHash: OTHER_ROOT }), /^block 1: uncles in a proof-of-stake block$/],
    ['TX_ROOT', () => ({ transactionsTrie: OTHER_ROOT }), new RegExp(`^block 1: transactions root mismatch: have ${hex(OTHER_ROOT)}, want 0x[0-9a-f]{64}$`)],
    ['WITHDRAWALS', () => ({ withdrawalsRoot: OTHER_ROOT }), /^block 1: withdrawals root mismatch: have 0xabab/],
    ['BLOB_GAS_USED', () => ({ blobGasUsed: 131072n }), /^block 1: block blobGasUsed mismatch: have 131072, want 0$/],
    ['GAS_USED', (b) => ({ gasUsed: b.header.gasUsed + 1n }), /^block 1: gas used mismatch: have \d+, want \d+$/],
    ['LOGS_BLOOM', () => ({ logsBloom: new Uint8Array(256) }), /^block 1: logs bloom mismatch: have 0x0{512}, want 0x[0-9a-f]{512}$/],
    ['RECEIPTS_ROOT', () => ({ receiptTrie: OTHER_ROOT }), /^block 1: receipts root mismatch: have 0xabab.*, want 0x[0-9a-f]{64}$/],
    ['STATE_ROOT', () => ({ stateRoot: OTHER_ROOT }), new RegExp(`^block 1: state root mismatch: have ${hex(OTHER_ROOT)}, want 0x[0-9a-f]{64}$`)],
  ]

  for (const [code, change, message] of headerChecks) {
    it(`refuses a block failing ${code}, and imports the right block after it`, async () => {
      await expectRefused(doctor(change(blocks[0])), code, message)
      expect(await importer.importBlock(blocks[0])).toBe('imported')
      expect(hex(target.chain.headBlock.header.stateRoot)).toBe(hex(blocks[0].header.stateRoot))
    })
  }

  it('refuses withdrawals: the chain has no beacon chain to pay them', async () => {
    const withdrawal = { index: 0n, validatorIndex: 0n, address: hexToBytes(SINK), amount: 1n }
    const root = await genWithdrawalsTrieRoot(createBlock({ withdrawals: [withdrawal] }, { common: target.common }).withdrawals!)
    const block = doctor({ withdrawalsRoot: root }, { withdrawals: [withdrawal] })
    await expectRefused(block, 'WITHDRAWALS', /^block 1: 1 withdrawals in a chain without a beacon chain$/)
  })

  it('refuses a transaction invalid on the parent state, or beyond the block gas, even with a matching transactions root', async () => {
    const c = target.common
    const withTxs = async (txs: TypedTransaction[]) => doctor({ transactionsTrie: await genTransactionsTrieRoot(txs, new MerklePatriciaTrie({ common: c })) }, { transactions: txs })
    await expectRefused(await withTxs([tx1559(c, KEY_A, 7n)]), 'INVALID_TX', /^block 1: tx 0 \(0x[0-9a-f]{64}\): .*nonce/)
    const huge = tx1559(c, KEY_B, 0n, { gasLimit: blocks[0].header.gasLimit - 10_000n })
    await expectRefused(await withTxs([tx1559(c, KEY_A, 0n), huge]), 'INVALID_TX', /^block 1: tx 1 \(0x[0-9a-f]{64}\): gas limit \d+ exceeds the \d+ gas left in the block$/)
  })

  it('decodeBlock calls bytes that are no block MALFORMED, with the number when the header still reads', () => {
    const raw = blocks[0].serialize()
    expect(() => decodeBlock(Uint8Array.of(0xc1, 0x80), target.common, 'item 3')).toThrow(expect.objectContaining({ code: 'MALFORMED', number: undefined, message: expect.stringMatching(/^item 3 is not a block: /) }))
    // The block with an extra element in its list: ethereumjs ignores it, geth's strict decoding does not.
    const extra = new Uint8Array(raw.length + 1)
    extra.set(raw)
    extra[2] += 1 // the long-form list length (1 byte here) grows by one, for the trailing 0x00
    expect(raw[0]).toBe(0xf9)
    expect(() => decodeBlock(extra, target.common, 'item 1')).toThrow(expect.objectContaining({ code: 'MALFORMED', number: 1n, message: 'block 1: malformed (item 1): not the canonical encoding of a block' }))
    // A header field of the wrong size: the number still reads.
    const data = blocks[0].toJSON()
    const shortRoot = createBlock({ ...data, header: { ...data.header, stateRoot: new Uint8Array(32) } }, { common: target.common }).serialize()
    const at = Buffer.from(shortRoot).indexOf(Buffer.concat([Buffer.of(0xa0), Buffer.alloc(32)]))
    const wrongSize = Uint8Array.from([...shortRoot.subarray(0, at), 0x9f, ...shortRoot.subarray(at + 2)])
    wrongSize[2] -= 1
    wrongSize[5] -= 1
    expect(() => decodeBlock(wrongSize, target.common, 'item 1')).toThrow(expect.objectContaining({ code: 'MALFORMED', number: 1n, message: expect.stringMatching(/^block 1: malformed \(item 1\): .*stateRoot must be 32 bytes/) }))
  })
})
