import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { bytesToHex, equalsBytes, hexToBytes } from '@ethereumjs/util'
import { encodeCertifiedBlock } from '../chain/certifiedBlocks.ts'
import type { ChainStore } from '../chain/chainStore.ts'
import { decodeBlock, type BlockImporter } from '../execution/importBlock.ts'
import type { Logger } from '../logger.ts'
import type { NodeMetrics } from '../metrics/metrics.ts'
import type { Verdict } from '../network/gossip.ts'
import type { Network } from '../network/network.ts'
import type { TxPool } from '../txpool/txPool.ts'
import { BlockClock } from '../miner/clock.ts'
import { SerialQueue } from '../util/serialQueue.ts'
import { encodeCertificate } from './certificate.ts'
import { DoubleSignError } from './errors.ts'
import { decodeSigned, encodeSigned, voteOfSignBytes, type MessageKind, type Signed } from './messages.ts'
import type { SignGuard } from './signGuard.ts'
import type { GuardedSigner } from './signer.ts'
import type { Evidence } from './heightMessages.ts'
import { HEIGHT_WINDOW, type Decision, type Output, type Tendermint } from './tendermint.ts'
import type { ValidatorSet } from './validatorSet.ts'

/** A proposal's timestamp may run this far ahead of our clock (geth's allowed future block time is 15 s). */
const MAX_FUTURE_SECONDS = 15n

export interface EngineDeps {
  machine: Tendermint
  signer: GuardedSigner
  guard: SignGuard
  validators: ValidatorSet
  network: Network
  importer: BlockImporter
  chain: ChainStore
  txpool: TxPool
  common: Common
  log: Logger
  metrics?: NodeMetrics
  /** Wall clock in ms (tests may pass their own); used for proposal timestamps and finality times only. */
  now?: () => number
}

/**
 * Drives the Tendermint state machine for a validator: consensus messages to and from gossip (signed
 * through the double-sign guard), timers, block building and verdicts on top of the execution layer,
 * and decided blocks committed with their certificate and gossiped. Every input to the machine runs
 * through one queue, so it sees them one at a time, as the algorithm assumes.
 */
export class ConsensusEngine {
  private readonly queue = new SerialQueue()
  private readonly timers = new Set<NodeJS.Timeout>()
  /**
   * This validator's latest message of each kind at the current height, sent again every round timeout
   * for peers that missed them or joined late. Only the latest: resending every round's messages made
   * the work grow with the rounds, and a node short of CPU fell further behind with each one.
   */
  private readonly latestSent = new Map<MessageKind, Signed>()
  private resendTimer: NodeJS.Timeout | undefined
  private heightStartedAt = 0
  private stopped = false
  /** Proposal timestamps: the wall clock in seconds, never at or before the parent's. */
  private readonly clock = new BlockClock(() => BigInt(Math.floor(this.now / 1_000)))

  constructor(private readonly deps: EngineDeps) {}

  private get now(): number {
    return (this.deps.now ?? Date.now)()
  }

  start(resendEveryMs: number): void {
    const { network, chain } = this.deps
    network.gossip.subscribe('consensus', {
      validate: (data) => this.takeMessage(data),
    })
    // Blocks can also arrive decided (catch-up, gossip while this node was behind): follow them.
    chain.events.on('head', ({ block }) => void this.followHead(block))
    this.resendTimer = setInterval(() => void this.resend(), resendEveryMs)
    this.resendTimer.unref()
    void this.followHead(chain.headBlock)
  }

  stop(): void {
    this.stopped = true
    clearInterval(this.resendTimer)
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }

  state(): { height: bigint; round: number } {
    const { height, round } = this.deps.machine.state
    return { height, round }
  }

  /** The equivocations this node has seen, in order (each is also logged when seen). */
  get evidence(): readonly Evidence[] {
    return this.deps.machine.evidence
  }

  /** Resolves once every input queued so far has been handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.idle()
  }

  private get chainId(): number {
    return Number(this.deps.common.chainId())
  }

  /**
   * Gossip's check before a consensus message is forwarded (well formed, signed by a validator, near our
   * height), and an accepted one goes to the machine: the signature is recovered once, here, not again
   * on delivery (recovery is the costly part of a message).
   */
  private takeMessage(data: Uint8Array): Verdict {
    let signed: Signed
    try {
      signed = decodeSigned(data, this.chainId)
    } catch {
      return 'reject'
    }
    if (!this.deps.validators.has(signed.signer)) return 'reject'
    const height = this.deps.machine.state.height
    const { height: at } = signed.message
    if (at + 1n < height || at > height + HEIGHT_WINDOW) return 'ignore'
    void this.input(() => this.deps.machine.receive(signed))
    return 'accept'
  }

  private followHead(head: Block): Promise<void> {
    return this.input(() => {
      const next = head.header.number + 1n
      if (next <= this.deps.machine.state.height) return []
      this.heightStarted()
      const outputs = this.deps.machine.start(next, this.deps.guard.lock)
      const kept = this.keptVote(next)
      if (!kept) return outputs
      this.latestSent.set(kept.message.kind, kept)
      return [...outputs, ...this.deps.machine.receive(kept)]
    })
  }

  /**
   * The vote the guard says this validator signed last, if it is at `height`: after a restart it still
   * stands, and must count here too. Without it a validator that prevoted, stopped and came back could
   * not prevote again in that round (the guard refuses other bytes) nor count its first prevote, and
   * with no quorum to spare the round stalled for good.
   */
  private keptVote(height: bigint): Signed | undefined {
    const kept = this.deps.guard.lastSigned
    const vote = kept && voteOfSignBytes(kept.signBytes)
    if (!kept || vote?.height !== height) return undefined
    return { message: vote, signature: kept.signature, signer: this.deps.signer.address }
  }

  /** Runs one input of the machine and acts on every output it causes, in order, before the next input. */
  private input(step: () => Output[]): Promise<void> {
    return this.queue.run(async () => {
      if (this.stopped) return
      try {
        await this.act(step())
      } catch (err) {
        this.deps.log.error({ err: (err as Error).message }, 'consensus input failed')
      }
    })
  }

  private async act(outputs: Output[]): Promise<void> {
    for (const output of outputs) {
      if (this.stopped) return
      switch (output.kind) {
        case 'broadcast':
          await this.broadcast(output.message)
          break
        case 'schedule':
          this.schedule(output.delayMs, () => this.deps.machine.timeout(output.timeout))
          break
        case 'build':
          await this.act(this.deps.machine.blockBuilt(output.height, output.round, await this.buildProposal()))
          break
        case 'validate':
          await this.act(this.deps.machine.validity(output.height, output.blockHash, await this.isValid(output.block, output.blockHash)))
          break
        case 'decide':
          await this.commit(output.decision)
          break
        case 'evidence':
          this.logEvidence(output.evidence)
          break
      }
    }
  }

  private async broadcast(message: Parameters<GuardedSigner['sign']>[0]): Promise<void> {
    let signed: Signed
    try {
      signed = await this.deps.signer.sign(message)
    } catch (err) {
      if (!(err instanceof DoubleSignError)) throw err
      this.deps.log.warn({ err: err.message }, 'double-sign guard refused a message')
      return
    }
    if (message.height !== this.deps.machine.state.height) this.latestSent.clear()
    this.latestSent.set(message.kind, signed)
    this.publish(signed)
    await this.act(this.deps.machine.receive(signed))
  }

  private publish(signed: Signed): void {
    this.deps.network.gossip.publish('consensus', encodeSigned(signed)).catch((err: Error) => this.deps.log.debug({ err: err.message }, 'publishing a consensus message failed'))
  }

  private schedule(delayMs: number, fire: () => Output[]): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      void this.input(fire)
    }, delayMs)
    this.timers.add(timer)
  }

  private async buildProposal(): Promise<{ blockHash: Uint8Array; block: Uint8Array }> {
    const { chain, txpool, importer, signer } = this.deps
    const parent = chain.headBlock.header.timestamp
    const timestamp = this.clock.timestampAfter(parent)
    const block = await importer.build(txpool.executable(), { timestamp, coinbase: hexToBytes(signer.address as `0x${string}`) })
    return { blockHash: block.hash(), block: block.serialize() }
  }

  /** A proposal is valid when it decodes to the named block, comes from a validator, is not from the future, and executes as its header says. */
  private async isValid(bytes: Uint8Array, blockHash: Uint8Array): Promise<boolean> {
    try {
      const block = decodeBlock(bytes, this.deps.common, 'proposal')
      if (!equalsBytes(block.hash(), blockHash)) return false
      if (!this.deps.validators.has(block.header.coinbase.toString())) return false
      if (!this.timestampAllowed(block.header.timestamp)) return false
      await this.deps.importer.verify(block)
      return true
    } catch (err) {
      this.deps.log.info({ block: bytesToHex(blockHash), err: (err as Error).message }, 'proposal refused')
      return false
    }
  }

  /**
   * Not too far ahead of our clock; but the parent's timestamp + 1, the smallest a child may have, is
   * always allowed: blocks faster than one a second run ahead of the clock one second per block.
   */
  private timestampAllowed(timestamp: bigint): boolean {
    const earliest = this.deps.chain.headBlock.header.timestamp + 1n
    return timestamp <= earliest || timestamp <= this.clock.now() + MAX_FUTURE_SECONDS
  }

  private async commit(decision: Decision): Promise<void> {
    const { importer, network, metrics, log, common } = this.deps
    const block = decodeBlock(decision.block, common, 'decided block')
    const certificate = encodeCertificate(decision.certificate)
    await importer.importBlock(block, certificate)
    this.latestSent.clear()
    metrics?.finalitySeconds.observe((this.now - this.heightStartedAt) / 1_000)
    this.heightStarted()
    log.info({ number: Number(decision.height), round: decision.round, hash: bytesToHex(decision.blockHash), txs: block.transactions.length }, 'block decided')
    network.gossip.publish('blocks', encodeCertifiedBlock({ block, certificate })).catch((err: Error) => log.debug({ err: err.message }, 'publishing a decided block failed'))
  }

  private logEvidence({ first, second }: Evidence): void {
    const { height, round, kind } = first.message
    const ids = [first, second].map((s) => ('blockHash' in s.message && s.message.blockHash ? bytesToHex(s.message.blockHash) : 'nil'))
    this.deps.log.warn({ validator: first.signer, height: Number(height), round, kind, ids }, 'equivocation: a validator signed two different messages')
  }

  private heightStarted(): void {
    this.heightStartedAt = this.now
  }

  private async resend(): Promise<void> {
    for (const signed of this.latestSent.values()) this.publish(signed)
  }
}
