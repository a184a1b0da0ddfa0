import { equalsBytes } from '@ethereumjs/util'
import type { ConsensusParams } from '../../genesis/openledger.ts'
import { certificateOf, type CommitCertificate } from './certificate.ts'
import { HeightMessages, type Evidence } from './heightMessages.ts'
import type { ConsensusMessage, Proposal, Signed } from './messages.ts'
import type { ValidatorSet } from './validatorSet.ts'

export type RoundStep = 'propose' | 'prevote' | 'precommit'
/** newHeight: a block was just decided; round 0 of the next height starts when the block period is over. */
export type Step = RoundStep | 'newHeight'

/** A timer the driver runs: after `delayMs` it calls `timeout(timeout)`. */
export interface Timeout {
  step: Step
  height: bigint
  round: number
}

export interface Decision {
  height: bigint
  round: number
  blockHash: Uint8Array
  block: Uint8Array
  certificate: CommitCertificate
}

/**
 * What the state machine asks of its driver, in the order it asks:
 * - broadcast: sign (through the double-sign guard), send to the peers, and pass back to this machine's `receive`;
 * - schedule: start a timer;
 * - build: build a block on the decided parent, then call `blockBuilt` (the proposer's turn);
 * - validate: judge a proposed block (parent, proposer, timestamp, execution, and that its hash is blockHash), then call `validity`;
 * - decide: commit the block with its certificate before validating any block of the next height;
 * - evidence: keep and gossip the proof of an equivocation.
 */
export type Output =
  | { kind: 'broadcast'; message: ConsensusMessage }
  | { kind: 'schedule'; timeout: Timeout; delayMs: number }
  | { kind: 'build'; height: bigint; round: number }
  | { kind: 'validate'; height: bigint; blockHash: Uint8Array; block: Uint8Array }
  | { kind: 'decide'; decision: Decision }
  | { kind: 'evidence'; evidence: Evidence }

export type Timing = Pick<ConsensusParams, 'blockPeriodMs' | 'roundTimeoutMs' | 'roundTimeoutDeltaMs'>

export interface TendermintConfig {
  validators: ValidatorSet
  /** This node's validator address; undefined for a full node, which follows the rounds and decides but never sends. */
  self: string | undefined
  timing: Timing
}

/** Messages for heights up to this many above the current one are kept for later; others are dropped. */
export const HEIGHT_WINDOW = 2n

interface Value {
  blockHash: Uint8Array
  block: Uint8Array
}

/** The block a validator precommitted last at a height, and the round: its lock (what the guard keeps over a restart). */
export interface Lock {
  height: bigint
  round: number
  blockHash: Uint8Array
}

/** What the machine is doing, for tests, logs and metrics. */
export interface ConsensusState {
  height: bigint
  round: number
  step: Step
  lockedRound: number
  lockedHash: Uint8Array | undefined
  validRound: number
  validHash: Uint8Array | undefined
}

/**
 * The Tendermint algorithm (Buchman, Kwon, Milosevic 2018, Algorithm 1; rules of shared/CONSENSUS.md)
 * as a deterministic, synchronous state machine: each input returns the outputs it caused. It reads no
 * clock and starts no timer (timeouts come back as inputs), does no I/O and no signing; its own messages
 * count once the driver has signed them and passed them back to `receive`.
 */
export class Tendermint {
  private started = false
  private height = 0n
  private round = 0
  private step: Step = 'newHeight'
  /** Only the hash matters: the lock restricts votes, the valid value is what gets re-proposed. */
  private locked: { blockHash: Uint8Array; round: number } | undefined
  private valid: { value: Value; round: number } | undefined
  private readonly heights = new Map<bigint, HeightMessages>()
  /** Rounds of the current height in which a once-only rule has fired. */
  private fired = { prevoteTimeout: new Set<number>(), precommitTimeout: new Set<number>(), polka: new Set<number>(), proposal: new Set<number>() }
  private out: Output[] = []
  /** Every equivocation seen, in the order seen. */
  readonly evidence: Evidence[] = []

  constructor(private readonly config: TendermintConfig) {}

  get state(): ConsensusState {
    return {
      height: this.height,
      round: this.round,
      step: this.step,
      lockedRound: this.locked?.round ?? -1,
      lockedHash: this.locked?.blockHash,
      validRound: this.valid?.round ?? -1,
      validHash: this.valid?.value.blockHash,
    }
  }

  /**
   * Starts round 0 of `height`: at launch (the chain's head + 1), or after sync has committed blocks up
   * to height - 1. `lock`: the guard's, after a restart; it binds only at its own height.
   */
  start(height: bigint, lock?: Lock): Output[] {
    if (this.started && height <= this.height) throw new Error(`consensus is at height ${this.height}, cannot start ${height}`)
    this.started = true
    this.enterHeight(height)
    if (lock?.height === height) this.locked = { blockHash: lock.blockHash, round: lock.round }
    this.startRound(0)
    return this.flush()
  }

  /** A message whose signature was checked (decodeSigned) or that this node signed. */
  receive(signed: Signed): Output[] {
    const { height } = signed.message
    if (!this.started || height < this.height || height > this.height + HEIGHT_WINDOW) return []
    const outcome = this.messagesAt(height).add(signed, height === this.height ? this.round : 0)
    if (outcome.result === 'equivocation') {
      this.evidence.push(outcome.evidence)
      this.out.push({ kind: 'evidence', evidence: outcome.evidence })
    }
    // A duplicate proposal may bring the right bytes where the first copy's were wrong: offer those too.
    if (signed.message.kind === 'proposal' && height === this.height && outcome.result !== 'dropped') this.offer(signed.message)
    this.evaluate()
    return this.flush()
  }

  timeout(timeout: Timeout): Output[] {
    const { step, height, round } = timeout
    if (height === this.height && this.started) {
      if (step === 'newHeight' && this.step === 'newHeight') this.startRound(0)
      else if (round === this.round && step === 'propose' && this.step === 'propose') this.vote('prevote', undefined)
      else if (round === this.round && step === 'prevote' && this.step === 'prevote') this.vote('precommit', undefined)
      else if (round === this.round && step === 'precommit' && this.step !== 'newHeight') this.startRound(round + 1)
      this.evaluate()
    }
    return this.flush()
  }

  /** The block this node built for its proposal at (height, round); ignored if the round has moved on. */
  blockBuilt(height: bigint, round: number, value: Value): Output[] {
    if (height === this.height && round === this.round && this.step === 'propose' && !this.fired.proposal.has(round)) {
      this.messagesAt(height).offerBlock(value.blockHash, value.block, true)
      this.propose(value, -1)
      this.evaluate()
    }
    return this.flush()
  }

  /** The verdict on a block a `validate` output asked about. */
  validity(height: bigint, blockHash: Uint8Array, valid: boolean): Output[] {
    if (height === this.height) {
      this.messagesAt(height).setValidity(blockHash, valid)
      this.evaluate()
    }
    return this.flush()
  }

  private flush(): Output[] {
    const out = this.out
    this.out = []
    return out
  }

  private messagesAt(height: bigint): HeightMessages {
    let messages = this.heights.get(height)
    if (!messages) this.heights.set(height, (messages = new HeightMessages(height, this.config.validators)))
    return messages
  }

  private get messages(): HeightMessages {
    return this.messagesAt(this.height)
  }

  private isProposer(round: number): boolean {
    return this.config.self !== undefined && this.config.validators.proposer(this.height, round) === this.config.self
  }

  /** Moves to `height` with a fresh lock and valid value, forgets older heights and asks about blocks already proposed at this one. */
  private enterHeight(height: bigint): void {
    this.height = height
    this.round = 0
    this.step = 'newHeight'
    this.locked = undefined
    this.valid = undefined
    this.fired = { prevoteTimeout: new Set(), precommitTimeout: new Set(), polka: new Set(), proposal: new Set() }
    for (const h of [...this.heights.keys()]) if (h < height) this.heights.delete(h)
    for (const proposal of this.messages.proposals()) this.offer(proposal.message)
  }

  /** Keeps a proposal's block and asks for a verdict the first time it is seen. */
  private offer(proposal: Proposal): void {
    if (this.messages.offerBlock(proposal.blockHash, proposal.block, undefined)) {
      this.out.push({ kind: 'validate', height: proposal.height, blockHash: proposal.blockHash, block: proposal.block })
    }
  }

  /** Rule 1. The proposer re-proposes its valid value or asks for a new block; everyone starts timeoutPropose. */
  private startRound(round: number): void {
    this.round = round
    this.step = 'propose'
    if (this.isProposer(round)) {
      if (this.valid) this.propose(this.valid.value, this.valid.round)
      else this.out.push({ kind: 'build', height: this.height, round })
    }
    this.schedule('propose')
  }

  private propose(value: Value, validRound: number): void {
    this.fired.proposal.add(this.round)
    this.send({ kind: 'proposal', height: this.height, round: this.round, blockHash: value.blockHash, block: value.block, validRound })
  }

  private vote(kind: 'prevote' | 'precommit', blockHash: Uint8Array | undefined): void {
    this.step = kind
    this.send({ kind, height: this.height, round: this.round, blockHash })
  }

  private send(message: ConsensusMessage): void {
    if (this.config.self !== undefined) this.out.push({ kind: 'broadcast', message })
  }

  /** Rule 10's durations: base + round * delta; the block period between heights. */
  private schedule(step: Step): void {
    const { roundTimeoutMs, roundTimeoutDeltaMs, blockPeriodMs } = this.config.timing
    const delayMs = step === 'newHeight' ? blockPeriodMs : roundTimeoutMs + this.round * roundTimeoutDeltaMs
    this.out.push({ kind: 'schedule', timeout: { step, height: this.height, round: this.round }, delayMs })
  }

  /** Applies the rules until none fires (each that fires changes the state, so this ends). */
  private evaluate(): void {
    while (this.started && this.step !== 'newHeight' && this.applyOneRule());
  }

  private applyOneRule(): boolean {
    return (
      this.decideOnCommitQuorum() ||
      this.skipToHigherRound() ||
      this.prevoteOnProposal() ||
      this.scheduleTimeoutPrevote() ||
      this.lockOnPolka() ||
      this.precommitNilOnNilPolka() ||
      this.scheduleTimeoutPrecommit()
    )
  }

  /**
   * Rule 8: Q precommits for a block at any round, and the block known and valid. The block may come
   * from any proposal of this height (its hash names it), not only the one of that round.
   */
  private decideOnCommitQuorum(): boolean {
    for (const { round, blockHash } of this.messages.precommitQuorums) {
      const proposed = this.messages.block(blockHash)
      if (proposed?.valid !== true) continue
      const certificate = certificateOf(this.messages.votes('precommit', round).votesFor(blockHash))
      this.out.push({ kind: 'decide', decision: { height: this.height, round, blockHash, block: proposed.block, certificate } })
      this.enterHeight(this.height + 1n)
      this.schedule('newHeight')
      return true
    }
    return false
  }

  /** Rule 9: f + 1 validators in a higher round: go there. */
  private skipToHigherRound(): boolean {
    const round = this.messages.highestRoundWithSenders(this.round, this.config.validators.oneHonest)
    if (round === undefined) return false
    this.startRound(round)
    return true
  }

  /** Rules 2 and 3: prevote the round's proposal if it is valid and the lock allows it, else nil. */
  private prevoteOnProposal(): boolean {
    if (this.step !== 'propose') return false
    const proposal = this.messages.proposal(this.round)?.message
    if (!proposal) return false
    const { blockHash, validRound } = proposal
    const lockAllows = (lockedRoundAtMost: number) => !this.locked || this.locked.round <= lockedRoundAtMost || equalsBytes(this.locked.blockHash, blockHash)
    if (validRound >= 0 && this.messages.votes('prevote', validRound).count(blockHash) < this.config.validators.quorum) return false
    const valid = this.messages.block(blockHash)?.valid
    if (valid === undefined) return false
    // Rule 2 (validRound -1) allows only an unlocked node or one locked on this block; rule 3 also one locked at or before validRound.
    this.vote('prevote', valid && lockAllows(validRound) ? blockHash : undefined)
    return true
  }

  /** Rule 4. */
  private scheduleTimeoutPrevote(): boolean {
    if (this.step !== 'prevote' || this.fired.prevoteTimeout.has(this.round)) return false
    if (this.messages.votes('prevote', this.round).total < this.config.validators.quorum) return false
    this.fired.prevoteTimeout.add(this.round)
    this.schedule('prevote')
    return true
  }

  /** Rule 5: Q prevotes for a valid proposal of the round: lock and precommit it (if still in prevote), and remember it as valid. */
  private lockOnPolka(): boolean {
    if ((this.step !== 'prevote' && this.step !== 'precommit') || this.fired.polka.has(this.round)) return false
    const prevotes = this.messages.votes('prevote', this.round)
    const proposal = this.messages.proposalsAt(this.round).find((p) => prevotes.count(p.message.blockHash) >= this.config.validators.quorum)?.message
    const proposed = proposal && this.messages.block(proposal.blockHash)
    if (proposed?.valid !== true) return false
    this.fired.polka.add(this.round)
    const value = { blockHash: proposed.blockHash, block: proposed.block }
    if (this.step === 'prevote') {
      this.locked = { blockHash: value.blockHash, round: this.round }
      this.vote('precommit', value.blockHash)
    }
    this.valid = { value, round: this.round }
    return true
  }

  /** Rule 6. */
  private precommitNilOnNilPolka(): boolean {
    if (this.step !== 'prevote' || this.messages.votes('prevote', this.round).count(undefined) < this.config.validators.quorum) return false
    this.vote('precommit', undefined)
    return true
  }

  /** Rule 7. */
  private scheduleTimeoutPrecommit(): boolean {
    if (this.fired.precommitTimeout.has(this.round) || this.messages.votes('precommit', this.round).total < this.config.validators.quorum) return false
    this.fired.precommitTimeout.add(this.round)
    this.schedule('precommit')
    return true
  }
}
