import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import type { Proposal, Signed, Vote, VoteKind } from './messages.ts'
import type { ValidatorSet } from './validatorSet.ts'

/**
 * Rounds above the current one in which each validator may hold messages (Tendermint's "peer
 * catch-up rounds"): enough to skip ahead to where the others are, while a validator sending
 * messages for ever higher rounds cannot grow our memory.
 */
export const FUTURE_ROUNDS_PER_VALIDATOR = 2

/** Two different signed messages of one validator at the same height, round and kind: proof of equivocation. */
export interface Evidence {
  first: Signed
  second: Signed
}

/** `equivocation`: kept and counted like `added`, and with the evidence it makes. */
export type AddOutcome = { result: 'added' } | { result: 'duplicate' } | { result: 'dropped'; reason: string } | { result: 'equivocation'; evidence: Evidence }

/** A block proposed at this height and what the node's execution made of it (undefined: not known yet). */
export interface ProposedBlock {
  blockHash: Uint8Array
  block: Uint8Array
  valid: boolean | undefined
}

const NIL = 'nil'
const ADDED: AddOutcome = { result: 'added' }
const DUPLICATE: AddOutcome = { result: 'duplicate' }

/** The key a vote's id is counted under: the block hash's hex, or NIL. */
export function idKey(blockHash: Uint8Array | undefined): string {
  return blockHash ? bytesToHex(blockHash) : NIL
}

/**
 * Messages one validator may have counted per round and kind: its first, and one conflicting (the
 * evidence). Counting the conflicting one too is what the paper does (it counts senders per value);
 * safety does not suffer, since two quorums still share an honest validator, and honest nodes that
 * saw different halves of an equivocation still reach the same counts once gossip brings both.
 * A third version is dropped, so an equivocator cannot grow our memory.
 */
export const VERSIONS_PER_VALIDATOR = 2

/** One kind of vote at one round: each validator counted once per id, and once in the total. */
export class VoteTally {
  private readonly votes = new Map<string, Signed<Vote>[]>()
  private readonly counts = new Map<string, number>()

  /** Validators with a vote of this kind and round (rules 4 and 7). */
  get total(): number {
    return this.votes.size
  }

  /** Validators that voted for `blockHash` (undefined: for nil). */
  count(blockHash: Uint8Array | undefined): number {
    return this.counts.get(idKey(blockHash)) ?? 0
  }

  /** The votes for `blockHash`, in signer order. */
  votesFor(blockHash: Uint8Array): Signed<Vote>[] {
    const key = idKey(blockHash)
    return [...this.votes.values()].flatMap((versions) => versions.filter((v) => idKey(v.message.blockHash) === key)).sort((a, b) => (a.signer < b.signer ? -1 : 1))
  }

  add(vote: Signed<Vote>): AddOutcome {
    const versions = this.votes.get(vote.signer) ?? []
    if (versions.some((v) => sameId(v.message.blockHash, vote.message.blockHash))) return DUPLICATE
    if (versions.length >= VERSIONS_PER_VALIDATOR) return { result: 'dropped', reason: `${vote.signer} already has ${VERSIONS_PER_VALIDATOR} conflicting votes here` }
    this.votes.set(vote.signer, [...versions, vote])
    const key = idKey(vote.message.blockHash)
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    return versions.length === 0 ? ADDED : { result: 'equivocation', evidence: { first: versions[0], second: vote } }
  }
}

class RoundMessages {
  /** The proposer's proposal, and a conflicting one if it equivocated (the evidence). */
  readonly proposals: Signed<Proposal>[] = []
  readonly prevote = new VoteTally()
  readonly precommit = new VoteTally()
  /** Validators with any message in this round (rule 9 counts them). */
  readonly senders = new Set<string>()
}

/**
 * Everything received for one height: the proposal and the votes of each round (deduplicated, the
 * first of two conflicting ones kept and the pair returned as evidence), the blocks proposed and
 * their verdicts, and the precommit quorums in the order they formed.
 */
export class HeightMessages {
  private readonly rounds = new Map<number, RoundMessages>()
  private readonly roundsOf = new Map<string, number[]>()
  private readonly blocks = new Map<string, ProposedBlock>()
  /** Each (round, block) that reached a quorum of precommits, in the order it did. */
  readonly precommitQuorums: { round: number; blockHash: Uint8Array }[] = []

  constructor(
    readonly height: bigint,
    private readonly validators: ValidatorSet,
  ) {}

  /** Files a signed message of this height; `currentRound` bounds how far ahead a validator's rounds may go. */
  add(signed: Signed, currentRound: number): AddOutcome {
    const { message, signer } = signed
    if (!this.validators.has(signer)) return { result: 'dropped', reason: `${signer} is not a validator` }
    if (message.kind === 'proposal' && signer !== this.validators.proposer(this.height, message.round)) return { result: 'dropped', reason: `${signer} is not the proposer of round ${message.round}` }
    if (!this.hasRoomFor(signer, message.round, currentRound)) return { result: 'dropped', reason: `${signer} already has messages in ${FUTURE_ROUNDS_PER_VALIDATOR} rounds ahead` }
    const round = this.at(message.round)
    const outcome = message.kind === 'proposal' ? addProposal(round, signed as Signed<Proposal>) : round[message.kind].add(signed as Signed<Vote>)
    if (outcome.result === 'added' || outcome.result === 'equivocation') this.note(signed, round)
    return outcome
  }

  /** The round's proposal (the first, if its proposer equivocated). */
  proposal(round: number): Signed<Proposal> | undefined {
    return this.rounds.get(round)?.proposals[0]
  }

  /** The round's proposals: one, or two from an equivocating proposer. */
  proposalsAt(round: number): readonly Signed<Proposal>[] {
    return this.rounds.get(round)?.proposals ?? []
  }

  votes(kind: VoteKind, round: number): VoteTally {
    return this.at(round)[kind]
  }

  /** The highest round above `above` in which at least `senders` validators sent something. */
  highestRoundWithSenders(above: number, senders: number): number | undefined {
    let highest: number | undefined
    for (const [round, messages] of this.rounds) {
      if (round > above && messages.senders.size >= senders && (highest === undefined || round > highest)) highest = round
    }
    return highest
  }

  block(blockHash: Uint8Array): ProposedBlock | undefined {
    return this.blocks.get(idKey(blockHash))
  }

  /**
   * Keeps the block of a proposal; true if it needs judging. A hash already known keeps its block,
   * unless that was judged invalid and these bytes differ (a faulty proposer may have sent another
   * body under an honest header's hash first).
   */
  offerBlock(blockHash: Uint8Array, block: Uint8Array, valid: boolean | undefined): boolean {
    const known = this.blocks.get(idKey(blockHash))
    if (known && (known.valid !== false || equalsBytes(known.block, block))) return false
    this.blocks.set(idKey(blockHash), { blockHash, block, valid })
    return valid === undefined
  }

  setValidity(blockHash: Uint8Array, valid: boolean): void {
    const known = this.blocks.get(idKey(blockHash))
    if (known && known.valid === undefined) known.valid = valid
  }

  /** The proposals received so far, by round. */
  proposals(): Signed<Proposal>[] {
    return [...this.rounds.keys()].sort((a, b) => a - b).flatMap((r) => this.rounds.get(r)!.proposals)
  }

  private at(round: number): RoundMessages {
    let messages = this.rounds.get(round)
    if (!messages) this.rounds.set(round, (messages = new RoundMessages()))
    return messages
  }

  private hasRoomFor(signer: string, round: number, currentRound: number): boolean {
    const rounds = this.roundsOf.get(signer) ?? []
    return round <= currentRound || rounds.includes(round) || rounds.filter((r) => r > currentRound).length < FUTURE_ROUNDS_PER_VALIDATOR
  }

  private note(signed: Signed, round: RoundMessages): void {
    const { message, signer } = signed
    round.senders.add(signer)
    const rounds = this.roundsOf.get(signer) ?? []
    if (!rounds.includes(message.round)) this.roundsOf.set(signer, [...rounds, message.round])
    if (message.kind === 'precommit' && message.blockHash && round.precommit.count(message.blockHash) === this.validators.quorum) {
      this.precommitQuorums.push({ round: message.round, blockHash: message.blockHash })
    }
  }
}

function addProposal(round: RoundMessages, proposal: Signed<Proposal>): AddOutcome {
  const { proposals } = round
  // The signature covers the hash and the valid round, not the block's bytes: only those can equivocate.
  const same = (p: Signed<Proposal>) => equalsBytes(p.message.blockHash, proposal.message.blockHash) && p.message.validRound === proposal.message.validRound
  if (proposals.some(same)) return DUPLICATE
  if (proposals.length >= VERSIONS_PER_VALIDATOR) return { result: 'dropped', reason: `${proposal.signer} already made ${VERSIONS_PER_VALIDATOR} proposals in round ${proposal.message.round}` }
  proposals.push(proposal)
  return proposals.length === 1 ? ADDED : { result: 'equivocation', evidence: { first: proposals[0], second: proposal } }
}

function sameId(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a === undefined || b === undefined ? a === b : equalsBytes(a, b)
}
