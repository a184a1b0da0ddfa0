import type { ConnectionGater, PeerId } from '@libp2p/interface'

/**
 * Peers this node refuses to be connected to, changed at runtime (Network.block / unblock): a libp2p
 * connection gater that denies dialling them and connections from or to them once their peer ID is
 * known (after the Noise handshake). Tests partition a network with it; an operator could ban with it.
 */
export class Firewall {
  private readonly blocked = new Set<string>()

  block(peers: readonly string[]): void {
    for (const peer of peers) this.blocked.add(peer)
  }

  unblock(peers?: readonly string[]): void {
    if (peers === undefined) this.blocked.clear()
    else for (const peer of peers) this.blocked.delete(peer)
  }

  isBlocked(peer: string): boolean {
    return this.blocked.has(peer)
  }

  gater(): ConnectionGater {
    const deny = (peerId: PeerId) => this.isBlocked(peerId.toString())
    return { denyDialPeer: deny, denyOutboundEncryptedConnection: deny, denyInboundEncryptedConnection: deny }
  }
}
