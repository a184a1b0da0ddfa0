/**
 * Gossip a validator must refuse, sent by a bare libp2p peer connected to that validator only: on the
 * consensus topic an oversized message, a real vote with its signature bytes flipped, and a vote signed
 * by a key that is not a validator's; on the blocks topic an oversized message and a decided block whose
 * certificate is signed by non-validators. Each is rejected before it is forwarded (no other validator
 * ever sees it), and the sender's gossipsub score at the validator falls below zero.
 */
import { randomBytes } from 'node:crypto'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { encodeCertifiedBlock } from '../../../node/chain/certifiedBlocks.ts'
import { certificateOf, encodeCertificate } from '../../../node/consensus/certificate.ts'
import { BadSignatureError } from '../../../node/consensus/errors.ts'
import { decodeSigned, encodeSigned, signMessage } from '../../../node/consensus/messages.ts'
import type { Network } from '../../../node/network/network.ts'
import { TOPIC_MAX_BYTES, type TopicKind } from '../../../node/network/topics.ts'
import { CHAIN_ID } from '../rpc/helpers.ts'
import { allReach, bareNetworkTo, height, until, ValidatorNet } from '../../support/validatorNet.ts'

const TARGET = 0

describe('gossip a validator rejects', () => {
  let net: ValidatorNet
  let attacker: Network | undefined

  beforeAll(async () => {
    net = await ValidatorNet.start(4)
    await allReach(net.live, 2, 75_000)
  }, 90_000)

  afterEach(async () => {
    await attacker?.close()
    attacker = undefined
  })

  afterAll(async () => {
    await net?.close()
  })

  const target = () => net.node(TARGET).node.network!
  const others = () => net.live.filter((_, i) => i !== TARGET)

  /**
   * Publishes `data` from a fresh attacker (a fresh score) connected to the target only and waits for the target's verdict `verdict`; then, once a
   * further block has gone round (so the target forwarded what it accepted meanwhile), checks that no
   * other validator saw the message and that the attacker's score at the target is negative.
   */
  async function expectRejected(kind: TopicKind, data: Uint8Array, verdict: 'reject' | 'oversized'): Promise<void> {
    const from = (attacker = await bareNetworkTo(net.node(TARGET), kind))
    const counts = target().gossip.counts[kind]
    const before = counts[verdict]
    expect(await from.gossip.publish(kind, data)).toBe(1)
    await until(() => counts[verdict] === before + 1, `the target to count the message as ${verdict}`)
    await allReach(net.live, (await height(net.node(TARGET))) + 1)
    for (const t of others()) {
      expect(t.node.network!.peers()).not.toContain(from.peerId)
      const seen = t.node.network!.gossip.counts[kind]
      expect(seen.reject + seen.oversized, 'refused gossip reaching another validator').toBe(0)
    }
    await until(() => target().gossip.score(from.peerId) < 0, 'the attacker’s score at the target to fall below zero')
  }

  const currentHeight = () => net.node(TARGET).node.consensus!.engine!.state().height

  it('an oversized consensus message', async () => {
    await expectRejected('consensus', new Uint8Array(TOPIC_MAX_BYTES.consensus + 1).fill(1), 'oversized')
  })

  it('an oversized blocks message', async () => {
    await expectRejected('blocks', new Uint8Array(TOPIC_MAX_BYTES.blocks + 1).fill(1), 'oversized')
  })

  it('a real vote whose signature bytes were flipped', async () => {
    const validatorsVote = signMessage({ kind: 'prevote', height: currentHeight(), round: 0, blockHash: undefined }, net.keys[2], Number(CHAIN_ID))
    const signature = Uint8Array.from(validatorsVote.signature)
    for (let i = 33; i < 65; i++) signature[i] ^= 0xff
    const bytes = encodeSigned({ ...validatorsVote, signature })
    // s flipped lands in the upper half of the order (or past it): no longer a signature the validator made.
    expect(() => decodeSigned(bytes, Number(CHAIN_ID))).toThrow(BadSignatureError)
    await expectRejected('consensus', bytes, 'reject')
  })

  it('a vote signed by a key that is not a validator’s', async () => {
    const vote = signMessage({ kind: 'precommit', height: currentHeight(), round: 0, blockHash: randomBytes(32) }, secp256k1.utils.randomSecretKey(), Number(CHAIN_ID))
    await expectRejected('consensus', encodeSigned(vote), 'reject')
  })

  it('a decided block whose certificate is signed by non-validators', async () => {
    const { chain } = net.node(TARGET).node
    const block = chain.headBlock
    const precommit = { kind: 'precommit' as const, height: block.header.number, round: 0, blockHash: block.hash() }
    const strangers = Array.from({ length: 3 }, () => secp256k1.utils.randomSecretKey())
    const certificate = encodeCertificate(certificateOf(strangers.map((key) => signMessage(precommit, key, Number(CHAIN_ID)))))
    await expectRejected('blocks', encodeCertifiedBlock({ block, certificate }), 'reject')
  })
})
