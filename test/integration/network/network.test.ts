/**
 * The node's libp2p networking over real TCP on 127.0.0.1: gossip delivered across a hop, invalid and
 * oversized messages rejected before they are forwarded with the sender's score falling, the
 * block-range protocol, bad requests answered without harm, bootnode redial.
 */
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import { silentLogger } from '../../../node/logger.ts'
import { BootnodeError } from '../../../node/network/errors.ts'
import { identityFromSeed } from '../../../node/network/identity.ts'
import { Network } from '../../../node/network/network.ts'
import { parseBootnode } from '../../../node/network/bootnode.ts'
import { MAX_BLOCKS_PER_REQUEST } from '../../../node/network/sync.ts'
import { TOPIC_MAX_BYTES, syncProtocol } from '../../../node/network/topics.ts'
import type { Verdict } from '../../../node/network/gossip.ts'
import { until as untilHolds } from '../../support/until.ts'

const CHAIN_ID = 1337n
const started: Network[] = []

async function startNetwork(bootnodes: string[] = [], seed = randomBytes(32)): Promise<Network> {
  const network = await Network.start(
    { chainId: CHAIN_ID, privateKey: await identityFromSeed(seed), host: '127.0.0.1', port: 0, bootnodes: bootnodes.map(parseBootnode), maxConnections: 50 },
    silentLogger(),
  )
  started.push(network)
  return network
}

/** Subscribes `network` to the transactions topic: messages starting with 0xff are rejected, 0xee ignored. */
function listen(network: Network): Uint8Array[] {
  const delivered: Uint8Array[] = []
  network.gossip.subscribe('transactions', {
    validate: (data): Verdict => (data[0] === 0xff ? 'reject' : data[0] === 0xee ? 'ignore' : 'accept'),
    deliver: (data) => delivered.push(data),
  })
  return delivered
}

/** This file's waits: 10,000 ms unless a call says otherwise. */
const until = (condition: () => Promise<boolean> | boolean, what: string, ms = 10_000) => untilHolds(condition, what, ms, 50)

/** A line X - B - C: X and C know only B, so what reaches C from X went through B's validation. */
async function line(): Promise<{ x: Network; b: Network; c: Network; atB: Uint8Array[]; atC: Uint8Array[] }> {
  const b = await startNetwork()
  const x = await startNetwork([b.addresses()[0]])
  const c = await startNetwork([b.addresses()[0]])
  const atB = listen(b)
  const atC = listen(c)
  listen(x)
  await until(() => b.peers().length === 2, 'both peers to connect to B')
  return { x, b, c, atB, atC }
}

/** Publishes until C has one more message than before (the gossip mesh forms within a heartbeat or two). */
async function publishUntilDelivered(from: Network, data: Uint8Array, at: Uint8Array[]): Promise<void> {
  const before = at.length
  const deadline = Date.now() + 10_000
  while (at.length === before) {
    if (Date.now() > deadline) throw new Error('gossip never arrived')
    await from.gossip.publish('transactions', Uint8Array.from([...data, ...randomBytes(4)]))
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((n) => n.close()))
})

describe('gossip over libp2p', () => {
  it('delivers an accepted message across a hop', async () => {
    const { x, atB, atC } = await line()
    await publishUntilDelivered(x, Uint8Array.from([1, 2, 3]), atC)
    expect(atC.at(-1)!.subarray(0, 3)).toEqual(Uint8Array.from([1, 2, 3]))
    expect(atB.length).toBeGreaterThan(0)
  })

  it('rejects an invalid message before forwarding it, and the sender’s score falls', async () => {
    const { x, b, c, atB, atC } = await line()
    await publishUntilDelivered(x, Uint8Array.from([1]), atC)
    const scoreBefore = b.gossip.score(x.peerId)
    const deliveredAtC = atC.length
    const observed: string[] = []
    b.gossip.observe((kind, verdict) => observed.push(`${kind}:${verdict}`))
    for (let i = 0; i < 3; i++) await x.gossip.publish('transactions', Uint8Array.from([0xff, i]))
    await until(() => b.gossip.counts.transactions.reject >= 3, 'B to reject three messages')
    expect(observed.filter((o) => o === 'transactions:reject')).toHaveLength(3)
    // Still accepted traffic flows afterwards, so C had every chance to see the rejected ones.
    await publishUntilDelivered(c, Uint8Array.from([2]), atB)
    expect(atC.slice(deliveredAtC).some((m) => m[0] === 0xff)).toBe(false)
    expect(atB.some((m) => m[0] === 0xff)).toBe(false)
    await until(() => b.gossip.score(x.peerId) < scoreBefore && b.gossip.score(x.peerId) < 0, 'X’s score at B to fall below zero')
  })

  it('drops an ignored message without penalising its sender', async () => {
    const { x, b, atC } = await line()
    await publishUntilDelivered(x, Uint8Array.from([1]), atC)
    await x.gossip.publish('transactions', Uint8Array.from([0xee]))
    await until(() => b.gossip.counts.transactions.ignore >= 1, 'B to ignore the message')
    expect(atC.some((m) => m[0] === 0xee)).toBe(false)
    expect(b.gossip.score(x.peerId)).toBeGreaterThanOrEqual(0)
  })

  it('rejects an oversized message without asking the validator', async () => {
    const { x, b, atC } = await line()
    await publishUntilDelivered(x, Uint8Array.from([1]), atC)
    const validatedBefore = b.gossip.counts.transactions.accept
    await x.gossip.publish('transactions', new Uint8Array(TOPIC_MAX_BYTES.transactions + 1).fill(7))
    await until(() => b.gossip.counts.transactions.oversized === 1, 'B to refuse the oversized message')
    expect(b.gossip.counts.transactions.accept).toBe(validatedBefore)
    expect(atC.some((m) => m.length > TOPIC_MAX_BYTES.transactions)).toBe(false)
    await until(() => b.gossip.score(x.peerId) < 0, 'X’s score at B to fall below zero')
  })
})

describe('block-range sync over libp2p', () => {
  const blocks = Array.from({ length: 200 }, (_, i) => Uint8Array.from([i, ...randomBytes(i % 7)]))

  async function servingPair(): Promise<{ server: Network; client: Network }> {
    const server = await startNetwork()
    await server.sync.serve({ encodedBlocks: async (from, count) => blocks.slice(Number(from), Number(from) + count) })
    const client = await startNetwork([server.addresses()[0]])
    await until(() => client.peers().includes(server.peerId), 'the client to connect')
    return { server, client }
  }

  it('serves a range, capped per request, and nothing past the head', async () => {
    const { server, client } = await servingPair()
    expect(await client.sync.request(server.peerId, 10n, 5)).toEqual(blocks.slice(10, 15))
    expect(await client.sync.request(server.peerId, 0n, 1_000)).toEqual(blocks.slice(0, MAX_BLOCKS_PER_REQUEST))
    expect(await client.sync.request(server.peerId, 190n, 64)).toEqual(blocks.slice(190))
    expect(await client.sync.request(server.peerId, 500n, 10)).toEqual([])
  })

  it('answers a malformed request by closing that stream, and keeps serving', async () => {
    const { server, client } = await servingPair()
    const stream = await client.p2p.dialProtocol(peerIdFromString(server.peerId), syncProtocol(CHAIN_ID))
    const lp = lpStream(stream)
    await lp.write(Uint8Array.from([0xde, 0xad, 0xbe, 0xef]))
    await expect(lp.read({ signal: AbortSignal.timeout(5_000) })).rejects.toThrow()
    expect(await client.sync.request(server.peerId, 3n, 2)).toEqual(blocks.slice(3, 5))
  })
})

describe('peers', () => {
  it('keeps the same peer ID for the same seed', async () => {
    const seed = randomBytes(32)
    const first = await startNetwork([], seed)
    const id = first.peerId
    await first.close()
    started.splice(started.indexOf(first), 1)
    expect((await startNetwork([], seed)).peerId).toBe(id)
  })

  it('redials a bootnode that comes back after a restart', async () => {
    const seed = randomBytes(32)
    const boot = await startNetwork([], seed)
    const address = boot.addresses()[0]
    const follower = await startNetwork([address])
    await until(() => follower.peers().includes(boot.peerId), 'the first connection')
    await boot.close()
    started.splice(started.indexOf(boot), 1)
    await until(() => !follower.peers().includes(boot.peerId), 'the disconnection')
    const port = Number(address.split('/')[4])
    const back = await Network.start(
      { chainId: CHAIN_ID, privateKey: await identityFromSeed(seed), host: '127.0.0.1', port, bootnodes: [], maxConnections: 50 },
      silentLogger(),
    )
    started.push(back)
    await until(() => follower.peers().includes(back.peerId), 'the redial', 15_000)
  })

  it('refuses a bootnode that is not a multiaddr or names no peer', () => {
    expect(() => parseBootnode('not-an-address')).toThrow(BootnodeError)
    expect(() => parseBootnode('/ip4/127.0.0.1/tcp/30303')).toThrow(/no \/p2p\/<peer id>/)
  })
})
