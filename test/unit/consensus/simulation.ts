import { bytesToHex, equalsBytes, utf8ToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { verifyCertificate } from '../../../node/consensus/certificate.ts'
import { decodeSigned, encodeSigned, signBytes, signDigest, type ConsensusMessage, type Signed } from '../../../node/consensus/messages.ts'
import { Tendermint, type Decision, type Output, type Timing } from '../../../node/consensus/tendermint.ts'
import { CHAIN_ID, testValidators, type TestValidator } from './fixtures.ts'

/** A seeded integer generator (mulberry32): the same seed gives the same run. */
function seededRandom(seed: number): (below: number) => number {
  let state = seed >>> 0
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) % below
  }
}

interface Event {
  at: number
  seq: number
  node: number
  act: (machine: Tendermint) => Output[]
}

export interface SimNode {
  key: TestValidator
  machine: Tendermint
  decisions: Map<bigint, Decision>
  down: boolean
}

export interface SimOptions {
  n: number
  seed: number
  /** Validators that send a different vote (and proposal) to part of the others. */
  equivocators?: number[]
  maxDelayMs?: number
  timing?: Timing
}

const DEFAULT_TIMING: Timing = { blockPeriodMs: 100, roundTimeoutMs: 1_000, roundTimeoutDeltaMs: 500 }

/**
 * n Tendermint machines on a simulated network: a virtual clock, messages delivered after seeded
 * random delays (so in seeded random orders), timers as events, blocks built and judged after a
 * short delay. Each broadcast goes through the wire codec once. Nodes can be down (their timers and
 * work are lost), links cut, and some validators made to equivocate.
 *
 * As the paper assumes (and gossipsub provides), a message one honest node received reaches every
 * honest node eventually: honest nodes relay what they receive the first time, and a message for a
 * down node or over a cut link is held until `release`. A node that decides
 * announces the block with its certificate; a node still at that height takes it as decided (the
 * sync path) and starts the next height.
 */
export class Simulation {
  readonly nodes: SimNode[]
  readonly validators: TestValidator[]
  now = 0
  /** Which links carry messages now; a message over a cut link waits for `release`. */
  canDeliver: (from: number, to: number) => boolean = () => true
  /** A decision that differs from another honest node's at the same height. */
  readonly forks: string[] = []
  private seq = 0
  private events: Event[] = []
  private held: { from: number; to: number; act: Event['act'] }[] = []
  private readonly relayed: Set<string>[]
  private readonly random: (below: number) => number
  private readonly agreed = new Map<bigint, string>()
  private readonly timing: Timing

  constructor(private readonly options: SimOptions) {
    const { keys, set } = testValidators(options.n)
    this.validators = keys
    this.random = seededRandom(options.seed)
    this.timing = options.timing ?? DEFAULT_TIMING
    this.nodes = keys.map((key) => ({ key, machine: new Tendermint({ validators: set, self: key.address, timing: this.timing }), decisions: new Map(), down: false }))
    this.relayed = keys.map(() => new Set())
  }

  start(height = 1n): void {
    this.nodes.forEach((node, i) => this.handle(i, node.machine.start(height)))
  }

  /** Stops node i: it loses its events and the messages sent to it. */
  crash(i: number): void {
    this.nodes[i].down = true
  }

  /** Brings node i back with a fresh machine (its state lost, as after a crash) at `height`. */
  restart(i: number, height: bigint): void {
    const node = this.nodes[i]
    node.down = false
    node.machine = new Tendermint({ validators: testValidators(this.options.n).set, self: node.key.address, timing: this.timing })
    this.handle(i, node.machine.start(height))
    this.release()
  }

  /** Sends on the messages held for links that carry again and nodes that are up again. */
  release(): void {
    const held = this.held
    this.held = []
    for (const { from, to, act } of held) this.send(from, to, act)
  }

  /** Runs events until `done` holds or the clock passes `untilMs`; returns whether `done` held. */
  runUntil(done: () => boolean, untilMs: number): boolean {
    while (!done()) {
      const event = this.events.shift()
      if (!event || event.at > untilMs) {
        if (event) this.events.unshift(event)
        this.now = untilMs
        return false
      }
      this.now = event.at
      const node = this.nodes[event.node]
      if (!node.down) this.handle(event.node, event.act(node.machine))
    }
    return true
  }

  /** The lowest height every node in `which` has decided up to. */
  decidedHeight(which: number[]): bigint {
    return which.map((i) => BigInt(this.nodes[i].decisions.size)).reduce((a, b) => (a < b ? a : b))
  }

  private handle(i: number, outputs: Output[]): void {
    for (const output of outputs) {
      switch (output.kind) {
        case 'broadcast':
          this.broadcast(i, output.message)
          break
        case 'schedule':
          this.after(output.delayMs, i, (m) => m.timeout(output.timeout))
          break
        case 'build':
          this.after(1 + this.random(10), i, (m) => m.blockBuilt(output.height, output.round, simBlock(`block h=${output.height} r=${output.round} by=${i} n=${this.random(1_000_000)}`)))
          break
        case 'validate':
          this.after(1 + this.random(10), i, (m) => m.validity(output.height, output.blockHash, isValidSimBlock(output.height, output.blockHash, output.block)))
          break
        case 'decide':
          this.record(i, output.decision)
          this.announce(i, output.decision)
          break
        case 'evidence':
          break
      }
    }
  }

  /** An honest node's message goes to itself, and from there by relay to all; an equivocator's real one to nodes 0 and 1, its twin to 1 and 2. */
  private broadcast(from: number, message: ConsensusMessage): void {
    const signed = this.onWire(message, from)
    this.deliver(from, from, signed)
    if (!this.isEquivocator(from)) return
    const twin = this.onWire(conflicting(message), from)
    for (const to of [0, 1]) if (to !== from) this.deliver(from, to, signed)
    for (const to of [1, 2]) if (to !== from) this.deliver(from, to, twin)
  }

  private isEquivocator(i: number): boolean {
    return this.options.equivocators?.includes(i) ?? false
  }

  /** Signed, encoded and decoded again (which recovers the signer), as a peer would receive it. */
  private onWire(message: ConsensusMessage, from: number): Signed {
    const { privateKey, address } = this.nodes[from].key
    const signed = { message, signature: signDigest(signBytes(CHAIN_ID, message), privateKey), signer: address }
    return decodeSigned(encodeSigned(signed), CHAIN_ID)
  }

  private deliver(from: number, to: number, signed: Signed): void {
    const act = (m: Tendermint) => {
      this.relay(to, signed)
      return m.receive(signed)
    }
    if (from === to) this.after(0, to, act)
    else this.send(from, to, act)
  }

  /** Gossip: an honest node passes a message on to all the others the first time it has it. */
  private relay(at: number, signed: Signed): void {
    const key = bytesToHex(signed.signature)
    if (this.isEquivocator(at) || this.relayed[at].has(key)) return
    this.relayed[at].add(key)
    this.nodes.forEach((_, to) => {
      if (to !== at) this.deliver(at, to, signed)
    })
  }

  private send(from: number, to: number, act: Event['act']): void {
    if (!this.canDeliver(from, to) || this.nodes[to].down) this.held.push({ from, to, act })
    else this.after(1 + this.random(this.options.maxDelayMs ?? 50), to, act)
  }

  /** The decided block and its certificate, to the others: one still at that height commits it and moves on. */
  private announce(from: number, decision: Decision): void {
    const { set } = testValidators(this.options.n)
    this.nodes.forEach((_, to) => {
      if (to === from) return
      this.send(from, to, (m) => {
        if (m.state.height !== decision.height) return []
        verifyCertificate(decision.certificate, set, CHAIN_ID, decision.blockHash)
        this.record(to, decision)
        return m.start(decision.height + 1n)
      })
    })
  }

  private after(delayMs: number, node: number, act: Event['act']): void {
    const event = { at: this.now + delayMs, seq: this.seq++, node, act }
    let index = this.events.length
    while (index > 0 && (this.events[index - 1].at > event.at || (this.events[index - 1].at === event.at && this.events[index - 1].seq > event.seq))) index--
    this.events.splice(index, 0, event)
  }

  private record(i: number, decision: Decision): void {
    this.nodes[i].decisions.set(decision.height, decision)
    if (this.isEquivocator(i)) return
    const hash = bytesToHex(decision.blockHash)
    const agreed = this.agreed.get(decision.height)
    if (agreed === undefined) this.agreed.set(decision.height, hash)
    else if (agreed !== hash) this.forks.push(`height ${decision.height}: node ${i} decided ${hash}, another ${agreed}`)
  }
}

export function simBlock(text: string): { blockHash: Uint8Array; block: Uint8Array } {
  const block = utf8ToBytes(text)
  return { blockHash: keccak_256(block), block }
}

/** Valid: hashes to its id and was built for this height. */
function isValidSimBlock(height: bigint, blockHash: Uint8Array, block: Uint8Array): boolean {
  return equalsBytes(keccak_256(block), blockHash) && new TextDecoder().decode(block).startsWith(`block h=${height} `)
}

/** The equivocator's other message: a different valid block, or a vote for a block nobody has. */
function conflicting(message: ConsensusMessage): ConsensusMessage {
  const tag = `h=${message.height} r=${message.round}`
  if (message.kind === 'proposal') return { ...message, ...simBlock(`block ${tag} evil`), validRound: -1 }
  return { ...message, blockHash: keccak_256(utf8ToBytes(`phantom ${message.kind} ${tag}`)) }
}
