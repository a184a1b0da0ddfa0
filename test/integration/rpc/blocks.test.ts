/**
 * Blocks, transactions and receipts: eth_blockNumber, eth_getBlockBy*, eth_getBlockTransactionCountBy*,
 * eth_getTransactionBy*, eth_getTransactionReceipt, eth_getBlockReceipts. Manual mining, so each
 * block holds exactly the transactions the test put in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Transaction, Wallet, getCreateAddress, keccak256, toUtf8Bytes } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import {
  GWEI,
  NOTE_TOPIC,
  big,
  devWallet,
  headerHash,
  hex,
  logsBloom,
  nextBaseFee,
  probe,
  probeDeployData,
  randomHash,
  signTx,
  word,
} from './helpers.ts'

const ZERO_HASH = '0x' + '00'.repeat(32)
const TAG = keccak256(toUtf8Bytes('blocks-test'))

interface Sent {
  raw: string
  hash: string
  from: string
}

describe('block, transaction and receipt methods (manual mining)', () => {
  let t: TestNode
  const recipient = Wallet.createRandom().address.toLowerCase()
  const storageKey = word(1)
  let contract: string
  /** Block 1: legacy transfer, EIP-2930 transfer, EIP-1559 deployment. */
  let block1: Sent[]
  /** Block 2: two log-emitting calls, a transfer, a reverting call. */
  let block2: Sent[]

  const send = async (i: number, tx: Parameters<typeof signTx>[2]): Promise<Sent> => {
    const wallet = devWallet(i)
    const raw = await signTx(t, wallet, tx)
    const hash = await t.call<string>('eth_sendRawTransaction', [raw])
    expect(hash).toBe(Transaction.from(raw).hash)
    return { raw, hash, from: wallet.address.toLowerCase() }
  }
  const block = (tag: string | number, full = false) => t.call('eth_getBlockByNumber', [typeof tag === 'number' ? hex(tag) : tag, full])
  const receipt = (hash: string) => t.call('eth_getTransactionReceipt', [hash])
  const byIndex = async (sent: Sent[], blockJson: any) => {
    const order = (blockJson.transactions as string[]).map((h) => sent.find((s) => s.hash === h)!)
    expect(order.every(Boolean)).toBe(true)
    return order
  }

  beforeAll(async () => {
    t = await spawnNode({ mining: { kind: 'manual' } })
    block1 = [
      await send(0, { to: recipient, value: 1n, gasLimit: 21_000n, type: 0, gasPrice: 2n * GWEI }),
      await send(1, { to: recipient, value: 2n, gasLimit: 30_000n, type: 1, gasPrice: 3n * GWEI, accessList: [{ address: recipient, storageKeys: [storageKey] }] }),
      await send(2, { data: probeDeployData(11n), gasLimit: 1_000_000n, maxFeePerGas: 5n * GWEI, maxPriorityFeePerGas: 2n * GWEI }),
    ]
    contract = getCreateAddress({ from: block1[2].from, nonce: 0 }).toLowerCase()
    await t.node.miner.mine()
    block2 = [
      await send(2, { to: contract, data: probe.encodeFunctionData('notes', [2n, TAG]), gasLimit: 200_000n, maxPriorityFeePerGas: 3n * GWEI }),
      await send(3, { to: contract, data: probe.encodeFunctionData('note', [7n, TAG, 'seven']), gasLimit: 200_000n, maxPriorityFeePerGas: 2n * GWEI }),
      await send(4, { to: recipient, value: 3n, gasLimit: 21_000n, maxPriorityFeePerGas: GWEI }),
      await send(5, { to: contract, data: probe.encodeFunctionData('fail', ['no']), gasLimit: 100_000n, maxPriorityFeePerGas: GWEI / 2n }),
    ]
    await t.node.miner.mine()
    await t.node.miner.mine() // block 3: empty
  })
  afterAll(async () => {
    await t?.close()
  })

  describe('blocks', () => {
    it('eth_blockNumber is the head', async () => {
      expect(await t.call('eth_blockNumber')).toBe('0x3')
    })

    it('each block\'s hash is keccak(rlp(header)) of the printed fields, and links to its parent', async () => {
      let parent = await block(0)
      expect(parent.number).toBe('0x0')
      expect(parent.parentHash).toBe(ZERO_HASH)
      expect(headerHash(parent)).toBe(parent.hash)
      for (let n = 1; n <= 3; n++) {
        const b = await block(n)
        expect(b.number).toBe(hex(n))
        expect(headerHash(b)).toBe(b.hash)
        expect(b.parentHash).toBe(parent.hash)
        expect(big(b.baseFeePerGas)).toBe(nextBaseFee(parent))
        expect(big(b.timestamp)).toBeGreaterThan(big(parent.timestamp))
        expect(b.miner).toBe('0x0000000000000000000000000000000000000000')
        expect(b.uncles).toEqual([])
        expect(b.sha3Uncles).toBe('0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347')
        parent = b
      }
    })

    it('lists the transactions sent, gasUsed is the sum of the receipts\', and the empty block has none', async () => {
      const b1 = await block(1)
      expect([...b1.transactions].sort()).toEqual(block1.map((s) => s.hash).sort())
      const b2 = await block(2)
      expect([...b2.transactions].sort()).toEqual(block2.map((s) => s.hash).sort())
      for (const b of [b1, b2]) {
        const receipts = await Promise.all(b.transactions.map(receipt))
        expect(big(b.gasUsed)).toBe(receipts.reduce((sum: bigint, r: any) => sum + big(r.gasUsed), 0n))
      }
      const b3 = await block(3)
      expect(b3.transactions).toEqual([])
      expect(b3.gasUsed).toBe('0x0')
      expect(b3.transactionsRoot).toBe('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421') // empty trie
    })

    it('by hash equals by number, with hashes and with full transactions', async () => {
      for (let n = 0; n <= 3; n++) {
        for (const full of [false, true]) {
          const byNumber = await block(n, full)
          expect(await t.call('eth_getBlockByHash', [byNumber.hash, full])).toEqual(byNumber)
        }
      }
    })

    it('full transactions equal eth_getTransactionByHash, and carry exactly what was signed', async () => {
      for (const [n, sent] of [[1, block1], [2, block2]] as const) {
        const full = await block(n, true)
        const hashes = await block(n, false)
        expect(full.transactions.map((tx: any) => tx.hash)).toEqual(hashes.transactions)
        for (const [i, tx] of full.transactions.entries()) {
          expect(await t.call('eth_getTransactionByHash', [tx.hash])).toEqual(tx)
          expect(tx.blockHash).toBe(full.hash)
          expect(tx.blockNumber).toBe(hex(n))
          expect(tx.transactionIndex).toBe(hex(i))
          const signed = Transaction.from(sent.find((s) => s.hash === tx.hash)!.raw)
          expect(tx.from).toBe(signed.from!.toLowerCase())
          expect(tx.to).toBe(signed.to ? signed.to.toLowerCase() : null)
          expect(tx.nonce).toBe(hex(signed.nonce))
          expect(tx.gas).toBe(hex(signed.gasLimit))
          expect(tx.value).toBe(hex(signed.value))
          expect(tx.input).toBe(signed.data)
          expect(tx.type).toBe(hex(signed.type!))
          expect(tx.chainId).toBe('0x539')
          expect(tx.r).toBe(hex(BigInt(signed.signature!.r)))
          expect(tx.s).toBe(hex(BigInt(signed.signature!.s)))
          if (signed.type === 0) {
            expect(tx.v).toBe(hex(signed.signature!.networkV!)) // EIP-155: chainId * 2 + 35 + yParity
            expect(tx.gasPrice).toBe(hex(signed.gasPrice!))
          } else {
            expect(tx.v).toBe(hex(signed.signature!.yParity))
            expect(tx.yParity).toBe(hex(signed.signature!.yParity))
            expect(tx.accessList).toEqual(signed.accessList!.map((e) => ({ address: e.address.toLowerCase(), storageKeys: e.storageKeys })))
          }
          if (signed.type === 2) {
            expect(tx.maxFeePerGas).toBe(hex(signed.maxFeePerGas!))
            expect(tx.maxPriorityFeePerGas).toBe(hex(signed.maxPriorityFeePerGas!))
            // Mined: gasPrice is the effective price, min(maxFee, baseFee + tip).
            const tipped = big(full.baseFeePerGas) + signed.maxPriorityFeePerGas!
            expect(tx.gasPrice).toBe(hex(tipped < signed.maxFeePerGas! ? tipped : signed.maxFeePerGas!))
          }
        }
      }
    })

    it('tags: latest is the head, earliest genesis; pending, safe and finalized are the head on this devnet', async () => {
      const head = await block(3)
      expect(await block('latest')).toEqual(head)
      expect((await block('earliest')).number).toBe('0x0')
      expect(await block('earliest')).toEqual(await block(0))
      for (const tag of ['pending', 'safe', 'finalized']) expect(await block(tag)).toEqual(head)
    })

    it('unknown blocks are null', async () => {
      expect(await block(100)).toBeNull()
      expect(await t.call('eth_getBlockByHash', [randomHash(), false])).toBeNull()
      expect(await t.call('eth_getBlockTransactionCountByNumber', [hex(100)])).toBeNull()
      expect(await t.call('eth_getBlockTransactionCountByHash', [randomHash()])).toBeNull()
      expect(await t.call('eth_getTransactionByBlockNumberAndIndex', [hex(100), '0x0'])).toBeNull()
      expect(await t.call('eth_getTransactionByBlockHashAndIndex', [randomHash(), '0x0'])).toBeNull()
      expect(await t.call('eth_getBlockReceipts', [hex(100)])).toBeNull()
      expect(await t.call('eth_getBlockReceipts', [randomHash()])).toBeNull()
    })

    it('eth_getBlockTransactionCountByNumber / ByHash count the block\'s transactions', async () => {
      const expected = ['0x0', '0x3', '0x4', '0x0']
      for (let n = 0; n <= 3; n++) {
        expect(await t.call('eth_getBlockTransactionCountByNumber', [hex(n)])).toBe(expected[n])
        expect(await t.call('eth_getBlockTransactionCountByHash', [(await block(n)).hash])).toBe(expected[n])
      }
      expect(await t.call('eth_getBlockTransactionCountByNumber', ['latest'])).toBe('0x0')
    })
  })

  describe('transactions', () => {
    it('eth_getTransactionByBlockNumberAndIndex / ByBlockHashAndIndex give the transaction at that index; past the end is null', async () => {
      const b2 = await block(2)
      for (const [i, h] of (b2.transactions as string[]).entries()) {
        const expected = await t.call('eth_getTransactionByHash', [h])
        expect(await t.call('eth_getTransactionByBlockNumberAndIndex', ['0x2', hex(i)])).toEqual(expected)
        expect(await t.call('eth_getTransactionByBlockHashAndIndex', [b2.hash, hex(i)])).toEqual(expected)
      }
      expect(await t.call('eth_getTransactionByBlockNumberAndIndex', ['0x2', '0x4'])).toBeNull()
      expect(await t.call('eth_getTransactionByBlockHashAndIndex', [b2.hash, '0x4'])).toBeNull()
      expect(await t.call('eth_getTransactionByBlockNumberAndIndex', ['latest', '0x0'])).toBeNull()
    })

    it('eth_getTransactionByHash: a pending transaction has no block fields and gasPrice = maxFeePerGas; unknown is null', async () => {
      const pending = await send(6, { to: recipient, value: 5n, gasLimit: 21_000n, maxFeePerGas: 7n * GWEI, maxPriorityFeePerGas: 2n * GWEI })
      const tx = await t.call('eth_getTransactionByHash', [pending.hash])
      expect(tx).toMatchObject({ hash: pending.hash, from: pending.from, to: recipient, blockHash: null, blockNumber: null, transactionIndex: null })
      expect(tx.gasPrice).toBe(hex(7n * GWEI))
      expect(tx.maxFeePerGas).toBe(hex(7n * GWEI))
      expect(await t.call('eth_getTransactionReceipt', [pending.hash])).toBeNull()

      const sealed = await t.node.miner.mine()
      expect(await t.call('eth_blockNumber')).toBe(hex(sealed.header.number))
      const mined = await t.call('eth_getTransactionByHash', [pending.hash])
      expect(mined.blockHash).toBe('0x' + Buffer.from(sealed.hash()).toString('hex'))
      expect(mined.blockNumber).toBe(hex(sealed.header.number))
      expect(mined.transactionIndex).toBe('0x0')
      expect(big(mined.gasPrice)).toBe(sealed.header.baseFeePerGas! + 2n * GWEI)
      expect((await t.call('eth_getTransactionReceipt', [pending.hash])).status).toBe('0x1')

      expect(await t.call('eth_getTransactionByHash', [randomHash()])).toBeNull()
      expect(await t.call('eth_getTransactionReceipt', [randomHash()])).toBeNull()
    })
  })

  describe('receipts', () => {
    it('gasUsed per transaction, cumulativeGasUsed across the block, effectiveGasPrice, status', async () => {
      for (const [n, sent] of [[1, block1], [2, block2]] as const) {
        const b = await block(n)
        const baseFee = big(b.baseFeePerGas)
        let cumulative = 0n
        for (const [i, s] of (await byIndex(sent, b)).entries()) {
          const r = await receipt(s.hash)
          const signed = Transaction.from(s.raw)
          cumulative += big(r.gasUsed)
          expect(r).toMatchObject({ transactionHash: s.hash, transactionIndex: hex(i), blockHash: b.hash, blockNumber: hex(n), from: s.from, type: hex(signed.type!) })
          expect(r.to).toBe(signed.to ? signed.to.toLowerCase() : null)
          expect(big(r.cumulativeGasUsed)).toBe(cumulative)
          const tipped = signed.type === 2 ? baseFee + signed.maxPriorityFeePerGas! : signed.gasPrice!
          const cap = signed.type === 2 ? signed.maxFeePerGas! : signed.gasPrice!
          expect(big(r.effectiveGasPrice)).toBe(tipped < cap ? tipped : cap)
        }
        expect(big(b.gasUsed)).toBe(cumulative)
      }
      // Exact intrinsic costs: a transfer, and one with an access list of 1 address + 1 key.
      expect(await receipt(block1[0].hash)).toMatchObject({ gasUsed: hex(21_000), status: '0x1', contractAddress: null, logs: [] })
      expect(await receipt(block1[1].hash)).toMatchObject({ gasUsed: hex(21_000 + 2_400 + 1_900), status: '0x1' })
      expect(await receipt(block2[2].hash)).toMatchObject({ gasUsed: hex(21_000), status: '0x1' })
      // The reverting call is mined with status 0 and no logs.
      const failed = await receipt(block2[3].hash)
      expect(failed.status).toBe('0x0')
      expect(failed.logs).toEqual([])
      expect(big(failed.gasUsed)).toBeGreaterThan(21_000n)
      expect(big(failed.gasUsed)).toBeLessThan(100_000n)
    })

    it('a deployment\'s receipt has contractAddress (CREATE address of sender and nonce) and to = null', async () => {
      const r = await receipt(block1[2].hash)
      expect(r.contractAddress).toBe(contract)
      expect(r.to).toBeNull()
      expect(r.status).toBe('0x1')
      expect(r.logs).toHaveLength(1) // the constructor's ValueSet
      expect(r.logs[0].address).toBe(contract)
      expect((await t.call('eth_getCode', [contract, '0x1'])).length).toBeGreaterThan(2)
      for (const s of [block1[0], block1[1], ...block2]) expect((await receipt(s.hash)).contractAddress).toBeNull()
    })

    it('logs carry their position: logIndex counts across the block\'s transactions', async () => {
      const b = await block(2)
      const ordered = await byIndex(block2, b)
      const all: any[] = []
      for (const [i, s] of ordered.entries()) {
        const r = await receipt(s.hash)
        for (const log of r.logs) {
          expect(log).toMatchObject({ transactionHash: s.hash, transactionIndex: hex(i), blockHash: b.hash, blockNumber: '0x2', address: contract, removed: false })
          all.push(log)
        }
      }
      expect(all.map((l) => l.logIndex)).toEqual(['0x0', '0x1', '0x2'])
      // notes(2, TAG) emits Note(0, TAG, "") and Note(1, TAG, ""); note(7, TAG, "seven") one more.
      const decoded = all.map((l) => probe.parseLog(l)!)
      expect(decoded.map((d) => [d.name, d.args.id, d.args.tag])).toEqual(
        expect.arrayContaining([
          ['Note', 0n, TAG],
          ['Note', 1n, TAG],
          ['Note', 7n, TAG],
        ]),
      )
      const seven = all.find((l) => l.topics[1] === word(7))
      expect(seven.topics).toEqual([NOTE_TOPIC, word(7), TAG])
      expect(probe.parseLog(seven)!.args.text).toBe('seven')
    })

    it('logsBloom of each receipt covers its logs, and the block\'s is the union', async () => {
      for (const n of [1, 2, 3]) {
        const b = await block(n)
        const receipts = await t.call<any[]>('eth_getBlockReceipts', [hex(n)])
        for (const r of receipts) expect(r.logsBloom).toBe(logsBloom(r.logs))
        expect(b.logsBloom).toBe(logsBloom(receipts.flatMap((r) => r.logs)))
      }
      expect((await block(2)).logsBloom).not.toBe('0x' + '00'.repeat(256))
    })

    it('eth_getBlockReceipts by number, hash, tag and EIP-1898 object equals the receipts one by one', async () => {
      for (const n of [1, 2]) {
        const b = await block(n)
        const expected = await Promise.all((b.transactions as string[]).map(receipt))
        expect(await t.call('eth_getBlockReceipts', [hex(n)])).toEqual(expected)
        expect(await t.call('eth_getBlockReceipts', [b.hash])).toEqual(expected)
        expect(await t.call('eth_getBlockReceipts', [{ blockHash: b.hash }])).toEqual(expected)
        expect(await t.call('eth_getBlockReceipts', [{ blockNumber: hex(n) }])).toEqual(expected)
      }
      expect(await t.call('eth_getBlockReceipts', ['0x3'])).toEqual([])
      expect(await t.call('eth_getBlockReceipts', ['earliest'])).toEqual([])
      const latest = await block('latest')
      expect(await t.call('eth_getBlockReceipts', ['latest'])).toEqual(await Promise.all((latest.transactions as string[]).map(receipt)))
    })
  })
})
