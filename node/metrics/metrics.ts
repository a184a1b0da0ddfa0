import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { VerdictObserver } from '../network/gossip.ts'

/** What the node's metrics read when Prometheus scrapes (each part present only where the node has it). */
export interface MetricSources {
  headNumber(): bigint
  peers?(): number
  consensus?(): { height: bigint; round: number }
}

/**
 * The node's Prometheus metrics, in a registry of its own (several nodes can share a process in
 * tests). Gauges are read at scrape time; counters and the finality histogram are fed as things happen.
 */
export class NodeMetrics {
  readonly registry = new Registry()
  readonly gossipMessages: Counter<'topic' | 'verdict'>
  readonly finalitySeconds: Histogram

  constructor(sources: MetricSources) {
    const registers = [this.registry]
    new Gauge({ name: 'olnode_chain_head', help: 'Number of the head block', registers, collect() { this.set(Number(sources.headNumber())) } })
    if (sources.peers) {
      const peers = sources.peers
      new Gauge({ name: 'olnode_p2p_peers', help: 'Connected libp2p peers', registers, collect() { this.set(peers()) } })
    }
    if (sources.consensus) {
      const consensus = sources.consensus
      new Gauge({ name: 'olnode_consensus_height', help: 'Height the consensus engine is deciding', registers, collect() { this.set(Number(consensus().height)) } })
      new Gauge({ name: 'olnode_consensus_round', help: 'Round of the current height', registers, collect() { this.set(consensus().round) } })
    }
    this.gossipMessages = new Counter({ name: 'olnode_gossip_messages_total', help: 'Gossip messages received, by topic and verdict', labelNames: ['topic', 'verdict'], registers })
    this.finalitySeconds = new Histogram({
      name: 'olnode_consensus_finality_seconds',
      help: 'Time from the start of a height to its block being decided',
      buckets: [0.25, 0.5, 1, 1.5, 2, 3, 5, 8, 13, 21],
      registers,
    })
  }

  /** Pass to Gossip.observe. */
  readonly countGossip: VerdictObserver = (kind, verdict) => this.gossipMessages.inc({ topic: kind, verdict })
}
