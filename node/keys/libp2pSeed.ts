import { keccak_256 } from '@noble/hashes/sha3.js'
import { concatBytes, utf8ToBytes } from '@ethereumjs/util'

/** Domain tag of the derivation: changing it changes every node's peer ID. */
const LIBP2P_SEED_TAG = utf8ToBytes('olnode/libp2p-identity/v1')

/**
 * The 32-byte Ed25519 seed of the node's libp2p identity: keccak256(tag || validator private key).
 * The peer ID then stays the same across restarts without a second key file, the tag keeps the seed
 * from ever equalling a hash used elsewhere, and keccak being one-way, the peer key (which the
 * networking holds in memory) reveals nothing of the validator key. It is as secret as the key it
 * comes from.
 */
export function libp2pIdentitySeed(validatorPrivateKey: Uint8Array): Uint8Array {
  return keccak_256(concatBytes(LIBP2P_SEED_TAG, validatorPrivateKey))
}
