import type { Block } from '@ethereumjs/block'
import { bigIntToHex } from '@ethereumjs/util'
import type { RpcBackend } from '../backend.ts'
import type { ChainStore } from '../../node/chain/chainStore.ts'
import { effectiveGasPrice } from '../format.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { InvalidParamsError, ServerError } from '../errors.ts'
import { findBlock } from '../resolveBlock.ts'
import { array, blockTag, optional, type Validator } from '../validators.ts'

/** The tip suggested to wallets: 1 gwei, what anvil and Hardhat suggest on an idle devnet. */
export const SUGGESTED_TIP = 1_000_000_000n
/** geth's cap on eth_feeHistory's block count. */
const MAX_FEE_HISTORY_BLOCKS = 1024n

/** A JSON number; the range and order are checked by the method, as geth does (-32000, not -32602). */
const percentile: Validator<number> = {
  describe: 'percentile',
  parse(value, path) {
    if (typeof value !== 'number') throw new InvalidParamsError(`invalid argument ${path}: percentile must be a number`)
    return value
  },
}

/** geth's math.HexOrDecimal64: a JSON number, or a string in hex (0x) or decimal. */
const blockCount: Validator<bigint> = {
  describe: 'block count',
  parse(value, path) {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined
    if (text === undefined) throw new InvalidParamsError(`invalid argument ${path}: expected block count, got ${value === null ? 'null' : typeof value}`)
    const valid = /^0[xX][0-9a-fA-F]{1,16}$/.test(text) || /^[0-9]{1,20}$/.test(text)
    const count = valid ? BigInt(text) : -1n
    if (count < 0n || count >= 2n ** 64n) throw new InvalidParamsError(`invalid argument ${path}: invalid block count ${JSON.stringify(value)}`)
    return count
  },
}

export function feeMethods(node: RpcBackend): MethodTable {
  const nextBaseFee = () => node.chain.headBlock.header.calcNextBaseFee()
  return {
    eth_chainId: defineMethod([], () => bigIntToHex(node.common.chainId())),
    eth_syncing: defineMethod([], () => false),
    eth_gasPrice: defineMethod([], () => bigIntToHex(nextBaseFee() + SUGGESTED_TIP)),
    eth_maxPriorityFeePerGas: defineMethod([], () => bigIntToHex(SUGGESTED_TIP)),
    eth_feeHistory: defineMethod([blockCount, blockTag, optional(array(percentile, { max: 100 }))], async ([count, newest, requested]) => {
      // geth leaves out `reward` when no percentiles are asked for, an empty list included.
      const percentiles = requested && requested.length > 0 ? requested : undefined
      if (percentiles) checkPercentiles(percentiles)
      const head = node.chain.headBlock.header.number
      if (newest.kind === 'number' && newest.number > head) throw new ServerError(`request beyond head block: requested ${newest.number}, head ${head}`)
      const last = await findBlock(node.chain, newest)
      if (!last || count === 0n) return { oldestBlock: '0x0', baseFeePerGas: [], gasUsedRatio: [] }
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

/** geth's checks and messages (eth/gasprice/feehistory.go: errInvalidPercentile, Go's %f). */
function checkPercentiles(percentiles: number[]): void {
  percentiles.forEach((p, i) => {
    if (p < 0 || p > 100) throw new ServerError(`invalid reward percentile: ${p.toFixed(6)}`)
    if (i > 0 && p < percentiles[i - 1]) {
      throw new ServerError(`invalid reward percentile: #${i - 1}:${percentiles[i - 1].toFixed(6)} > #${i}:${p.toFixed(6)}`)
    }
  })
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
