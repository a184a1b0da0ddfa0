import { describe, expect, it } from 'vitest'
import { verifyCertificate } from '../../../node/consensus/certificate.ts'
import { signMessage, type ConsensusMessage, type Vote } from '../../../node/consensus/messages.ts'
import { Tendermint, type Output } from '../../../node/consensus/tendermint.ts'
import { CHAIN_ID, testBlock, testValidators } from './fixtures.ts'

const { keys, set } = testValidators(4)
const TIMING = { blockPeriodMs: 1_000, roundTimeoutMs: 2_000, roundTimeoutDeltaMs: 500 }
const V = testBlock('v')
const W = testBlock('w')

/**
 * One machine, validator `self`, driven by hand: its own broadcasts are signed and fed back at once
 * (as the driver does); `from(i, message)` delivers a message signed by validator i.
 */
class Solo {
  readonly machine: Tendermint
  readonly log: Output[] = []

  constructor(readonly self: number | undefined) {
    this.machine = new Tendermint({ validators: set, self: self === undefined ? undefined : keys[self].address, timing: TIMING })
  }

  run(outputs: Output[]): Output[] {
    const all: Output[] = []
    for (const output of outputs) {
      all.push(output)
      this.log.push(output)
      if (output.kind === 'broadcast' && this.self !== undefined) all.push(...this.run(this.machine.receive(signMessage(output.message, keys[this.self].privateKey, CHAIN_ID))))
    }
    return all
  }

  from(i: number, message: ConsensusMessage): Output[] {
    return this.run(this.machine.receive(signMessage(message, keys[i].privateKey, CHAIN_ID)))
  }

  votes(validators: number[], vote: Vote): Output[] {
    return validators.flatMap((i) => this.from(i, vote))
  }
}

function sent(outputs: Output[]): ConsensusMessage[] {
  return outputs.flatMap((o) => (o.kind === 'broadcast' ? [o.message] : []))
}

const prevote = (round: number, value?: { blockHash: Uint8Array }): Vote => ({ kind: 'prevote', height: 1n, round, blockHash: value?.blockHash })
const precommit = (round: number, value?: { blockHash: Uint8Array }): Vote => ({ kind: 'precommit', height: 1n, round, blockHash: value?.blockHash })
const proposal = (round: number, value: { blockHash: Uint8Array; block: Uint8Array }, validRound = -1): ConsensusMessage => ({ kind: 'proposal', height: 1n, round, ...value, validRound })

/**
 * Validator 0 at height 1 (proposers: round 0 -> 1, round 1 -> 2, round 2 -> 3): locks on V in round 0
 * (its prevote and two others), sees the precommits fail, and moves to round 1.
 */
function lockedOnVInRound0(): Solo {
  const solo = new Solo(0)
  solo.run(solo.machine.start(1n))
  const asked = solo.from(1, proposal(0, V))
  expect(asked).toContainEqual({ kind: 'validate', height: 1n, blockHash: V.blockHash, block: V.block })
  expect(sent(solo.run(solo.machine.validity(1n, V.blockHash, true)))).toEqual([prevote(0, V)])
  expect(sent(solo.votes([1, 2], prevote(0, V)))).toEqual([precommit(0, V)])
  expect(solo.machine.state).toMatchObject({ lockedRound: 0, lockedHash: V.blockHash, validRound: 0, step: 'precommit' })
  const timeouts = solo.votes([1, 2], precommit(0))
  expect(timeouts).toContainEqual({ kind: 'schedule', timeout: { step: 'precommit', height: 1n, round: 0 }, delayMs: 2_000 })
  solo.run(solo.machine.timeout({ step: 'precommit', height: 1n, round: 0 }))
  expect(solo.machine.state).toMatchObject({ round: 1, step: 'propose', lockedRound: 0 })
  return solo
}

describe('Tendermint locking (rules 2, 3, 5)', () => {
  it('a node locked on V in round 0 prevotes nil on a new proposal W in round 1 (rule 2), even a valid one', () => {
    const solo = lockedOnVInRound0()
    solo.from(2, proposal(1, W))
    expect(sent(solo.run(solo.machine.validity(1n, W.blockHash, true)))).toEqual([prevote(1)])
  })

  it('but prevotes V again when V is proposed again in round 1', () => {
    const solo = lockedOnVInRound0()
    expect(sent(solo.from(2, proposal(1, V, 0)))).toEqual([prevote(1, V)])
  })

  it('prevotes W in round 2 once W had a quorum of prevotes in round 1, later than its lock (rule 3)', () => {
    const solo = lockedOnVInRound0()
    solo.from(2, proposal(1, W))
    solo.run(solo.machine.validity(1n, W.blockHash, true))
    // Its nil prevote and two for W: timeoutPrevote, then precommit nil; the third W prevote makes a quorum it cannot lock on any more.
    expect(solo.votes([1, 2], prevote(1, W))).toContainEqual({ kind: 'schedule', timeout: { step: 'prevote', height: 1n, round: 1 }, delayMs: 2_500 })
    expect(sent(solo.run(solo.machine.timeout({ step: 'prevote', height: 1n, round: 1 })))).toEqual([precommit(1)])
    solo.votes([3], prevote(1, W))
    expect(solo.machine.state).toMatchObject({ lockedRound: 0, lockedHash: V.blockHash, validRound: 1, validHash: W.blockHash })
    solo.votes([1, 2], precommit(1))
    solo.run(solo.machine.timeout({ step: 'precommit', height: 1n, round: 1 }))
    expect(sent(solo.from(3, proposal(2, W, 1)))).toEqual([prevote(2, W)])
  })

  it('does not prevote W on a claimed valid round without the quorum to back it, and prevotes nil at timeoutPropose', () => {
    const solo = lockedOnVInRound0()
    solo.from(2, proposal(1, W))
    solo.run(solo.machine.validity(1n, W.blockHash, true))
    solo.votes([1, 2], precommit(1))
    solo.run(solo.machine.timeout({ step: 'precommit', height: 1n, round: 1 }))
    // W claims round 1's quorum, but only 0 prevotes for W at round 1 arrived.
    expect(sent(solo.from(3, proposal(2, W, 1)))).toEqual([])
    expect(sent(solo.run(solo.machine.timeout({ step: 'propose', height: 1n, round: 2 })))).toEqual([prevote(2)])
  })

  it('a restarted validator given its lock back keeps it: nil for another block, its block again', () => {
    const lock = { height: 1n, round: 0, blockHash: V.blockHash }
    const solo = new Solo(0)
    solo.run(solo.machine.start(1n, lock))
    expect(solo.machine.state).toMatchObject({ lockedRound: 0, lockedHash: V.blockHash })
    solo.from(1, proposal(0, W))
    expect(sent(solo.run(solo.machine.validity(1n, W.blockHash, true)))).toEqual([prevote(0)])
    const other = new Solo(0)
    other.run(other.machine.start(1n, { ...lock, height: 0n }))
    expect(other.machine.state.lockedRound).toBe(-1)
  })

  it('an invalid block is prevoted nil', () => {
    const solo = new Solo(0)
    solo.run(solo.machine.start(1n))
    solo.from(1, proposal(0, V))
    expect(sent(solo.run(solo.machine.validity(1n, V.blockHash, false)))).toEqual([prevote(0)])
  })
})

describe('Tendermint rounds and decisions', () => {
  it('skips to a higher round on f + 1 messages of it (rule 9), not on f', () => {
    const solo = new Solo(0)
    solo.run(solo.machine.start(1n))
    expect(solo.from(1, prevote(3))).toEqual([])
    expect(solo.machine.state.round).toBe(0)
    const outputs = solo.from(2, precommit(3))
    expect(solo.machine.state).toMatchObject({ round: 3, step: 'propose' })
    expect(outputs).toContainEqual({ kind: 'schedule', timeout: { step: 'propose', height: 1n, round: 3 }, delayMs: 2_000 + 3 * 500 })
    // Round 3's proposer (index 0 at height 1) is this node: it asks for a block.
    expect(outputs).toContainEqual({ kind: 'build', height: 1n, round: 3 })
  })

  it('a validator cannot drag memory far ahead: messages beyond its two future rounds are dropped', () => {
    const solo = new Solo(0)
    solo.run(solo.machine.start(1n))
    solo.from(1, prevote(5))
    solo.from(1, prevote(6))
    solo.from(1, prevote(7))
    // Validator 2 joins at 7: only one validator counts there, so no skip; at 6 there are two.
    solo.from(2, prevote(7))
    expect(solo.machine.state.round).toBe(0)
    solo.from(2, prevote(6))
    expect(solo.machine.state.round).toBe(6)
  })

  it('the proposer builds, proposes, and decides with a certificate of the quorum of precommits; the next height waits the block period', () => {
    const solo = new Solo(0)
    // Height 3's round-0 proposer is index (3 + 0) mod 4 = 3; height 4's is index 0.
    expect(solo.run(solo.machine.start(4n))).toContainEqual({ kind: 'build', height: 4n, round: 0 })
    const outputs = sent(solo.run(solo.machine.blockBuilt(4n, 0, V)))
    expect(outputs).toEqual([{ kind: 'proposal', height: 4n, round: 0, ...V, validRound: -1 }, { kind: 'prevote', height: 4n, round: 0, blockHash: V.blockHash }])
    solo.votes([1, 2], { kind: 'prevote', height: 4n, round: 0, blockHash: V.blockHash })
    solo.votes([3], { kind: 'precommit', height: 4n, round: 0, blockHash: V.blockHash })
    const decided = solo.votes([2], { kind: 'precommit', height: 4n, round: 0, blockHash: V.blockHash })
    const decision = decided.find((o) => o.kind === 'decide')
    expect(decision?.kind === 'decide' && decision.decision).toMatchObject({ height: 4n, round: 0, blockHash: V.blockHash, block: V.block })
    if (decision?.kind !== 'decide') throw new Error('no decision')
    expect(verifyCertificate(decision.decision.certificate, set, CHAIN_ID, V.blockHash)).toEqual([keys[0], keys[2], keys[3]].map((k) => k.address))
    expect(decided).toContainEqual({ kind: 'schedule', timeout: { step: 'newHeight', height: 5n, round: 0 }, delayMs: 1_000 })
    expect(solo.machine.state).toMatchObject({ height: 5n, round: 0, step: 'newHeight', lockedRound: -1, validRound: -1 })
    expect(solo.run(solo.machine.timeout({ step: 'newHeight', height: 5n, round: 0 }))).toContainEqual({ kind: 'schedule', timeout: { step: 'propose', height: 5n, round: 0 }, delayMs: 2_000 })
  })

  it('decides on a quorum of precommits for a block it holds, whatever round it is in, and uses messages kept for the next height', () => {
    const solo = new Solo(undefined)
    solo.run(solo.machine.start(1n))
    // Height 2's messages arrive early and are kept.
    solo.from(2, { kind: 'proposal', height: 2n, round: 0, ...W, validRound: -1 })
    solo.from(1, proposal(0, V))
    solo.run(solo.machine.validity(1n, V.blockHash, true))
    const decided = solo.votes([1, 2, 3], { kind: 'precommit', height: 1n, round: 5, blockHash: V.blockHash })
    expect(decided.filter((o) => o.kind === 'decide')).toHaveLength(1)
    expect(decided).toContainEqual({ kind: 'validate', height: 2n, blockHash: W.blockHash, block: W.block })
    // A full node never sends.
    expect(sent(solo.log)).toEqual([])
  })

  it('deduplicates votes; keeps a conflicting vote as evidence and counts it for its own block; drops a third version and heights outside the window', () => {
    const solo = new Solo(0)
    solo.run(solo.machine.start(1n))
    solo.from(1, prevote(0, V))
    expect(solo.from(1, prevote(0, V))).toEqual([])
    const conflicting = solo.from(1, prevote(0, W))
    expect(conflicting.filter((o) => o.kind === 'evidence')).toHaveLength(1)
    expect(solo.machine.evidence).toHaveLength(1)
    expect(solo.machine.evidence[0].first.message).toEqual(prevote(0, V))
    expect(solo.machine.evidence[0].second.message).toEqual(prevote(0, W))
    expect(solo.from(1, prevote(0))).toEqual([])
    expect(solo.machine.evidence).toHaveLength(1)
    // Validator 1's W prevote and this node's own make 2 for W; validator 2's makes the quorum.
    solo.from(1, proposal(0, W))
    expect(sent(solo.run(solo.machine.validity(1n, W.blockHash, true)))).toEqual([prevote(0, W)])
    expect(solo.machine.state.step).toBe('prevote')
    expect(sent(solo.votes([2], prevote(0, W)))).toEqual([precommit(0, W)])
    expect(solo.from(1, { kind: 'prevote', height: 4n, round: 0, blockHash: undefined })).toEqual([])
    expect(solo.from(1, { kind: 'prevote', height: 0n, round: 0, blockHash: undefined })).toEqual([])
  })

  it('ignores proposals from anyone but the round proposer, and stale timeouts', () => {
    const solo = new Solo(0)
    solo.run(solo.machine.start(1n))
    expect(solo.from(3, proposal(0, V))).toEqual([])
    solo.run(solo.machine.timeout({ step: 'propose', height: 1n, round: 0 }))
    expect(solo.machine.state.step).toBe('prevote')
    expect(solo.run(solo.machine.timeout({ step: 'propose', height: 1n, round: 0 }))).toEqual([])
    expect(solo.run(solo.machine.timeout({ step: 'prevote', height: 1n, round: 4 }))).toEqual([])
  })
})
