/**
 * Block propagation: for every block all validators reported, the delay from its proposer's head event
 * (the proposer's commit) to each other validator's head event.
 */
import type { Arrival } from './heads.ts'

/** Milliseconds, one sample per (block, non-proposing validator); `nodeOf` maps a proposer address to its node. */
export function propagationDelays(arrivals: Arrival[], nodeOf: Map<string, number>): number[] {
  const byBlock = new Map<string, Arrival[]>()
  for (const a of arrivals) byBlock.set(a.hash, [...(byBlock.get(a.hash) ?? []), a])
  const delays: number[] = []
  for (const seen of byBlock.values()) {
    const proposer = seen.find((a) => a.node === nodeOf.get(a.miner))
    if (!proposer || seen.length < nodeOf.size) continue
    for (const a of seen) if (a !== proposer) delays.push(a.at - proposer.at)
  }
  return delays
}
