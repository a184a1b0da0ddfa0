/**
 * Two of four in-process validators stopped: without a quorum the chain halts. One started again on its
 * datadir and guard file (restart from disk, in-process) rejoins: the chain resumes, one block at every
 * height on the three.
 */
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { allReach, expectOneChain, height, DEFAULT_TIMING, useValidatorNet } from '../../support/validatorNet.ts'

const ROUND_TIMEOUT_MS = DEFAULT_TIMING.roundTimeoutMs

describe('two of four validators stopped', () => {
  const net = useValidatorNet(3)

  /** The height of the last signature validator i's double-sign guard recorded on disk. */
  const guardHeight = async (i: number) => BigInt(JSON.parse(await readFile(net().guardFile(i), 'utf8')).height)

  it('halts the chain, which resumes when one comes back from disk', async () => {
    await net().stopValidator(2)
    await net().stopValidator(3)
    await new Promise((resolve) => setTimeout(resolve, ROUND_TIMEOUT_MS))
    const halted = await Promise.all(net().live.map(height))
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, ROUND_TIMEOUT_MS))
      expect(await Promise.all(net().live.map(height))).toEqual(halted)
    }

    const signedBefore = await guardHeight(2)
    const back = await net().startValidator(2)
    // It reopened its chain from disk, not from genesis.
    expect(await height(back)).toBeGreaterThanOrEqual(Math.min(...halted) - 1)
    await allReach(net().live, Math.max(...halted) + 3, 60_000)
    expect(await expectOneChain(net().live)).toBeGreaterThanOrEqual(Math.max(...halted) + 3)
    // Three of four are a quorum only with it: it signed again, on the same guard file.
    expect(await guardHeight(2)).toBeGreaterThan(signedBefore)
  }, 90_000)
})
