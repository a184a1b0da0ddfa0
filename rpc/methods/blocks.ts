import type { Block } from '@ethereumjs/block'
import { hexToBytes, intToHex } from '@ethereumjs/util'
import type { RpcBackend } from '../backend.ts'
import { formatBlock, formatBlockReceipts, formatReceiptAt, formatTx } from '../format.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { findBlock } from '../resolveBlock.ts'
import { blockRef, blockTag, bool, hash, quantity, type BlockRef } from '../validators.ts'

/** Blocks, transactions and receipts by number, hash and position; null where there is none, as geth. */
export function blockMethods(node: RpcBackend): MethodTable {
  const { chain } = node
  const byHash = (h: string) => chain.blockByHash(hexToBytes(h as `0x${string}`))
  const txAt = (block: Block | undefined, index: bigint) => {
    const tx = block && index < BigInt(block.transactions.length) ? block.transactions[Number(index)] : undefined
    return tx ? formatTx(tx, { block: block!, index: Number(index) }) : null
  }
  const receiptsOf = async (block: Block | undefined) => {
    if (!block) return null
    return formatBlockReceipts(block, (await chain.receipts(block.hash())) ?? [])
  }
  const located = async (txHash: string) => {
    const location = await chain.txLocation(hexToBytes(txHash as `0x${string}`))
    const block = location && (await chain.blockByHash(location.blockHash))
    return block && location ? { block, index: location.index } : undefined
  }
  return {
    eth_blockNumber: defineMethod([], () => intToHex(Number(chain.headBlock.header.number))),
    eth_getBlockByNumber: defineMethod([blockTag, bool], async ([ref, full]) => {
      const block = await findBlock(chain, ref)
      return block ? formatBlock(block, full) : null
    }),
    eth_getBlockByHash: defineMethod([hash, bool], async ([h, full]) => {
      const block = await byHash(h)
      return block ? formatBlock(block, full) : null
    }),
    eth_getBlockTransactionCountByNumber: defineMethod([blockTag], async ([ref]) => countOf(await findBlock(chain, ref))),
    eth_getBlockTransactionCountByHash: defineMethod([hash], async ([h]) => countOf(await byHash(h))),
    eth_getTransactionByBlockNumberAndIndex: defineMethod([blockTag, quantity], async ([ref, i]) => txAt(await findBlock(chain, ref), i)),
    eth_getTransactionByBlockHashAndIndex: defineMethod([hash, quantity], async ([h, i]) => txAt(await byHash(h), i)),
    eth_getTransactionByHash: defineMethod([hash], async ([h]) => {
      const found = await located(h)
      if (found) return formatTx(found.block.transactions[found.index], found)
      const pending = node.txpool.get(h as `0x${string}`)
      return pending ? formatTx(pending, undefined) : null
    }),
    eth_getTransactionReceipt: defineMethod([hash], async ([h]) => {
      const found = await located(h)
      if (!found) return null
      const receipts = await chain.receipts(found.block.hash())
      return receipts ? formatReceiptAt(found.block, receipts, found.index) : null
    }),
    eth_getBlockReceipts: defineMethod([blockRef], async ([ref]: [BlockRef]) => receiptsOf(await findBlock(chain, ref))),
  }
}

function countOf(block: Block | undefined): string | null {
  return block ? intToHex(block.transactions.length) : null
}

