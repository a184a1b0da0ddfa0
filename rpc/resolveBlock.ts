import type { Block } from '@ethereumjs/block'
import { hexToBytes } from '@ethereumjs/util'
import type { ChainStore } from '../node/chain/chainStore.ts'
import { ServerError } from './errors.ts'
import type { BlockRef } from './validators.ts'

/**
 * The block a tag, number or EIP-1898 object names, or undefined if there is none.
 * The devnet's blocks are final once sealed, so safe and finalized are the head; pending is the head
 * too (its transactions are sealed at once under automine).
 */
export async function findBlock(chain: ChainStore, ref: BlockRef): Promise<Block | undefined> {
  switch (ref.kind) {
    case 'tag':
      return ref.tag === 'earliest' ? chain.blockByNumber(0n) : chain.headBlock
    case 'number':
      return chain.blockByNumber(ref.number)
    case 'hash': {
      const block = await chain.blockByHash(hexToBytes(ref.hash as `0x${string}`))
      if (block && ref.requireCanonical && !(await chain.isCanonical(block))) {
        throw new ServerError(`hash ${ref.hash} is not currently canonical`)
      }
      return block
    }
  }
}

/** Like `findBlock`, but a missing block is geth's "header not found" error (for state reads). */
export async function requireBlock(chain: ChainStore, ref: BlockRef): Promise<Block> {
  const block = await findBlock(chain, ref)
  if (!block) throw new ServerError(ref.kind === 'hash' ? `header for hash not found` : 'header not found')
  return block
}
