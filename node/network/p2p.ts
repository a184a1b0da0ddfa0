import './polyfill.ts'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { gossipsub, type GossipsubOpts } from '@libp2p/gossipsub'
import { createTopicScoreParams, type TopicScoreParams } from '@libp2p/gossipsub/score'
import { identify } from '@libp2p/identify'
import type { ConnectionGater, PrivateKey } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { Bootnode } from './bootnode.ts'
import { GOSSIP_FRAME_BYTES, TOPIC_KINDS, topicName } from './topics.ts'

export interface P2POptions {
  chainId: bigint
  /** The node's libp2p identity (stable across restarts: peers and scores follow it). */
  privateKey: PrivateKey
  host: string
  /** 0 picks a free port. */
  port: number
  /** Dialled at start (and again by Network whenever the connection is down). */
  bootnodes: Bootnode[]
  maxConnections: number
  /** Decides which peers may connect (Network's Firewall); absent: any. */
  connectionGater?: ConnectionGater
}

export type P2PNode = Libp2p<{ identify: ReturnType<ReturnType<typeof identify>>; pubsub: ReturnType<ReturnType<typeof gossipsub>> }>

/**
 * Score thresholds (as Lodestar's, scaled): a peer below gossipThreshold gets no gossip from us,
 * below publishThreshold none of our publications, below graylistThreshold we ignore it.
 */
const THRESHOLDS = { gossipThreshold: -400, publishThreshold: -800, graylistThreshold: -1600, acceptPXThreshold: 100, opportunisticGraftThreshold: 5 }

/**
 * Each rejected message costs its sender 100 points (squared count times -100, decaying by 10 % a
 * heartbeat), so a few invalid messages put it under the gossip threshold. Everything else is left at
 * gossipsub's defaults but the mesh-time rewards, which a chain of a few peers does not need.
 */
function topicScore(): TopicScoreParams {
  return createTopicScoreParams({
    topicWeight: 1,
    timeInMeshWeight: 0,
    firstMessageDeliveriesWeight: 0,
    meshMessageDeliveriesWeight: 0,
    meshFailurePenaltyWeight: 0,
    invalidMessageDeliveriesWeight: -100,
    invalidMessageDeliveriesDecay: 0.9,
  })
}

function gossipOptions(chainId: bigint): Partial<GossipsubOpts> {
  const topics = Object.fromEntries(TOPIC_KINDS.map((kind) => [topicName(chainId, kind), topicScore()]))
  return {
    allowPublishToZeroTopicPeers: true,
    // A validator's own message, e.g. its vote, must reach every peer, not only its mesh.
    floodPublish: true,
    // Our validators decide (accept / reject / ignore) before a message is forwarded.
    asyncValidation: false,
    maxInboundDataLength: GOSSIP_FRAME_BYTES,
    allowedTopics: Object.keys(topics),
    scoreParams: {
      topics,
      // A localnet runs every node on 127.0.0.1: sharing an IP must not count against a peer.
      IPColocationFactorWeight: 0,
      behaviourPenaltyWeight: -1,
    },
    scoreThresholds: THRESHOLDS,
  }
}

/** A libp2p node on TCP with Noise and Yamux, identify and gossipsub, listening and dialling its bootnodes. */
export async function createP2P(opts: P2POptions): Promise<P2PNode> {
  const node = await createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen: [`/ip4/${opts.host}/tcp/${opts.port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { maxConnections: opts.maxConnections },
    connectionGater: opts.connectionGater,
    services: { identify: identify(), pubsub: gossipsub(gossipOptions(opts.chainId)) },
  })
  for (const { address } of opts.bootnodes) void node.dial(address).catch(() => undefined)
  return node as P2PNode
}
