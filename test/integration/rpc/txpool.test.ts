/** geth's txpool namespace over HTTP and WebSocket, on a node that seals only when told (txs stay pooled). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Transaction, getAddress } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { GWEI, WsClient, devWallet, probeDeployData, signTx } from './helpers.ts'

const TO = '0x00000000000000000000000000000000000000aa'

describe('txpool_*', () => {
  let t: TestNode
  const sender = devWallet(0)
  const other = devWallet(1)
  const raws: Record<string, string> = {}

  beforeAll(async () => {
    t = await spawnNode({ mining: { kind: 'manual' } })
    // sender: nonces 0 and 1 pending (EIP-1559 transfer, legacy deployment), 3 queued behind a gap.
    raws.n0 = await signTx(t, sender, { to: TO, value: 5n, gasLimit: 21_000n, nonce: 0, maxFeePerGas: 30n * GWEI, maxPriorityFeePerGas: 2n * GWEI })
    raws.n1 = await signTx(t, sender, { data: probeDeployData(1n), gasLimit: 900_000n, nonce: 1, gasPrice: 12n * GWEI })
    raws.n3 = await signTx(t, sender, { to: TO, value: 7n, gasLimit: 21_000n, nonce: 3 })
    raws.o0 = await signTx(t, other, { to: TO, value: 9n, gasLimit: 25_000n, nonce: 0, maxFeePerGas: 40n * GWEI })
    for (const raw of Object.values(raws)) await t.call('eth_sendRawTransaction', [raw])
  })
  afterAll(async () => {
    await t?.close()
  })

  const hashOf = (key: string) => Transaction.from(raws[key]).hash

  it('txpool_status counts pending and queued in hex', async () => {
    expect(await t.call('txpool_status')).toEqual({ pending: '0x3', queued: '0x1' })
  })

  it('txpool_content: pending and queued by checksummed sender, then decimal nonce, as pending RPC transactions', async () => {
    const content = await t.call('txpool_content')
    const from = getAddress(sender.address)
    expect(Object.keys(content.pending).sort()).toEqual([from, getAddress(other.address)].sort())
    expect(Object.keys(content.pending[from])).toEqual(['0', '1'])
    expect(Object.keys(content.queued)).toEqual([from])
    expect(Object.keys(content.queued[from])).toEqual(['3'])
    const n0 = content.pending[from]['0']
    expect(n0).toMatchObject({
      hash: hashOf('n0'),
      from: sender.address.toLowerCase(),
      to: TO,
      nonce: '0x0',
      value: '0x5',
      gas: '0x5208',
      gasPrice: `0x${(30n * GWEI).toString(16)}`,
      maxFeePerGas: `0x${(30n * GWEI).toString(16)}`,
      type: '0x2',
      blockHash: null,
      blockNumber: null,
      transactionIndex: null,
    })
    // It is what eth_getTransactionByHash says of the same pooled transaction.
    expect(n0).toEqual(await t.call('eth_getTransactionByHash', [hashOf('n0')]))
    expect(content.pending[from]['1']).toMatchObject({ hash: hashOf('n1'), to: null, type: '0x0' })
    expect(content.queued[from]['3'].hash).toBe(hashOf('n3'))
  })

  it('txpool_contentFrom: one sender’s pending and queued; empty maps for an unknown sender', async () => {
    const mine = await t.call('txpool_contentFrom', [sender.address])
    expect(Object.keys(mine.pending)).toEqual(['0', '1'])
    expect(Object.keys(mine.queued)).toEqual(['3'])
    expect(mine.pending['1'].hash).toBe(hashOf('n1'))
    expect(await t.call('txpool_contentFrom', [TO])).toEqual({ pending: {}, queued: {} })
    expect((await t.rpc('txpool_contentFrom', ['0x12'])).error?.code).toBe(-32602)
  })

  it('txpool_inspect: geth’s one-line summaries', async () => {
    const inspect = await t.call('txpool_inspect')
    const from = getAddress(sender.address)
    const to = getAddress(TO)
    expect(inspect.pending[from]).toEqual({
      0: `${to}: 5 wei + 21000 gas × ${30n * GWEI} wei`,
      1: `contract creation: 0 wei + 900000 gas × ${12n * GWEI} wei`,
    })
    expect(inspect.queued[from]).toEqual({ 3: `${to}: 7 wei + 21000 gas × ${10n * GWEI} wei` })
    expect(inspect.pending[getAddress(other.address)]).toEqual({ 0: `${to}: 9 wei + 25000 gas × ${40n * GWEI} wei` })
  })

  it('over WebSocket, and empty once the transactions are sealed', async () => {
    const ws = await WsClient.connect(t.wsUrl)
    try {
      expect(await ws.call('txpool_status')).toEqual({ pending: '0x3', queued: '0x1' })
      await t.node.miner.mine()
      expect(await ws.call('txpool_status')).toEqual({ pending: '0x0', queued: '0x1' })
      const content = await ws.call('txpool_content')
      expect(content.pending).toEqual({})
      expect(Object.keys(content.queued[getAddress(sender.address)])).toEqual(['3'])
    } finally {
      await ws.close()
    }
  })
})
