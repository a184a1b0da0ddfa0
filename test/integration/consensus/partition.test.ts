/**
 * A 2 + 2 partition of four in-process validators over libp2p (each half firewalls the other:
 * Network.block): neither half has a quorum, so no block is decided on any of the four while it lasts;
 * once healed the chain resumes, with one block at every height on all four.
 */
import { describe, expect, it } from 'vitest'
import { allReach, expectOneChain, height, until, DEFAULT_TIMING, useValidatorNet } from '../../support/validatorNet.ts'

const ROUND_TIMEOUT_MS = DEFAULT_TIMING.roundTimeoutMs

describe('a 2 + 2 partition', () => {
  const net = useValidatorNet(3)

  /** Validators a and b firewall c and d, and the other way round. */
  async function partition(): Promise<void> {
    const [left, right] = [[0, 1], [2, 3]].map((half) => half.map((i) => net().peerId(i)))
    await Promise.all([0, 1].map((i) => net().node(i).node.network!.block(right)))
    await Promise.all([2, 3].map((i) => net().node(i).node.network!.block(left)))
  }

  it('decides nothing while partitioned, resumes once healed, and never forks', async () => {
    await partition()
    const connected = (i: number, j: number) => net().node(i).node.network!.peers().includes(net().peerId(j))
    expect([0, 1].some((i) => [2, 3].some((j) => connected(i, j) || connected(j, i)))).toBe(false)
    // A block whose precommits were already on their way may still land: let it, then watch.
    await new Promise((resolve) => setTimeout(resolve, ROUND_TIMEOUT_MS))
    const frozen = await Promise.all(net().live.map(height))
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, ROUND_TIMEOUT_MS))
      expect(await Promise.all(net().live.map(height))).toEqual(frozen)
    }
    // Still apart after several redial attempts (every 2 s) of the bootnodes across the cut.
    expect([0, 1].some((i) => [2, 3].some((j) => connected(i, j) || connected(j, i)))).toBe(false)

    for (const t of net().live) t.node.network!.unblock()
    await until(() => [2, 3].every((i) => connected(i, 0) && connected(i, 1)), 'the halves to reconnect', 15_000)
    await allReach(net().live, Math.max(...frozen) + 3, 45_000)
    expect(await expectOneChain(net().live)).toBeGreaterThanOrEqual(Math.max(...frozen) + 3)
  }, 90_000)
})
