/**
 * Transaction types signed locally and sent raw: legacy (EIP-155), EIP-2930 and EIP-1559; a burst of
 * 20 transactions from one sender; and the refusals every node must give (wrong chain id, nonce too
 * low, insufficient funds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Transaction, Wallet, keccak256, type TransactionRequest } from 'ethers'
import {
  CHAIN_ID,
  DEV_ADDRESSES,
  DEV_KEYS,
  IS_OLNODE,
  KIND,
  balanceOf,
  fees,
  nonceOf,
  rpc,
  rpcError,
  startDevnet,
  waitForReceipt,
  type DevnetProcess,
  type RpcReceipt,
} from './helpers.ts'

interface RpcTx {
  hash: string
  type: string
  nonce: string
  chainId?: string
  v: string
  gasPrice?: string
  maxFeePerGas?: string
  maxPriorityFeePerGas?: string
  accessList?: { address: string; storageKeys: string[] }[]
  blockNumber: string | null
  blockHash: string | null
  transactionIndex: string | null
  from: string
  to: string | null
  value: string
}

describe(`transaction types and txpool refusals (${KIND})`, () => {
  let devnet: DevnetProcess
  const recipient = Wallet.createRandom().address

  beforeAll(async () => {
    devnet = await startDevnet()
  })

  afterAll(async () => {
    await devnet?.stop()
  })

  /** Signs with dev key `i`, sends it raw, waits for the receipt; returns the tx as the node reports it. */
  async function sendSigned(i: number, req: TransactionRequest): Promise<{ raw: string; hash: string; receipt: RpcReceipt; tx: RpcTx }> {
    const wallet = new Wallet(DEV_KEYS[i])
    const nonce = req.nonce ?? (await nonceOf(devnet.url, wallet.address, 'pending'))
    const raw = await wallet.signTransaction({ chainId: CHAIN_ID, nonce, to: recipient, gasLimit: 21_000n, ...req })
    const hash = await rpc<string>(devnet.url, 'eth_sendRawTransaction', [raw])
    expect(hash).toBe(keccak256(raw))
    const receipt = await waitForReceipt(devnet.url, hash)
    const tx = await rpc<RpcTx>(devnet.url, 'eth_getTransactionByHash', [hash])
    return { raw, hash, receipt, tx }
  }

  it('legacy (type 0) with EIP-155 replay protection', async () => {
    const { gasPrice } = await fees(devnet.url)
    const before = await balanceOf(devnet.url, recipient)
    const { raw, receipt, tx } = await sendSigned(1, { type: 0, gasPrice, value: 1_000n })
    // The signature commits to chain id 1337: v = 1337 * 2 + 35 + yParity.
    const parsed = Transaction.from(raw)
    expect(parsed.chainId).toBe(BigInt(CHAIN_ID))
    expect([2709n, 2710n]).toContain(BigInt(tx.v))
    expect(tx.type).toBe('0x0')
    expect(BigInt(tx.gasPrice!)).toBe(gasPrice)
    expect(tx.from.toLowerCase()).toBe(DEV_ADDRESSES[1].toLowerCase())

    expect(receipt.type).toBe('0x0')
    expect(receipt.status).toBe('0x1')
    expect(BigInt(receipt.gasUsed)).toBe(21_000n)
    expect(BigInt(receipt.effectiveGasPrice)).toBe(gasPrice)
    expect(tx.blockHash).toBe(receipt.blockHash)
    expect(await balanceOf(devnet.url, recipient)).toBe(before + 1_000n)
  })

  it('EIP-2930 (type 1) with an access list: intrinsic gas includes the list', async () => {
    const { gasPrice } = await fees(devnet.url)
    const accessList = [{ address: DEV_ADDRESSES[9], storageKeys: ['0x' + '00'.repeat(31) + '01'] }]
    const { receipt, tx } = await sendSigned(2, { type: 1, gasPrice, value: 2_000n, gasLimit: 30_000n, accessList })
    expect(tx.type).toBe('0x1')
    expect(BigInt(tx.chainId!)).toBe(BigInt(CHAIN_ID))
    expect(tx.accessList?.map((e) => ({ address: e.address.toLowerCase(), storageKeys: e.storageKeys }))).toEqual([
      { address: DEV_ADDRESSES[9].toLowerCase(), storageKeys: accessList[0].storageKeys },
    ])
    expect(receipt.type).toBe('0x1')
    expect(receipt.status).toBe('0x1')
    // 21000 + 2400 per address + 1900 per storage key.
    expect(BigInt(receipt.gasUsed)).toBe(21_000n + 2_400n + 1_900n)
    expect(BigInt(receipt.effectiveGasPrice)).toBe(gasPrice)
  })

  it('EIP-1559 (type 2): effectiveGasPrice = min(maxFee, baseFee + tip)', async () => {
    const { maxFeePerGas, maxPriorityFeePerGas } = await fees(devnet.url)
    const sender = DEV_ADDRESSES[3]
    const balanceBefore = await balanceOf(devnet.url, sender)
    const { receipt, tx } = await sendSigned(3, { type: 2, maxFeePerGas, maxPriorityFeePerGas, value: 3_000n })
    expect(tx.type).toBe('0x2')
    expect(BigInt(tx.maxFeePerGas!)).toBe(maxFeePerGas)
    expect(BigInt(tx.maxPriorityFeePerGas!)).toBe(maxPriorityFeePerGas)
    expect(receipt.type).toBe('0x2')
    expect(receipt.status).toBe('0x1')
    const block = await rpc<{ baseFeePerGas: string }>(devnet.url, 'eth_getBlockByHash', [receipt.blockHash, false])
    const baseFee = BigInt(block.baseFeePerGas)
    const expected = baseFee + maxPriorityFeePerGas < maxFeePerGas ? baseFee + maxPriorityFeePerGas : maxFeePerGas
    expect(BigInt(receipt.effectiveGasPrice)).toBe(expected)
    // The sender paid exactly value + gasUsed * effectiveGasPrice.
    expect(await balanceOf(devnet.url, sender)).toBe(balanceBefore - 3_000n - 21_000n * expected)
  })

  it('20 rapid transactions from one sender are all mined, in nonce order', async () => {
    const wallet = new Wallet(DEV_KEYS[4])
    const start = await nonceOf(devnet.url, wallet.address, 'pending')
    const { maxFeePerGas, maxPriorityFeePerGas } = await fees(devnet.url)
    // Generous fee cap so that base-fee movement during the burst cannot strand a transaction.
    const raws = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        wallet.signTransaction({ type: 2, chainId: CHAIN_ID, nonce: start + k, to: recipient, value: BigInt(k + 1), gasLimit: 21_000n, maxFeePerGas: maxFeePerGas * 4n, maxPriorityFeePerGas }),
      ),
    )
    const before = await balanceOf(devnet.url, recipient)
    // Fire all 20 without waiting for each answer: they may reach the node out of order.
    const hashes = await Promise.all(raws.map((raw) => rpc<string>(devnet.url, 'eth_sendRawTransaction', [raw])))
    expect(hashes).toEqual(raws.map((r) => keccak256(r)))
    const receipts = await Promise.all(hashes.map((h) => waitForReceipt(devnet.url, h, 30_000)))
    for (const r of receipts) expect(r.status).toBe('0x1')
    const pos = receipts.map((r) => [Number(r.blockNumber), Number(r.transactionIndex)] as const)
    for (let k = 1; k < pos.length; k++) {
      const [b0, i0] = pos[k - 1]
      const [b1, i1] = pos[k]
      expect(b1 > b0 || (b1 === b0 && i1 > i0), `nonce ${start + k} at ${b1}/${i1} after ${b0}/${i0}`).toBe(true)
    }
    // The transactions in each block are the sender's nonces in order.
    const txs = await Promise.all(hashes.map((h) => rpc<RpcTx>(devnet.url, 'eth_getTransactionByHash', [h])))
    expect(txs.map((t) => Number(t.nonce))).toEqual(Array.from({ length: 20 }, (_, k) => start + k))
    expect(await nonceOf(devnet.url, wallet.address)).toBe(start + 20)
    expect(await balanceOf(devnet.url, recipient)).toBe(before + 210n) // 1 + 2 + ... + 20
  })

  describe('refusals', () => {
    const base = async () => {
      const f = await fees(devnet.url)
      return { to: recipient, value: 1n, gasLimit: 21_000n, maxFeePerGas: f.maxFeePerGas, maxPriorityFeePerGas: f.maxPriorityFeePerGas, type: 2 }
    }

    async function expectRefused(raw: string, pattern: RegExp) {
      const err = await rpcError(devnet.url, 'eth_sendRawTransaction', [raw])
      expect(err.message).toMatch(pattern)
      // geth reports txpool refusals as -32000; anvil uses -32003.
      if (IS_OLNODE) expect(err.code).toBe(-32000)
      // Nothing was accepted.
      expect(await rpc(devnet.url, 'eth_getTransactionByHash', [keccak256(raw)])).toBeNull()
      return err
    }

    it('wrong chain id (signed for chain 1) is refused and the nonce is not used', async () => {
      const wallet = new Wallet(DEV_KEYS[5])
      const nonce = await nonceOf(devnet.url, wallet.address, 'pending')
      await expectRefused(await wallet.signTransaction({ ...(await base()), chainId: 1, nonce }), /chain ?id/i)
      expect(await nonceOf(devnet.url, wallet.address, 'pending')).toBe(nonce)
    })

    it.runIf(IS_OLNODE)('wrong chain id on a legacy EIP-155 transaction is refused too (geth; anvil accepts it)', async () => {
      const wallet = new Wallet(DEV_KEYS[5])
      const nonce = await nonceOf(devnet.url, wallet.address, 'pending')
      const { gasPrice } = await fees(devnet.url)
      await expectRefused(await wallet.signTransaction({ type: 0, chainId: 1, nonce, to: recipient, value: 1n, gasLimit: 21_000n, gasPrice }), /chain ?id/i)
    })

    it('nonce too low', async () => {
      const wallet = new Wallet(DEV_KEYS[6])
      const nonce = await nonceOf(devnet.url, wallet.address, 'pending')
      const first = await wallet.signTransaction({ ...(await base()), chainId: CHAIN_ID, nonce })
      await waitForReceipt(devnet.url, await rpc<string>(devnet.url, 'eth_sendRawTransaction', [first]))
      // Same nonce, different value: a different transaction whose nonce is already used.
      const again = await wallet.signTransaction({ ...(await base()), value: 2n, chainId: CHAIN_ID, nonce })
      await expectRefused(again, /nonce too low/i)
      expect(await nonceOf(devnet.url, wallet.address)).toBe(nonce + 1)
    })

    it('insufficient funds (a fresh wallet with no balance)', async () => {
      const fresh = Wallet.createRandom()
      expect(await balanceOf(devnet.url, fresh.address)).toBe(0n)
      await expectRefused(await fresh.signTransaction({ ...(await base()), value: 10n ** 18n, chainId: CHAIN_ID, nonce: 0 }), /insufficient funds/i)
      expect(await nonceOf(devnet.url, fresh.address, 'pending')).toBe(0)
    })
  })
})
