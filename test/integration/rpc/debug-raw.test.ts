/**
 * debug_getRawHeader / debug_getRawBlock / debug_getRawReceipts / debug_getRawTransaction: the
 * consensus encodings, decoded here (RLP, EIP-2718 envelopes) and compared with what eth_* prints
 * and with the bytes the wallet signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Transaction, Wallet, decodeRlp, encodeRlp, getBytes, hexlify, keccak256 } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { GWEI, big, devWallet, headerHash, hex, probeDeployData, randomHash, rpcError, sendTx, signTx } from './helpers.ts'

type Rlp = string | Rlp[]

/** An RLP quantity as printed by eth_*: minimal hex, 0x0 for the empty string. */
const quantity = (bytes: string) => hex(bytes === '0x' ? 0n : BigInt(bytes))

describe('debug_getRaw* (manual mining)', () => {
  let t: TestNode
  const recipient = Wallet.createRandom().address.toLowerCase()
  /** Block 1's transactions as signed: legacy, access-list, EIP-1559 deployment with a log. */
  const signed: string[] = []
  let block: any

  beforeAll(async () => {
    t = await spawnNode({ mining: { kind: 'manual' } })
    signed.push(await signTx(t, devWallet(0), { to: recipient, value: 5n, gasLimit: 21_000n, type: 0, gasPrice: 3n * GWEI }))
    signed.push(await signTx(t, devWallet(1), { to: recipient, value: 6n, gasLimit: 30_000n, type: 1, gasPrice: 2n * GWEI, accessList: [{ address: recipient, storageKeys: [randomHash()] }] }))
    signed.push(await signTx(t, devWallet(2), { data: probeDeployData(3n), gasLimit: 1_000_000n }))
    for (const raw of signed) await t.call('eth_sendRawTransaction', [raw])
    await t.node.miner.mine()
    block = await t.call('eth_getBlockByNumber', ['0x1', false])
    expect(block.transactions).toEqual(signed.map((raw) => Transaction.from(raw).hash))
  })
  afterAll(async () => {
    await t?.close()
  })

  it('debug_getRawHeader: the RLP header whose keccak is the block hash, field for field as eth_getBlockByNumber prints it', async () => {
    for (const ref of ['0x1', 'latest', { blockHash: block.hash }, block.hash]) {
      const raw = await t.call<string>('debug_getRawHeader', [ref])
      expect(keccak256(raw)).toBe(block.hash)
      expect(headerHash(block)).toBe(block.hash)
      const h = decodeRlp(raw) as string[]
      expect(h).toHaveLength(20)
      expect([h[0], h[3], h[4], h[5], h[6]]).toEqual([block.parentHash, block.stateRoot, block.transactionsRoot, block.receiptsRoot, block.logsBloom])
      expect(h[2]).toBe(block.miner)
      expect([h[8], h[9], h[10], h[11], h[15]].map(quantity)).toEqual([block.number, block.gasLimit, block.gasUsed, block.timestamp, block.baseFeePerGas])
    }
    const genesis = await t.call('eth_getBlockByNumber', ['0x0', false])
    expect(keccak256(await t.call('debug_getRawHeader', ['earliest']))).toBe(genesis.hash)
  })

  it('debug_getRawBlock: [header, transactions as signed, no uncles, no withdrawals]', async () => {
    const raw = await t.call<string>('debug_getRawBlock', ['0x1'])
    const [header, txs, uncles, withdrawals] = decodeRlp(raw) as Rlp[]
    expect(encodeRlp(header)).toBe(await t.call('debug_getRawHeader', ['0x1']))
    expect(uncles).toEqual([])
    expect(withdrawals).toEqual([])
    // A legacy transaction is an RLP list in the block; a typed one is its envelope bytes.
    expect((txs as Rlp[]).map((tx) => (Array.isArray(tx) ? encodeRlp(tx) : tx))).toEqual(signed)
    expect(await t.call('debug_getRawBlock', [block.hash])).toBe(raw)
    expect(big(block.size)).toBe(BigInt(getBytes(raw).length))
  })

  it('debug_getRawReceipts: each receipt as [status, cumulative gas, bloom, logs] in its type envelope, as eth_getTransactionReceipt prints it', async () => {
    const raws = await t.call<string[]>('debug_getRawReceipts', ['0x1'])
    expect(raws).toHaveLength(3)
    for (const [i, raw] of raws.entries()) {
      const receipt = await t.call('eth_getTransactionReceipt', [block.transactions[i]])
      const bytes = getBytes(raw)
      const typed = bytes[0] <= 0x7f
      expect(typed ? hex(bytes[0]) : '0x0').toBe(receipt.type)
      const [status, cumulative, bloom, logs] = decodeRlp(typed ? bytes.subarray(1) : bytes) as [string, string, string, string[][]]
      expect(quantity(status)).toBe(receipt.status)
      expect(quantity(cumulative)).toBe(receipt.cumulativeGasUsed)
      expect(bloom).toBe(receipt.logsBloom)
      expect(logs.map(([address, topics, data]) => ({ address, topics, data }))).toEqual(receipt.logs.map((l: any) => ({ address: l.address, topics: l.topics, data: l.data })))
    }
    expect(await t.call('debug_getRawReceipts', [{ blockHash: block.hash }])).toEqual(raws)
    expect((decodeRlp(getBytes(raws[2]).subarray(1)) as Rlp[])[3]).toHaveLength(1) // the deployment's event
    expect(await t.call('debug_getRawReceipts', ['0x0'])).toEqual([])
  })

  it('debug_getRawTransaction: the signed bytes, mined or pending; null for an unknown hash', async () => {
    for (const raw of signed) expect(await t.call('debug_getRawTransaction', [Transaction.from(raw).hash])).toBe(raw)
    const pending = await sendTx(t, devWallet(3), { to: recipient, value: 1n, gasLimit: 21_000n })
    const raw = await t.call<string>('debug_getRawTransaction', [pending])
    expect(Transaction.from(raw).hash).toBe(pending)
    expect(await t.call('debug_getRawTransaction', [randomHash()])).toBeNull()
    expect(hexlify(getBytes(raw))).toBe(raw)
  })

  it('a block that does not exist: geth\'s "header not found"; a malformed hash: invalid params', async () => {
    for (const method of ['debug_getRawHeader', 'debug_getRawBlock', 'debug_getRawReceipts']) {
      expect(await rpcError(t, method, ['0x99'])).toMatchObject({ code: -32000, message: 'header not found' })
      expect(await rpcError(t, method, [{ blockHash: randomHash() }])).toMatchObject({ code: -32000, message: 'header for hash not found' })
    }
    expect(await rpcError(t, 'debug_getRawTransaction', ['0x1234'])).toMatchObject({ code: -32602 })
  })
})
