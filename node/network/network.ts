import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Logger } from 'pino'
import { Firewall } from './firewall.ts'
import { Gossip } from './gossip.ts'
import type { Bootnode } from './bootnode.ts'
import { createP2P, type P2PNode, type P2POptions } from './p2p.ts'
import { BlockSync } from './sync.ts'

/** How often bootnodes we are not connected to are dialled again (a restarted validator comes back on its own). */
const REDIAL_INTERVAL_MS = 2_000

/**
 * The node's networking: libp2p, gossip over its topics, and the catch-up protocol. The consensus
 * engine, the pool and the chain subscribe handlers on `gossip` and serve blocks through `sync`.
 */
export class Network {
  private redialTimer: NodeJS.Timeout | undefined

  private constructor(
    readonly p2p: P2PNode,
    readonly gossip: Gossip,
    readonly sync: BlockSync,
    private readonly bootnodes: Bootnode[],
    private readonly firewall: Firewall,
    private readonly log: Logger,
  ) {}

  static async start(opts: P2POptions, log: Logger): Promise<Network> {
    // One bootnode list can serve a whole network: each node leaves itself out of it.
    const self = peerIdFromPrivateKey(opts.privateKey).toString()
    const bootnodes = opts.bootnodes.filter((b) => b.peerId !== self)
    const firewall = new Firewall()
    const p2p = await createP2P({ ...opts, bootnodes, connectionGater: firewall.gater() })
    const network = new Network(p2p, new Gossip(p2p, opts.chainId), new BlockSync(p2p, opts.chainId), bootnodes, firewall, log)
    network.redialTimer = setInterval(() => network.redialBootnodes(), REDIAL_INTERVAL_MS)
    network.redialTimer.unref()
    log.info({ peerId: p2p.peerId.toString(), listen: network.addresses() }, 'p2p listening')
    return network
  }

  get peerId(): string {
    return this.p2p.peerId.toString()
  }

  /** The multiaddrs peers can dial, each with our /p2p/<peer id>. */
  addresses(): string[] {
    return this.p2p.getMultiaddrs().map(String)
  }

  peers(): string[] {
    return this.p2p.getPeers().map(String)
  }

  /** Cuts the connection to `peer` (tests partition a network with it); bootnodes come back by redial. */
  async hangUp(peer: string): Promise<void> {
    const connection = this.p2p.getConnections().find((c) => c.remotePeer.toString() === peer)
    if (connection) await this.p2p.hangUp(connection.remotePeer)
  }

  /** Cuts `peers` off and keeps them off (no dial, no connection either way) until `unblock`. */
  async block(peers: readonly string[]): Promise<void> {
    this.firewall.block(peers)
    await Promise.all(peers.map((peer) => this.hangUp(peer)))
  }

  /** Lets `peers` (all, if absent) connect again; bootnodes among them are redialled. */
  unblock(peers?: readonly string[]): void {
    this.firewall.unblock(peers)
  }

  async close(): Promise<void> {
    clearInterval(this.redialTimer)
    await this.p2p.stop()
  }

  private redialBootnodes(): void {
    const connected = new Set(this.peers())
    for (const { address, peerId } of this.bootnodes) {
      if (connected.has(peerId) || this.firewall.isBlocked(peerId)) continue
      this.p2p.dial(address).catch((err: Error) => this.log.debug({ address: address.toString(), err: err.message }, 'bootnode dial failed'))
    }
  }
}
