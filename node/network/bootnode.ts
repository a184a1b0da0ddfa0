import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { BootnodeError } from './errors.ts'

/**
 * A peer to dial at start: its multiaddr, which names its peer ID. Kept apart from p2p.ts so that
 * the CLI checks --bootnodes without loading libp2p.
 */
export interface Bootnode {
  address: Multiaddr
  peerId: string
}

/** A bootnode from its multiaddr text, which must end in /p2p/<peer id>. */
export function parseBootnode(text: string): Bootnode {
  let address: Multiaddr
  try {
    address = multiaddr(text)
  } catch (err) {
    throw new BootnodeError(`bootnode ${text} is not a multiaddr: ${(err as Error).message}`)
  }
  const peerId = address.getComponents().find((c) => c.name === 'p2p')?.value
  if (peerId === undefined) throw new BootnodeError(`bootnode ${text} has no /p2p/<peer id> part`)
  return { address, peerId }
}
