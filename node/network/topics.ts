/**
 * The gossip topics of one chain. The chain ID is in every name, so nodes of different chains sharing
 * peers never exchange messages; the trailing version lets a format change run beside the old one.
 */
export type TopicKind = 'transactions' | 'blocks' | 'consensus'

export const TOPIC_KINDS: readonly TopicKind[] = ['transactions', 'blocks', 'consensus']

/** The largest message each topic carries (bigger ones are rejected before they are decoded). */
export const TOPIC_MAX_BYTES: Record<TopicKind, number> = {
  // geth's txMaxSize: 128 KiB for a transaction, blobs aside.
  transactions: 128 * 1024,
  // A block of 30M gas of calldata is under 2 MiB; its certificate adds a few KiB.
  blocks: 4 * 1024 * 1024,
  // A proposal carries its block; votes are about 200 bytes.
  consensus: 4 * 1024 * 1024,
}

export function topicName(chainId: bigint, kind: TopicKind): string {
  return `/openledger/${chainId}/${kind}/1`
}

export function syncProtocol(chainId: bigint): string {
  return `/openledger/${chainId}/sync/blocks/1`
}
