import { describe, expect, it } from 'vitest'
import { BlockClock } from '../../../node/miner/clock.ts'

/** A wall clock the test moves by hand. */
function manualWall(start: bigint) {
  let now = start
  return { wall: () => now, advance: (s: bigint) => (now += s) }
}

describe('BlockClock', () => {
  it('stamps the wall time, never at or before the parent', () => {
    const { wall } = manualWall(1_000n)
    const clock = new BlockClock(wall)
    expect(clock.timestampAfter(900n)).toBe(1_000n)
    expect(clock.timestampAfter(1_000n)).toBe(1_001n)
    expect(clock.timestampAfter(5_000n)).toBe(5_001n)
  })

  it('increase adds to an offset and returns the whole of it', () => {
    const { wall, advance } = manualWall(1_000n)
    const clock = new BlockClock(wall)
    expect(clock.increase(60n)).toBe(60n)
    expect(clock.increase(40n)).toBe(100n)
    advance(5n)
    expect(clock.timestampAfter(0n)).toBe(1_105n)
  })

  it('an exact next timestamp is used once, then time runs on from it', () => {
    const { wall, advance } = manualWall(1_000n)
    const clock = new BlockClock(wall)
    clock.setNextTimestamp(50_000n)
    expect(clock.timestampAfter(999n)).toBe(50_000n)
    // Not used up until a block with it is sealed.
    expect(clock.timestampAfter(999n)).toBe(50_000n)
    clock.sealed(50_000n)
    advance(3n)
    expect(clock.timestampAfter(50_000n)).toBe(50_003n)
  })

  it('restore puts back the time read at a snapshot, and reset drops offset and next timestamp', () => {
    const { wall, advance } = manualWall(1_000n)
    const clock = new BlockClock(wall)
    clock.increase(10n)
    const reading = clock.reading()
    clock.increase(86_400n)
    clock.setNextTimestamp(999_999n)
    advance(20n)
    clock.restore(reading)
    expect(clock.now()).toBe(1_010n)
    expect(clock.timestampAfter(0n)).toBe(1_010n)
    clock.increase(5n)
    clock.setNextTimestamp(7_000n)
    clock.reset()
    expect(clock.timestampAfter(0n)).toBe(1_020n)
  })
})
