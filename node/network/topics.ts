/**
 * The gossip topics of one chain. The chain ID is in every name, so nodes of different chains sharing
 * peers never exchange messages; the trailing version lets a format change run beside the old one.
 */
export type TopicKind = 'transactions' | 'blocks' | 'consensus'

export const TOPIC_KINDS: readonly TopicKind[] = ['transactions', 'blocks', 'consensus']

/**
 * The largest frame gossipsub sends or reads: its outbound stream length-prefixes every RPC with
 * it-length-prefixed's default limit (4 MiB), which it offers no way to raise. An RPC is the message
 * plus its envelope (topic, sender, sequence number, signature, key: well under a KiB).
 */
export const GOSSIP_FRAME_BYTES = 4 * 1024 * 1024

/** A proposal carries its block; votes are about 200 bytes. A block of 30M gas of calldata is under 2 MiB. */
const PROPOSAL_MAX_BYTES = 3 * 1024 * 1024

/**
 * The largest message each topic carries (bigger ones are rejected before they are decoded, and count
 * against the sender). Each leaves room for the envelope in a frame: a message past its limit must
 * still arrive whole, so that our size check rejects it and its sender pays, instead of the frame
 * failing on one side or the other without blame.
 */
export const TOPIC_MAX_BYTES: Record<TopicKind, number> = {
  // geth's txMaxSize: 128 KiB for a transaction, blobs aside.
  transactions: 128 * 1024,
  // A decided block is a proposed one plus its certificate (a few KiB of signatures).
  blocks: PROPOSAL_MAX_BYTES + 64 * 1024,
  consensus: PROPOSAL_MAX_BYTES,
}

export function topicName(chainId: bigint, kind: TopicKind): string {
  return `/openledger/${chainId}/${kind}/1`
}

export function syncProtocol(chainId: bigint): string {
  return `/openledger/${chainId}/sync/blocks/1`
}
