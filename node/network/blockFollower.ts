import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import { decodeCertifiedBlock, type CertifiedBlock } from '../chain/certifiedBlocks.ts'
import type { ChainStore } from '../chain/chainStore.ts'
import { BlockImportError } from '../execution/errors.ts'
import type { BlockImporter } from '../execution/importBlock.ts'
import type { Logger } from '../logger.ts'
import type { Verdict } from './gossip.ts'
import type { Network } from './network.ts'
import { MAX_BLOCKS_PER_REQUEST } from './sync.ts'

/** Throws unless `certificate` proves `block` decided by the chain's validators (node/consensus). */
export type CertificateCheck = (block: Block, certificate: Uint8Array) => void

/** How often a node asks its peers whether they have blocks past its head, gossip aside. */
const CATCH_UP_INTERVAL_MS = 5_000

/**
 * Keeps a node on the certified chain: takes the blocks gossiped on the `blocks` topic (checked before
 * they are forwarded: a block that does not decode, lacks a valid certificate or fails execution is
 * rejected and counts against its sender) and, when it is behind, fetches ranges of certified blocks
 * from peers and imports them in order. Only certified blocks are imported, so nothing final is ever
 * replaced.
 */
export class BlockFollower {
  private catchingUp: Promise<void> | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly network: Network,
    private readonly chain: ChainStore,
    private readonly importer: BlockImporter,
    private readonly common: Common,
    private readonly check: CertificateCheck,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.network.gossip.subscribe('blocks', { validate: (data, from) => this.takeGossiped(data, from) })
    this.timer = setInterval(() => void this.catchUp(), CATCH_UP_INTERVAL_MS)
    this.timer.unref()
    void this.catchUp()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  /** Fetches and imports certified blocks from peers until none has more; one catch-up at a time. */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.fetchFromPeers().finally(() => (this.catchingUp = undefined))
    return this.catchingUp
  }

  private async takeGossiped(data: Uint8Array, from: string): Promise<Verdict> {
    let certified: CertifiedBlock
    try {
      certified = decodeCertifiedBlock(data, this.common)
      this.check(certified.block, certified.certificate)
    } catch (err) {
      this.log.debug({ from, err: (err as Error).message }, 'gossiped block refused')
      return 'reject'
    }
    const { number } = certified.block.header
    const head = this.chain.headBlock.header.number
    if (number <= head) return this.alreadyDecided(certified.block)
    if (number > head + 1n) {
      void this.catchUp()
      return 'accept'
    }
    return this.importCertified(certified, from)
  }

  /** A certified block at a height we have decided must be the one we have; another one means the validators forked. */
  private async alreadyDecided(block: Block): Promise<Verdict> {
    const ours = await this.chain.canonicalHash(block.header.number)
    if (ours && !equalsBytes(ours, block.hash())) {
      this.log.error({ number: Number(block.header.number), ours: bytesToHex(ours), theirs: bytesToHex(block.hash()) }, 'two certified blocks at one height: more than a third of the validators are faulty')
    }
    return 'ignore'
  }

  private async importCertified(certified: CertifiedBlock, from: string): Promise<Verdict> {
    try {
      await this.importer.importBlock(certified.block, certified.certificate)
      return 'accept'
    } catch (err) {
      if (!(err instanceof BlockImportError)) throw err
      // Another import (catch-up) may have moved the head past it meanwhile: then there is nothing to blame.
      if (err.code === 'CONFLICTS_WITH_CHAIN' || err.code === 'UNKNOWN_PARENT') return 'ignore'
      this.log.warn({ from, err: err.message }, 'certified block failed to import')
      return 'reject'
    }
  }

  private async fetchFromPeers(): Promise<void> {
    for (const peer of this.network.peers()) {
      try {
        while (await this.fetchRange(peer));
      } catch (err) {
        if (!(err instanceof BadBlockFromPeer)) {
          this.log.debug({ peer, err: (err as Error).message }, 'catch-up from peer failed')
          continue
        }
        this.log.warn({ peer, err: err.message }, 'peer served a block that is not certified or does not execute: disconnecting it')
        await this.network.hangUp(peer)
      }
    }
  }

  /** One range from `peer` past our head, each block checked and imported; false when the peer had none. */
  private async fetchRange(peer: string): Promise<boolean> {
    const from = this.chain.headBlock.header.number + 1n
    const encoded = await this.network.sync.request(peer, from, MAX_BLOCKS_PER_REQUEST)
    for (const bytes of encoded) {
      try {
        const certified = decodeCertifiedBlock(bytes, this.common)
        this.check(certified.block, certified.certificate)
        await this.importer.importBlock(certified.block, certified.certificate)
      } catch (err) {
        throw new BadBlockFromPeer((err as Error).message)
      }
    }
    if (encoded.length > 0) this.log.info({ peer, head: Number(this.chain.headBlock.header.number) }, 'caught up a range')
    return encoded.length > 0
  }
}

/** A block a peer served in catch-up failed to decode, to prove its certificate, or to import. */
class BadBlockFromPeer extends Error {
  readonly code = 'BAD_BLOCK_FROM_PEER'
}
