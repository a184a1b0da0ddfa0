import type { Block } from '@ethereumjs/block'
import { bigIntToHex } from '@ethereumjs/util'
import type { RpcBackend } from '../backend.ts'
import type { ChainStore } from '../../node/chain/chainStore.ts'
import { effectiveGasPrice } from '../format.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { InvalidParamsError } from '../errors.ts'
import { findBlock } from '../resolveBlock.ts'
import { array, blockTag, optional, quantity, type Validator } from '../validators.ts'

/** The tip suggested to wallets: 1 gwei, what anvil and Hardhat suggest on an idle devnet. */
export const SUGGESTED_TIP = 1_000_000_000n
/** geth's cap on eth_feeHistory's block count. */
const MAX_FEE_HISTORY_BLOCKS = 1024n

const percentile: Validator<number> = {
  describe: 'percentile',
  parse(value, path) {
    if (typeof value !== 'number' || !(value >= 0 && value <= 100)) throw new InvalidParamsError(`invalid argument ${path}: percentile must be a number in [0, 100]`)
    return value
  },
}

export function feeMethods(node: RpcBackend): MethodTable {
  const nextBaseFee = () => node.chain.headBlock.header.calcNextBaseFee()
  return {
    eth_chainId: defineMethod([], () => bigIntToHex(node.common.chainId())),
    eth_syncing: defineMethod([], () => false),
    eth_gasPrice: defineMethod([], () => bigIntToHex(nextBaseFee() + SUGGESTED_TIP)),
    eth_maxPriorityFeePerGas: defineMethod([], () => bigIntToHex(SUGGESTED_TIP)),
    eth_feeHistory: defineMethod([quantity, blockTag, optional(array(percentile, { max: 100 }))], async ([count, newest, percentiles]) => {
      if (percentiles) assertAscending(percentiles)
      const last = await findBlock(node.chain, newest)
      if (!last || count === 0n) return { oldestBlock: '0x0', baseFeePerGas: [], gasUsedRatio: [], ...(percentiles && { reward: [] }) }
      const blocks = await blocksEndingAt(node.chain, last, count > MAX_FEE_HISTORY_BLOCKS ? MAX_FEE_HISTORY_BLOCKS : count)
      const rewards = percentiles && (await Promise.all(blocks.map((b) => blockRewards(node.chain, b, percentiles))))
      return {
        oldestBlock: bigIntToHex(blocks[0].header.number),
        baseFeePerGas: [...blocks.map((b) => bigIntToHex(b.header.baseFeePerGas ?? 0n)), bigIntToHex(last.header.calcNextBaseFee())],
        gasUsedRatio: blocks.map((b) => Number(b.header.gasUsed) / Number(b.header.gasLimit)),
        ...(rewards && { reward: rewards }),
      }
    }),
  }
}

function assertAscending(percentiles: number[]): void {
  for (let i = 1; i < percentiles.length; i++) {
    if (percentiles[i] < percentiles[i - 1]) throw new InvalidParamsError(`invalid reward percentile: #${i - 1}:${percentiles[i - 1]} > #${i}:${percentiles[i]}`)
  }
}

async function blocksEndingAt(chain: ChainStore, last: Block, count: bigint): Promise<Block[]> {
  const first = last.header.number + 1n > count ? last.header.number + 1n - count : 0n
  const blocks: Block[] = []
  for (let n = first; n < last.header.number; n++) blocks.push((await chain.blockByNumber(n))!)
  blocks.push(last)
  return blocks
}

/** Tips at the given percentiles of gas used in the block, as geth computes them (txs sorted by tip). */
async function blockRewards(chain: ChainStore, block: Block, percentiles: number[]): Promise<string[]> {
  const baseFee = block.header.baseFeePerGas ?? 0n
  if (block.transactions.length === 0) return percentiles.map(() => '0x0')
  const receipts = (await chain.receipts(block.hash())) ?? []
  const txs = block.transactions
    .map((tx, i) => ({
      tip: effectiveGasPrice(tx, baseFee) - baseFee,
      gas: receipts[i].cumulativeGasUsed - (i === 0 ? 0n : receipts[i - 1].cumulativeGasUsed),
    }))
    .sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0))
  return percentiles.map((p) => {
    const threshold = (block.header.gasUsed * BigInt(Math.round(p * 100))) / 10_000n
    let sum = 0n
    for (const tx of txs) {
      sum += tx.gas
      if (sum >= threshold) return bigIntToHex(tx.tip)
    }
    return bigIntToHex(txs[txs.length - 1].tip)
  })
}
