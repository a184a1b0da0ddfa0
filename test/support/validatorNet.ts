import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { afterAll, beforeAll, expect } from 'vitest'
import { devnetGenesis, type Genesis } from '../../genesis/genesis.ts'
import type { ConsensusParams } from '../../genesis/openledger.ts'
import { addressOf } from '../../node/keys/keystore.ts'
import { createLogger, silentLogger } from '../../node/logger.ts'
import { identityFromSeed } from '../../node/network/identity.ts'
import { Network } from '../../node/network/network.ts'
import { parseBootnode } from '../../node/network/bootnode.ts'
import { topicName, type TopicKind } from '../../node/network/topics.ts'
import { spawnNode, tempDir, type TestNode } from './spawnNode.ts'
import { until } from './until.ts'

export { until }
import type { Block } from '@ethereumjs/block'
import type { CertifiedBlock } from '../../node/chain/certifiedBlocks.ts'
import { BlockImporter } from '../../node/execution/importBlock.ts'

export type Timing = Pick<ConsensusParams, 'blockPeriodMs' | 'roundTimeoutMs' | 'roundTimeoutDeltaMs'>

export const DEFAULT_TIMING: Timing = { blockPeriodMs: 300, roundTimeoutMs: 1_000, roundTimeoutDeltaMs: 500 }

export const height = async (t: TestNode): Promise<number> => Number(await t.call('eth_blockNumber'))
export const hashAt = async (t: TestNode, n: number): Promise<string | undefined> => (await t.call('eth_getBlockByNumber', [`0x${n.toString(16)}`, false]))?.hash

/** Waits until every node is at `atLeast` or above. */
export async function allReach(nodes: readonly TestNode[], atLeast: number, ms = 30_000): Promise<void> {
  await until(async () => (await Promise.all(nodes.map(height))).every((h) => h >= atLeast), `every node at height ${atLeast}`, ms)
}

/** No fork: the nodes hold one and the same block at every height from 1 to the lowest head among them. */
export async function expectOneChain(nodes: readonly TestNode[]): Promise<number> {
  const top = Math.min(...(await Promise.all(nodes.map(height))))
  for (let n = 1; n <= top; n++) {
    const hashes = await Promise.all(nodes.map((t) => hashAt(t, n)))
    expect(new Set(hashes).size, `one block at height ${n}`).toBe(1)
  }
  return top
}

/**
 * A bare libp2p node of the test chain (no chain, no consensus), a peer the test controls, e.g. an
 * attacker: connected to `target` only, and back once it knows the target takes the topic `kind`.
 */
export async function bareNetworkTo(target: TestNode, kind: TopicKind): Promise<Network> {
  const privateKey = await identityFromSeed(randomBytes(32))
  const bootnodes = [parseBootnode(target.node.network!.addresses()[0])]
  const network = await Network.start({ chainId: 1337n, privateKey, host: '127.0.0.1', port: 0, bootnodes, maxConnections: 20 }, silentLogger())
  const subscribed = () => network.p2p.services.pubsub.getSubscribers(topicName(1337n, kind)).some((p) => p.toString() === target.node.network!.peerId)
  await until(subscribed, `the bare peer to see the ${kind} subscription`)
  return network
}

/**
 * In-process validators on a devnet genesis with openledger.consensus, each with its own datadir,
 * guard file and peer identity kept across a restart, connected over libp2p on 127.0.0.1 (each dials
 * those running when it starts). The keys are the test's too: it can sign as any validator.
 */
export class ValidatorNet {
  readonly keys: Uint8Array[]
  readonly genesis: Genesis
  readonly nodes: (TestNode | undefined)[]
  private readonly seeds: Uint8Array[]
  private readonly extra: TestNode[] = []

  private constructor(
    count: number,
    timing: Timing,
    private readonly dir: { dir: string; remove(): Promise<void> },
  ) {
    this.keys = Array.from({ length: count }, () => secp256k1.utils.randomSecretKey())
    this.seeds = this.keys.map(() => randomBytes(32))
    this.nodes = this.keys.map(() => undefined)
    const genesis = devnetGenesis()
    const consensus = { validators: this.keys.map(addressOf).sort(), epochLength: 30_000, ...timing }
    this.genesis = { ...genesis, openledger: { ...genesis.openledger, consensus } }
  }

  /**
   * Starts `count` validators, one after the other; with `history`, each datadir first holds those
   * blocks (children of this genesis, in order), each with the certificate `certify` gives it.
   */
  static async start(count = 4, timing = DEFAULT_TIMING, history?: { blocks: Block[]; certify: (net: ValidatorNet, block: Block) => Uint8Array }): Promise<ValidatorNet> {
    const net = new ValidatorNet(count, timing, await tempDir())
    if (history) for (let i = 0; i < count; i++) await net.importHistory(i, history.blocks.map((block) => ({ block, certificate: history.certify(net, block) })))
    for (let i = 0; i < count; i++) await net.startValidator(i)
    return net
  }

  /** Writes certified blocks into validator i's datadir, before it first starts (as if it had decided them). */
  private async importHistory(i: number, blocks: CertifiedBlock[]): Promise<void> {
    const loader = await spawnNode({ genesis: this.genesis, datadir: path.join(this.dir.dir, `node-${i}`), mining: { kind: 'manual' }, devMethods: false })
    try {
      const importer = new BlockImporter(loader.node.chain, loader.node.execution)
      for (const { block, certificate } of blocks) await importer.importBlock(block, certificate)
    } finally {
      await loader.close()
    }
  }

  /** The running validators. */
  get live(): TestNode[] {
    return this.nodes.filter((t): t is TestNode => t !== undefined)
  }

  /** Validator i's node; throws if it is stopped. */
  node(i: number): TestNode {
    const t = this.nodes[i]
    if (!t) throw new Error(`validator ${i} is stopped`)
    return t
  }

  address(i: number): string {
    return addressOf(this.keys[i])
  }

  peerId(i: number): string {
    return this.node(i).node.network!.peerId
  }

  /** (Re)starts validator i on its datadir and guard file, dialling the validators running. */
  async startValidator(i: number): Promise<TestNode> {
    const t = await spawnNode({
      genesis: this.genesis,
      datadir: path.join(this.dir.dir, `node-${i}`),
      mining: { kind: 'manual' },
      devMethods: false,
      logger: process.env.DEBUG_NET ? createLogger({ level: 'debug' }).child({ v: i }) : silentLogger(),
      network: this.networkOptions(this.seeds[i]),
      validator: { key: { privateKey: this.keys[i], address: this.address(i) }, guardFile: this.guardFile(i) },
    })
    this.nodes[i] = t
    return t
  }

  guardFile(i: number): string {
    return path.join(this.dir.dir, `guard-${i}.json`)
  }

  async stopValidator(i: number): Promise<void> {
    const t = this.node(i)
    this.nodes[i] = undefined
    await t.close()
  }

  /** A full node (no validator key, in memory) dialling every running validator. */
  async startFullNode(): Promise<TestNode> {
    const t = await spawnNode({ genesis: this.genesis, mining: { kind: 'manual' }, devMethods: false, network: this.networkOptions(randomBytes(32)) })
    this.extra.push(t)
    return t
  }

  async close(): Promise<void> {
    await Promise.all([...this.live, ...this.extra].map((t) => t.close()))
    await this.dir.remove()
  }

  private networkOptions(identitySeed: Uint8Array) {
    const bootnodes = this.live.map((t) => t.node.network!.addresses()[0])
    return { host: '127.0.0.1', port: 0, bootnodes, identitySeed, maxConnections: 20 }
  }
}

/**
 * For the tests of the enclosing describe: four validators started before them (and waited for until
 * each has `decided` blocks: the first rounds are lost while peers connect) and closed after them.
 */
export function useValidatorNet(decided: number, timing = DEFAULT_TIMING): () => ValidatorNet {
  let net: ValidatorNet | undefined
  beforeAll(async () => {
    net = await ValidatorNet.start(4, timing)
    await allReach(net.live, decided, 75_000)
  }, 90_000)
  afterAll(async () => {
    await net?.close()
  })
  return () => net!
}
