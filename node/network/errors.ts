/** A block-range request a peer sent could not be read, or asked for more than we serve. */
export class SyncRequestError extends Error {
  readonly code = 'SYNC_BAD_REQUEST'
}

/** A peer's answer to a block-range request broke the protocol (too many items, too large, undecodable). */
export class SyncResponseError extends Error {
  readonly code = 'SYNC_BAD_RESPONSE'
}

/** A bootnode address that is not a multiaddr with a peer ID. */
export class BootnodeError extends Error {
  readonly code = 'BAD_BOOTNODE'
}

/** The stored libp2p identity of a full node cannot be read or is corrupt. */
export class NodeKeyError extends Error {
  readonly code = 'BAD_NODE_KEY'
}
