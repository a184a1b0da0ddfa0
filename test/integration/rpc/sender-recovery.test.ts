/**
 * eth_sendRawTransaction in a JSON-RPC batch: the senders are recovered by the worker threads, the main
 * thread recovers none of them, and every transaction is mined from the right sender.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Transaction } from 'ethers'
import { cryptoBackends } from '../../../node/crypto/backends.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { devWallet, signTx, waitForReceipt } from './helpers.ts'

const BATCH = 6

/** Sends BATCH transfers from dev account 5 as one batch; the main thread's recoveries while it is answered, and the receipts. */
async function sendBatch(t: TestNode): Promise<{ recoveries: number; receipts: { from: string; status: string }[] }> {
  const wallet = devWallet(5)
  const first = Number(await t.call<string>('eth_getTransactionCount', [wallet.address, 'pending']))
  const raws: string[] = []
  for (let i = 0; i < BATCH; i++) raws.push(await signTx(t, wallet, { nonce: first + i, to: devWallet(6).address, value: 1n, gasLimit: 21_000n }))
  const recover = vi.spyOn(cryptoBackends, 'recover')
  const body = JSON.stringify(raws.map((raw, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [raw] })))
  const answers = (await (await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as { result: string }[]
  const recoveries = recover.mock.calls.length
  recover.mockRestore()
  expect(answers.map((a) => a.result)).toEqual(raws.map((raw) => Transaction.from(raw).hash))
  const receipts = await Promise.all(answers.map((a) => waitForReceipt(t, a.result)))
  return { recoveries, receipts }
}

describe('sender recovery of batched raw transactions', () => {
  let t: TestNode | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  it('runs on the recovery workers: none on the main thread, every transaction mined from its signer', async () => {
    t = await spawnNode({ recoveryThreads: 1 })
    const { recoveries, receipts } = await sendBatch(t)
    expect(recoveries).toBe(0)
    expect(receipts.map((r) => [r.from, r.status])).toEqual(Array(BATCH).fill([devWallet(5).address.toLowerCase(), '0x1']))
  })

  it('runs on the main thread, with the same outcome, without workers', async () => {
    t = await spawnNode({ recoveryThreads: 0 })
    const { recoveries, receipts } = await sendBatch(t)
    expect(recoveries).toBe(BATCH)
    expect(receipts.map((r) => [r.from, r.status])).toEqual(Array(BATCH).fill([devWallet(5).address.toLowerCase(), '0x1']))
  })
})
