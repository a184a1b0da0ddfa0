import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes, bytesToBigInt } from '@ethereumjs/util'
import type { Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { plainBytes } from './bytes.ts'
import { SyncRequestError, SyncResponseError } from './errors.ts'
import type { P2PNode } from './p2p.ts'
import { TOPIC_MAX_BYTES, syncProtocol } from './topics.ts'

/** Blocks served per request at most; a node behind asks again from where the answer ended. */
export const MAX_BLOCKS_PER_REQUEST = 64
const MAX_ITEM_BYTES = TOPIC_MAX_BYTES.blocks
const REQUEST_TIMEOUT_MS = 10_000

/** Where the blocks a peer asks for come from: each block as the chain encodes it with its certificate. */
export interface BlockSource {
  /** The canonical blocks from `from` on, at most `count`, in order; fewer (or none) past the head. */
  encodedBlocks(from: bigint, count: number): Promise<Uint8Array[]>
}

/**
 * The catch-up protocol: a request is one length-prefixed RLP [from, count]; the answer is a
 * length-prefixed RLP count n, then n length-prefixed blocks. The requester verifies each block
 * (certificate, execution) itself: the protocol only moves bytes.
 */
export class BlockSync {
  constructor(
    private readonly p2p: P2PNode,
    private readonly chainId: bigint,
  ) {}

  async serve(source: BlockSource): Promise<void> {
    await this.p2p.handle(syncProtocol(this.chainId), (stream) => this.answer(stream, source))
  }

  /** Asks `peer` for up to `count` blocks from `from`. */
  async request(peer: string, from: bigint, count: number): Promise<Uint8Array[]> {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    const stream = await this.p2p.dialProtocol(peerIdFromString(peer), syncProtocol(this.chainId), { signal })
    const lp = lpStream(stream, { maxDataLength: MAX_ITEM_BYTES })
    try {
      await lp.write(RLP.encode([bigIntToUnpaddedBytes(from), bigIntToUnpaddedBytes(BigInt(count))]), { signal })
      const n = decodeCount((await lp.read({ signal })).subarray())
      if (n > count) throw new SyncResponseError(`peer ${peer} answered ${n} blocks to a request for ${count}`)
      const blocks: Uint8Array[] = []
      for (let i = 0; i < n; i++) blocks.push(plainBytes((await lp.read({ signal })).subarray()))
      return blocks
    } finally {
      await stream.close().catch(() => stream.abort(new Error('closing the sync stream failed')))
    }
  }

  private async answer(stream: Stream, source: BlockSource): Promise<void> {
    const lp = lpStream(stream, { maxDataLength: 64 })
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    try {
      const { from, count } = decodeRequest((await lp.read({ signal })).subarray())
      const blocks = await source.encodedBlocks(from, Math.min(count, MAX_BLOCKS_PER_REQUEST))
      await lp.writeV([RLP.encode(bigIntToUnpaddedBytes(BigInt(blocks.length))), ...blocks], { signal })
      await stream.close()
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  }
}

function decodeRequest(bytes: Uint8Array): { from: bigint; count: number } {
  let decoded: unknown
  try {
    decoded = RLP.decode(bytes)
  } catch (err) {
    throw new SyncRequestError(`block request is not RLP: ${(err as Error).message}`)
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || !decoded.every((item) => item instanceof Uint8Array && item.length <= 8)) {
    throw new SyncRequestError('block request must be RLP [from, count] of two integers')
  }
  const [from, count] = decoded.map((item: Uint8Array) => bytesToBigInt(item))
  if (count === 0n) throw new SyncRequestError('block request for 0 blocks')
  return { from, count: Number(count > BigInt(MAX_BLOCKS_PER_REQUEST) ? BigInt(MAX_BLOCKS_PER_REQUEST) : count) }
}

function decodeCount(bytes: Uint8Array): number {
  let decoded: unknown
  try {
    decoded = RLP.decode(bytes)
  } catch (err) {
    throw new SyncResponseError(`block count is not RLP: ${(err as Error).message}`)
  }
  if (!(decoded instanceof Uint8Array) || decoded.length > 2) throw new SyncResponseError('block count must be a small RLP integer')
  return Number(bytesToBigInt(decoded))
}
