import type { Common } from '@ethereumjs/common'
import type { Block } from '@ethereumjs/block'
import { RLP } from '@ethereumjs/rlp'
import { BlockImportError } from '../execution/errors.ts'
import { decodeBlock } from '../execution/importBlock.ts'
import type { ChainStore } from './chainStore.ts'

/** A final block as it travels between validators and full nodes: the block and its commit certificate. */
export interface CertifiedBlock {
  block: Block
  certificate: Uint8Array
}

/** RLP [block, certificate], each as a byte string (the block's own RLP inside). */
export function encodeCertifiedBlock({ block, certificate }: CertifiedBlock): Uint8Array {
  return RLP.encode([block.serialize(), certificate])
}

/** The pair back; anything else (not RLP, a different shape, a block that does not decode) is MALFORMED. */
export function decodeCertifiedBlock(bytes: Uint8Array, common: Common): CertifiedBlock {
  let decoded: unknown
  try {
    decoded = RLP.decode(bytes)
  } catch (err) {
    throw new BlockImportError(undefined, 'MALFORMED', `certified block is not RLP: ${(err as Error).message}`)
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || !decoded.every((item) => item instanceof Uint8Array)) {
    throw new BlockImportError(undefined, 'MALFORMED', 'certified block must be RLP [block, certificate]')
  }
  const [block, certificate] = decoded as Uint8Array[]
  return { block: decodeBlock(block, common, 'certified block'), certificate }
}

/**
 * The canonical blocks from `from`, with their certificates, as peers that sync ask for them; the
 * answer stops at the head or at the first block without a certificate (a block not yet final).
 */
export async function certifiedBlocks(chain: ChainStore, from: bigint, count: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for (let number = from; out.length < count && number <= chain.headBlock.header.number; number++) {
    const block = await chain.blockByNumber(number)
    const certificate = block && (await chain.certificate(block.hash()))
    if (!block || !certificate) break
    out.push(encodeCertifiedBlock({ block, certificate }))
  }
  return out
}
