/**
 * A validator that equivocates: the test holds one validator's key and publishes on the consensus topic,
 * through a bare libp2p peer connected to one validator only, a prevote and a precommit signed with that
 * key (bypassing its double-sign guard) that conflict with what the validator itself sends at the same
 * height and round. One honest validator is down, so every quorum needs the equivocator's own votes:
 * both halves of each double vote reach every running honest validator while the height is open. They
 * detect the double votes (evidence kept, per signer), and the chain stays safe (one block at every
 * height) and goes on.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeSigned, signMessage, type VoteKind } from '../../../node/consensus/messages.ts'
import type { Network } from '../../../node/network/network.ts'
import { CHAIN_ID } from '../rpc/helpers.ts'
import { allReach, bareNetworkTo, expectOneChain, height, until, ValidatorNet } from '../../support/validatorNet.ts'

const EQUIVOCATOR = 1
const HONEST = [0, 2]

describe('an equivocating validator', () => {
  let net: ValidatorNet
  let attacker: Network

  beforeAll(async () => {
    net = await ValidatorNet.start(4)
    await allReach(net.live, 2, 75_000)
    await net.stopValidator(3)
    attacker = await bareNetworkTo(net.node(0), 'consensus')
  }, 90_000)

  afterAll(async () => {
    await attacker?.close()
    await net?.close()
  })

  /** The equivocator's key votes for a block nobody proposed: its own vote at (height, 0) is for the real block or nil. */
  async function doubleVote(kind: VoteKind, at: bigint): Promise<void> {
    const vote = signMessage({ kind, height: at, round: 0, blockHash: randomBytes(32) }, net.keys[EQUIVOCATOR], Number(CHAIN_ID))
    expect(await attacker.gossip.publish('consensus', encodeSigned(vote))).toBe(1)
  }

  const honest = () => HONEST.map((i) => net.node(i).node.consensus!.engine!)

  it('is detected by the honest validators, and the chain stays one and goes on', async () => {
    // Heights just ahead (within the window kept for later): the equivocator's own votes there come after ours.
    const { height: current } = net.node(0).node.consensus!.engine!.state()
    for (const at of [current + 1n, current + 2n]) {
      await doubleVote('prevote', at)
      await doubleVote('precommit', at)
    }
    await until(() => honest().every((engine) => engine.evidence.length >= 4), 'every running honest validator to hold evidence of the four double votes')
    for (const engine of honest()) {
      const kinds = engine.evidence.map(({ first, second }) => {
        expect(first.signer).toBe(net.address(EQUIVOCATOR))
        expect(second.signer).toBe(net.address(EQUIVOCATOR))
        expect(first.message.height).toBe(second.message.height)
        expect(first.message.round).toBe(second.message.round)
        expect(first.message.kind).toBe(second.message.kind)
        return `${first.message.height}:${first.message.kind}`
      })
      expect(new Set(kinds)).toEqual(new Set([current + 1n, current + 2n].flatMap((h) => [`${h}:prevote`, `${h}:precommit`])))
    }
    await allReach(net.live, Number(current) + 4)
    expect(await expectOneChain(net.live)).toBeGreaterThanOrEqual(Number(current) + 4)
    expect(await height(net.node(EQUIVOCATOR))).toBeGreaterThanOrEqual(Number(current) + 4)
  }, 90_000)
})
