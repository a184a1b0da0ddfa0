import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployer, recipient, signTx, type SignedTx } from '../../../bench/accounts.ts'
import { createRpcClient, type RpcCall, type RpcClient } from '../../../bench/client.ts'
import { assertAllSucceeded } from '../../../bench/receipts.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'

/** `client`, with the methods it sends recorded. */
function recording(client: RpcClient): { client: RpcClient; methods: string[] } {
  const methods: string[] = []
  const note = (calls: RpcCall[]) => methods.push(...calls.map((c) => c.method))
  return {
    methods,
    client: {
      call: (method, params) => (note([{ method, params: params ?? [] }]), client.call(method, params)),
      batch: (calls) => (note(calls), client.batch(calls)),
      close: () => client.close(),
    },
  }
}

describe('bench receipt check, by blocks', () => {
  let node: TestNode
  let client: RpcClient
  let before: number
  let head: number
  let transfer: SignedTx
  let reverted: SignedTx

  beforeAll(async () => {
    node = await spawnNode()
    client = createRpcClient(node.url, 2)
    before = Number(await node.call('eth_blockNumber'))
    transfer = await signTx(deployer, 0, { to: recipient(0), value: 1n, gasLimit: 21_000n })
    // A creation whose init code reverts (PUSH1 0, PUSH1 0, REVERT): mined, with status 0.
    reverted = await signTx(deployer, 1, { data: '0x60006000fd', gasLimit: 100_000n })
    for (const tx of [transfer, reverted]) await node.call('eth_sendRawTransaction', [tx.raw])
    head = Number(await node.call('eth_blockNumber'))
  })
  afterAll(async () => {
    client.close()
    await node.close()
  })

  it('passes successful transactions, reading whole blocks of receipts', async () => {
    const rec = recording(client)
    await assertAllSucceeded(rec.client, [transfer.hash], { from: before, to: head })
    expect(rec.methods).toContain('eth_getBlockReceipts')
    expect(rec.methods).not.toContain('eth_getTransactionReceipt')
  })

  it('fails on a transaction with status 0', async () => {
    await expect(assertAllSucceeded(client, [transfer.hash, reverted.hash], { from: before, to: head })).rejects.toThrow(`transaction ${reverted.hash} failed`)
  })

  it('fails on a transaction outside the blocks', async () => {
    await expect(assertAllSucceeded(client, [transfer.hash], { from: head, to: head })).rejects.toThrow(`1 transactions have no receipt in blocks ${head + 1}..${head}`)
  })
})

describe('bench receipt check on a node without eth_getBlockReceipts', () => {
  it("reads each transaction's receipt instead, as with Hardhat's answer", async () => {
    const hash = `0x${'ab'.repeat(32)}`
    const server = http.createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        const calls = JSON.parse(body) as { id: number; method: string }[]
        const answers = calls.map(({ id, method }) =>
          method === 'eth_getBlockReceipts'
            ? { jsonrpc: '2.0', id, error: { code: -32004, message: 'Method eth_getBlockReceipts is not supported' } }
            : { jsonrpc: '2.0', id, result: { transactionHash: hash, status: '0x1', gasUsed: '0x5208' } },
        )
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const rec = recording(createRpcClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 1))
    try {
      await assertAllSucceeded(rec.client, [hash], { from: 0, to: 1 })
      expect(rec.methods).toEqual(['eth_getBlockReceipts', 'eth_getTransactionReceipt'])
    } finally {
      rec.client.close()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
