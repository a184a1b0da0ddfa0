import { TopicValidatorResult, type Message } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { plainBytes } from './bytes.ts'
import type { P2PNode } from './p2p.ts'
import { TOPIC_MAX_BYTES, topicName, type TopicKind } from './topics.ts'

/**
 * What the node decides about a gossiped message before it is forwarded: `accept` delivers and
 * forwards it; `ignore` drops it without blame (a duplicate, a height we have passed); `reject` drops
 * it and counts against the sender's gossipsub score (bad signature, not a validator, malformed).
 */
export type Verdict = 'accept' | 'ignore' | 'reject'

export interface TopicHandler {
  /** Checks the message; runs before it is forwarded. Must not throw: a bug in it would be taken as reject. */
  validate(data: Uint8Array, from: string): Verdict | Promise<Verdict>
  /** An accepted message, once. */
  deliver(data: Uint8Array, from: string): void
}

export type VerdictCounts = Record<TopicKind, Record<Verdict | 'oversized', number>>

/** Told of every verdict as it is reached (the metrics count them). */
export type VerdictObserver = (kind: TopicKind, verdict: Verdict | 'oversized') => void

const RESULT: Record<Verdict, TopicValidatorResult> = {
  accept: TopicValidatorResult.Accept,
  ignore: TopicValidatorResult.Ignore,
  reject: TopicValidatorResult.Reject,
}

/** The node's gossip: one handler per topic, a size check before it, and every verdict counted (for /metrics). */
export class Gossip {
  readonly counts: VerdictCounts = {
    transactions: emptyCounts(),
    blocks: emptyCounts(),
    consensus: emptyCounts(),
  }
  private readonly kinds = new Map<string, TopicKind>()
  private readonly handlers = new Map<TopicKind, TopicHandler>()
  private readonly observers: VerdictObserver[] = []

  constructor(
    private readonly p2p: P2PNode,
    private readonly chainId: bigint,
  ) {
    p2p.services.pubsub.addEventListener('message', (event) => this.onMessage(event.detail))
  }

  subscribe(kind: TopicKind, handler: TopicHandler): void {
    const topic = topicName(this.chainId, kind)
    this.kinds.set(topic, kind)
    this.handlers.set(kind, handler)
    this.p2p.services.pubsub.topicValidators.set(topic, (peer, message) => this.validate(kind, peer, message))
    this.p2p.services.pubsub.subscribe(topic)
  }

  /** Sends `data` to the topic's peers; resolves to how many peers it went to (0 is not an error: we may be alone). */
  async publish(kind: TopicKind, data: Uint8Array): Promise<number> {
    const { recipients } = await this.p2p.services.pubsub.publish(topicName(this.chainId, kind), data)
    return recipients.length
  }

  observe(observer: VerdictObserver): void {
    this.observers.push(observer)
  }

  /** The gossipsub score of a peer, as our node keeps it (negative after rejected messages). */
  score(peer: string): number {
    // The GossipSub class has getScore; the interface its factory is typed with leaves it out.
    return (this.p2p.services.pubsub as unknown as { getScore(peer: string): number }).getScore(peer)
  }

  private async validate(kind: TopicKind, peer: PeerId, message: Message): Promise<TopicValidatorResult> {
    if (message.data.length > TOPIC_MAX_BYTES[kind]) {
      this.count(kind, 'oversized')
      return TopicValidatorResult.Reject
    }
    const handler = this.handlers.get(kind)!
    let verdict: Verdict
    try {
      verdict = await handler.validate(plainBytes(message.data), peer.toString())
    } catch {
      verdict = 'reject'
    }
    this.count(kind, verdict)
    return RESULT[verdict]
  }

  private count(kind: TopicKind, verdict: Verdict | 'oversized'): void {
    this.counts[kind][verdict]++
    for (const observe of this.observers) observe(kind, verdict)
  }

  private onMessage(message: Message): void {
    const kind = this.kinds.get(message.topic)
    if (kind === undefined || message.type !== 'signed') return
    this.handlers.get(kind)!.deliver(plainBytes(message.data), message.from.toString())
  }
}

function emptyCounts(): Record<Verdict | 'oversized', number> {
  return { accept: 0, ignore: 0, reject: 0, oversized: 0 }
}
