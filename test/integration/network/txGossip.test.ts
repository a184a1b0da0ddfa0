/**
 * Transactions between in-process nodes over libp2p on 127.0.0.1: a transaction sent over RPC to one
 * node reaches the pool of a node two hops away; a transaction bad in itself is rejected (the sender's
 * score falls) and never passed on; a stale one is ignored without blame.
 */
import { randomBytes } from 'node:crypto'
import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes, bytesToBigInt } from '@ethereumjs/util'
import { afterEach, describe, expect, it } from 'vitest'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { CHAIN_ID, GWEI, devWallet, DEV_ADDRESSES } from '../rpc/helpers.ts'
import { until as untilHolds } from '../../support/until.ts'

const nodes: TestNode[] = []
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()))
})

async function peerNode(bootnodes: string[]): Promise<TestNode> {
  const t = await spawnNode({
    mining: { kind: 'manual' },
    network: { host: '127.0.0.1', port: 0, bootnodes, identitySeed: randomBytes(32), maxConnections: 20 },
  })
  nodes.push(t)
  return t
}

/** This file's waits: 10,000 ms unless a call says otherwise. */
const until = (condition: () => Promise<boolean> | boolean, what: string, ms = 10_000) => untilHolds(condition, what, ms, 50)

/** A -- B -- C: A and C know only B. */
async function line(): Promise<[TestNode, TestNode, TestNode]> {
  const b = await peerNode([])
  const boot = [b.node.network!.addresses()[0]]
  const a = await peerNode(boot)
  const c = await peerNode(boot)
  await until(() => b.node.network!.peers().length === 2, 'A and C to connect to B')
  // gossipsub needs a heartbeat or two to graft its mesh after the subscriptions are exchanged.
  await new Promise((resolve) => setTimeout(resolve, 1_500))
  return [a, b, c]
}

function transfer(from: number, nonce: number): Promise<string> {
  return devWallet(from).signTransaction({ type: 2, chainId: CHAIN_ID, nonce, to: DEV_ADDRESSES[9], value: 1n, gasLimit: 21_000n, maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: GWEI })
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

/**
 * The same transaction with its signature's s replaced by n - s: still a point on the curve, but
 * EIP-2 refuses the high s, so it is invalid in itself (a flipped byte would merely recover some
 * other, unfunded sender).
 */
function withHighS(raw: Uint8Array): Uint8Array {
  const fields = RLP.decode(raw.subarray(1)) as Uint8Array[]
  fields[fields.length - 1] = bigIntToUnpaddedBytes(SECP256K1_N - bytesToBigInt(fields[fields.length - 1]))
  return Uint8Array.from([raw[0], ...RLP.encode(fields)])
}

describe('transaction gossip', () => {
  it('carries a transaction sent to one node over RPC into the pool of a node two hops away', async () => {
    const [a, b, c] = await line()
    const hash = await a.call('eth_sendRawTransaction', [await transfer(0, 0)])
    await until(async () => (await c.call('eth_getTransactionByHash', [hash])) !== null, 'the transaction at C')
    expect((await b.call('eth_getTransactionByHash', [hash])).from).toBe(DEV_ADDRESSES[0])
    expect(await c.call('txpool_status')).toEqual({ pending: '0x1', queued: '0x0' })
    expect(c.node.network!.gossip.counts.transactions.accept).toBe(1)
  })

  it('rejects a transaction bad in itself before passing it on, and ignores a stale one', async () => {
    const [a, b, c] = await line()
    const raw = Buffer.from((await transfer(1, 0)).slice(2), 'hex')
    const badSignature = withHighS(raw)
    await a.node.network!.gossip.publish('transactions', badSignature)
    await a.node.network!.gossip.publish('transactions', Uint8Array.of(0x02, 0xc0))
    await until(() => b.node.network!.gossip.counts.transactions.reject === 2, 'B to reject both')
    await until(() => b.node.network!.gossip.score(a.node.network!.peerId) < 0, 'A’s score at B to fall')
    // Admit the good one at B, then send it again from A: B has it already, so it is ignored.
    await b.call('eth_sendRawTransaction', [`0x${raw.toString('hex')}`])
    await a.node.network!.gossip.publish('transactions', raw)
    await until(() => b.node.network!.gossip.counts.transactions.ignore === 1, 'B to ignore the known transaction')
    expect(c.node.network!.gossip.counts.transactions.reject).toBe(0)
  })
})
