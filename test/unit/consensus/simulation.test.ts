import { bytesToHex } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { verifyCertificate } from '../../../node/consensus/certificate.ts'
import { CHAIN_ID, testValidators } from './fixtures.ts'
import { Simulation } from './simulation.ts'

const ALL = [0, 1, 2, 3]
const { set } = testValidators(4)

/** Every honest node's decisions agree height by height, and each decision's certificate verifies. */
function expectAgreement(sim: Simulation, honest: number[]): void {
  expect(sim.forks).toEqual([])
  for (const i of honest) {
    for (const decision of sim.nodes[i].decisions.values()) {
      if (i === honest[0]) verifyCertificate(decision.certificate, set, CHAIN_ID, decision.blockHash)
      const reference = sim.nodes[honest[0]].decisions.get(decision.height)
      if (reference) expect(bytesToHex(decision.blockHash)).toBe(bytesToHex(reference.blockHash))
    }
  }
}

function decisionHashes(sim: Simulation, i: number): string[] {
  return [...sim.nodes[i].decisions.keys()].sort((a, b) => (a < b ? -1 : 1)).map((h) => bytesToHex(sim.nodes[i].decisions.get(h)!.blockHash))
}

describe('four validators on a simulated network', () => {
  it.each([1, 2, 3])('decide the same block at each of 12 heights (seed %i), every proposer in turn', (seed) => {
    const sim = new Simulation({ n: 4, seed, maxDelayMs: 400 })
    sim.start()
    expect(sim.runUntil(() => sim.decidedHeight(ALL) >= 12n, 600_000)).toBe(true)
    expectAgreement(sim, ALL)
    // The sim's blocks name their builder: with round-0 decisions the rotation shows.
    const builders = new Set([...sim.nodes[0].decisions.values()].map((d) => new TextDecoder().decode(d.block).split(' by=')[1].split(' ')[0]))
    expect(builders.size).toBe(4)
  })

  it('the same seed replays the same run; another seed delivers in another order', () => {
    const run = (seed: number) => {
      const sim = new Simulation({ n: 4, seed, maxDelayMs: 400 })
      sim.start()
      sim.runUntil(() => sim.decidedHeight(ALL) >= 6n, 600_000)
      return { hashes: decisionHashes(sim, 0).slice(0, 6), at: sim.now }
    }
    const first = run(9)
    expect(run(9)).toEqual(first)
    expect(run(10).hashes).not.toEqual(first.hashes)
  })

  it('with one validator down, the other three still decide', () => {
    const sim = new Simulation({ n: 4, seed: 7 })
    sim.crash(2)
    sim.start()
    expect(sim.runUntil(() => sim.decidedHeight([0, 1, 3]) >= 8n, 600_000)).toBe(true)
    expect(sim.nodes[2].decisions.size).toBe(0)
    expectAgreement(sim, [0, 1, 3])
  })

  it('with two down nothing is decided; when one comes back (its state lost) they decide again', () => {
    const sim = new Simulation({ n: 4, seed: 11 })
    sim.crash(1)
    sim.crash(3)
    sim.start()
    expect(sim.runUntil(() => sim.nodes[0].decisions.size > 0 || sim.nodes[2].decisions.size > 0, 60_000)).toBe(false)
    // Nobody could even lock: no quorum of prevotes with two of four.
    expect([0, 2].map((i) => sim.nodes[i].machine.state)).toMatchObject([{ height: 1n, lockedRound: -1 }, { height: 1n, lockedRound: -1 }])
    sim.restart(3, 1n)
    expect(sim.runUntil(() => sim.decidedHeight([0, 2, 3]) >= 5n, sim.now + 600_000)).toBe(true)
    expectAgreement(sim, [0, 2, 3])
  })

  it('split 2 + 2, neither half decides; healed, they decide the same blocks', () => {
    const sim = new Simulation({ n: 4, seed: 5 })
    const half = (i: number) => (i < 2 ? 0 : 1)
    sim.canDeliver = (from, to) => half(from) === half(to)
    sim.start()
    expect(sim.runUntil(() => ALL.some((i) => sim.nodes[i].decisions.size > 0), 60_000)).toBe(false)
    sim.canDeliver = () => true
    sim.release()
    expect(sim.runUntil(() => sim.decidedHeight(ALL) >= 5n, sim.now + 600_000)).toBe(true)
    expectAgreement(sim, ALL)
  })

  it.each([3, 4])('an equivocating validator (seed %i) neither forks nor stalls the honest three, and its equivocation is kept as evidence', (seed) => {
    const sim = new Simulation({ n: 4, seed, equivocators: [3] })
    sim.start()
    expect(sim.runUntil(() => sim.decidedHeight([0, 1, 2]) >= 12n, 600_000)).toBe(true)
    expectAgreement(sim, [0, 1, 2])
    const equivocator = sim.validators[3].address
    // Gossip brings both halves of each equivocation to every honest node.
    const evidence = [0, 1, 2].flatMap((i) => sim.nodes[i].machine.evidence)
    for (const i of [0, 1, 2]) expect(sim.nodes[i].machine.evidence.length).toBeGreaterThan(0)
    for (const { first, second } of evidence) {
      expect(first.signer).toBe(equivocator)
      expect(second.signer).toBe(equivocator)
      expect({ ...first.message, blockHash: undefined, block: undefined, validRound: undefined }).toEqual({ ...second.message, blockHash: undefined, block: undefined, validRound: undefined })
      expect(first.message.blockHash).not.toEqual(second.message.blockHash)
    }
    // Honest validators never equivocate, so no evidence names them.
    expect(evidence.every((e) => e.first.signer === equivocator)).toBe(true)
  })
})
