import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

/** The node's libp2p identity (Ed25519) from a 32-byte seed, so the same seed gives the same peer ID on every start. */
export function identityFromSeed(seed: Uint8Array): Promise<PrivateKey> {
  return generateKeyPairFromSeed('Ed25519', seed)
}
