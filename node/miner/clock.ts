/** What a snapshot keeps of the clock: the time it read then, and an exact next timestamp if one was set. */
export interface ClockReading {
  time: bigint
  next: bigint | undefined
}

const unixSeconds = (): bigint => BigInt(Math.floor(Date.now() / 1000))

/**
 * The time blocks are stamped with: the wall clock plus an offset (evm_increaseTime), or an exact
 * timestamp for the next block (evm_setNextBlockTimestamp), after which time runs on from there, as in anvil.
 */
export class BlockClock {
  private offset = 0n
  private next: bigint | undefined

  /** `wall`: seconds since the epoch; injected so tests can control block times. */
  constructor(private readonly wall: () => bigint = unixSeconds) {}

  now(): bigint {
    return this.wall() + this.offset
  }

  /** The timestamp of the child of a block stamped `parentTime`: never at or before it. */
  timestampAfter(parentTime: bigint): bigint {
    const time = this.next ?? this.now()
    return time > parentTime ? time : parentTime + 1n
  }

  /** A block stamped `timestamp` was sealed: an exact timestamp is used up, and time runs on from it. */
  sealed(timestamp: bigint): void {
    if (this.next === undefined) return
    this.offset = timestamp - this.wall()
    this.next = undefined
  }

  /** Moves time forward by `seconds`; returns the whole offset from the wall clock. */
  increase(seconds: bigint): bigint {
    this.offset += seconds
    return this.offset
  }

  setNextTimestamp(timestamp: bigint): void {
    this.next = timestamp
  }

  reading(): ClockReading {
    return { time: this.now(), next: this.next }
  }

  /** Puts the clock back to what it read at `reading` (evm_revert), as Hardhat and anvil do. */
  restore(reading: ClockReading): void {
    this.offset = reading.time - this.wall()
    this.next = reading.next
  }

  reset(): void {
    this.offset = 0n
    this.next = undefined
  }
}
