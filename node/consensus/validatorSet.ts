/**
 * The validators of a height, equal in voting power: their addresses in ascending order (the
 * proposer rotation), the quorum Q = floor(2n/3) + 1 and f + 1 = n - Q + 1 ("more than a third").
 */
export class ValidatorSet {
  readonly addresses: readonly string[]
  readonly quorum: number
  /** f + 1: at least one of this many validators is honest. */
  readonly oneHonest: number
  private readonly members: ReadonlySet<string>

  constructor(addresses: readonly string[]) {
    const sorted = addresses.map((a) => a.toLowerCase()).sort()
    if (sorted.length === 0) throw new Error('a validator set needs at least one validator')
    if (new Set(sorted).size !== sorted.length) throw new Error('a validator is listed twice')
    this.addresses = sorted
    this.members = new Set(sorted)
    this.quorum = Math.floor((2 * sorted.length) / 3) + 1
    this.oneHonest = sorted.length - this.quorum + 1
  }

  get size(): number {
    return this.addresses.length
  }

  has(address: string): boolean {
    return this.members.has(address)
  }

  /** Round robin: sorted[(h + r) mod n]. */
  proposer(height: bigint, round: number): string {
    return this.addresses[Number((height + BigInt(round)) % BigInt(this.addresses.length))]
  }
}
