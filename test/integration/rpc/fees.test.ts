/** Chain id and fee suggestions: eth_chainId, eth_gasPrice, eth_maxPriorityFeePerGas, eth_feeHistory. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Wallet } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import {
  BLOCK_GAS_LIMIT,
  DEV_ADDRESSES,
  GENESIS_BASE_FEE,
  GWEI,
  big,
  devWallet,
  hex,
  nextBaseFee,
  num,
  probeDeployData,
  rpcError,
  sendAndMine,
  sendTx,
} from './helpers.ts'

const TIP = 1_000_000_000n

/** geth's reward percentile: txs sorted by tip, the first whose cumulative gas reaches p% of the block's. */
function expectedRewards(txs: { tip: bigint; gasUsed: bigint }[], blockGasUsed: bigint, percentiles: number[]): string[] {
  const sorted = [...txs].sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0))
  return percentiles.map((p) => {
    const threshold = BigInt(Math.floor((Number(blockGasUsed) * p) / 100))
    let sum = 0n
    for (const tx of sorted) {
      sum += tx.gasUsed
      if (sum >= threshold) return hex(tx.tip)
    }
    return hex(sorted[sorted.length - 1].tip)
  })
}

describe('fee methods (automine)', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await spawnNode()
  })
  afterAll(async () => {
    await t?.close()
  })

  it('eth_chainId is 0x539 (1337)', async () => {
    expect(await t.call('eth_chainId')).toBe('0x539')
  })

  it('eth_maxPriorityFeePerGas suggests 1 gwei', async () => {
    expect(big(await t.call('eth_maxPriorityFeePerGas'))).toBe(TIP)
  })

  it('eth_gasPrice on a fresh chain is the base fee after genesis (7/8 of 1 gwei) plus the tip', async () => {
    const genesis = await t.call('eth_getBlockByNumber', ['0x0', false])
    expect(big(genesis.baseFeePerGas)).toBe(GENESIS_BASE_FEE)
    expect(big(await t.call('eth_gasPrice'))).toBe(875_000_000n + TIP)
  })

  describe('after some blocks', () => {
    let head: number
    beforeAll(async () => {
      const wallet = devWallet(0)
      await sendAndMine(t, wallet, { to: DEV_ADDRESSES[1], value: 1n, gasLimit: 21_000n })
      await sendAndMine(t, wallet, { data: probeDeployData(5n), gasLimit: 1_000_000n })
      await sendAndMine(t, wallet, { to: DEV_ADDRESSES[2], value: 2n, gasLimit: 21_000n, type: 0, gasPrice: 3n * GWEI })
      await sendAndMine(t, wallet, { to: DEV_ADDRESSES[3], value: 3n, gasLimit: 21_000n })
      head = num(await t.call('eth_blockNumber'))
      expect(head).toBeGreaterThanOrEqual(4)
    })

    it('eth_gasPrice = base fee of the next block (EIP-1559 from the head) + eth_maxPriorityFeePerGas', async () => {
      const latest = await t.call('eth_getBlockByNumber', ['latest', false])
      const tip = big(await t.call('eth_maxPriorityFeePerGas'))
      expect(big(await t.call('eth_gasPrice'))).toBe(nextBaseFee(latest) + tip)
    })

    it('eth_feeHistory: count+1 base fees equal to the blocks\' (and the next), gasUsedRatio = gasUsed/gasLimit', async () => {
      const count = 4
      const history = await t.call('eth_feeHistory', [hex(count), 'latest', []])
      expect(history.oldestBlock).toBe(hex(head - count + 1))
      expect(history.baseFeePerGas).toHaveLength(count + 1)
      expect(history.gasUsedRatio).toHaveLength(count)
      expect(history.reward).toBeUndefined()
      for (let i = 0; i < count; i++) {
        const block = await t.call('eth_getBlockByNumber', [hex(head - count + 1 + i), false])
        expect(history.baseFeePerGas[i]).toBe(block.baseFeePerGas)
        expect(history.gasUsedRatio[i]).toBe(Number(big(block.gasUsed)) / Number(big(block.gasLimit)))
        expect(history.gasUsedRatio[i]).toBeGreaterThan(0) // every block here has a transaction
      }
      const latest = await t.call('eth_getBlockByNumber', ['latest', false])
      expect(big(history.baseFeePerGas[count])).toBe(nextBaseFee(latest))
      expect(big(latest.gasLimit)).toBe(BLOCK_GAS_LIMIT)
    })

    it('eth_feeHistory ending at an older block number, and without percentiles has no reward field', async () => {
      const history = await t.call('eth_feeHistory', ['0x2', hex(head - 1)])
      expect(history.oldestBlock).toBe(hex(head - 2))
      const newest = await t.call('eth_getBlockByNumber', [hex(head - 1), false])
      const next = await t.call('eth_getBlockByNumber', [hex(head), false])
      expect(history.baseFeePerGas).toHaveLength(3)
      expect(history.baseFeePerGas[1]).toBe(newest.baseFeePerGas)
      expect(history.baseFeePerGas[2]).toBe(next.baseFeePerGas) // the block after is the computed next base fee
      expect(history.reward).toBeUndefined()
    })

    it('eth_feeHistory clips a count that reaches before genesis', async () => {
      const history = await t.call('eth_feeHistory', ['0x400', 'latest', []])
      expect(history.oldestBlock).toBe('0x0')
      expect(history.baseFeePerGas).toHaveLength(head + 2)
      expect(big(history.baseFeePerGas[0])).toBe(GENESIS_BASE_FEE)
      expect(history.gasUsedRatio[0]).toBe(0)
    })

    it('eth_feeHistory takes the block count as hex, decimal string or JSON number (geth: HexOrDecimal64)', async () => {
      const reference = await t.call('eth_feeHistory', ['0x3', 'latest', [50]])
      expect(await t.call('eth_feeHistory', [3, 'latest', [50]])).toEqual(reference)
      expect(await t.call('eth_feeHistory', ['3', 'latest', [50]])).toEqual(reference)
      expect(reference.gasUsedRatio).toHaveLength(3)
    })

    it('eth_feeHistory on a block beyond the head is geth\'s "request beyond head block"', async () => {
      const err = await rpcError(t, 'eth_feeHistory', ['0x1', hex(head + 10), []])
      expect(err.code).toBe(-32000)
      expect(err.message).toBe(`request beyond head block: requested ${head + 10}, head ${head}`)
    })

    it('eth_feeHistory refuses descending or out-of-range percentiles with geth\'s messages', async () => {
      const descending = await rpcError(t, 'eth_feeHistory', ['0x2', 'latest', [10, 50, 20]])
      expect(descending.code).toBe(-32000)
      expect(descending.message).toBe('invalid reward percentile: #1:50.000000 > #2:20.000000')
      const above = await rpcError(t, 'eth_feeHistory', ['0x2', 'latest', [10, 100.5]])
      expect(above.code).toBe(-32000)
      expect(above.message).toBe('invalid reward percentile: 100.500000')
      const negative = await rpcError(t, 'eth_feeHistory', ['0x2', 'latest', [-1]])
      expect(negative.message).toBe('invalid reward percentile: -1.000000')
      const notNumber = await rpcError(t, 'eth_feeHistory', ['0x2', 'latest', ['50']])
      expect(notNumber.code).toBe(-32602)
    })
  })
})

describe('eth_feeHistory rewards (manual mining, one block with known tips)', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await spawnNode({ mining: { kind: 'manual' } })
  })
  afterAll(async () => {
    await t?.close()
  })

  it('reward percentiles are the effective tips weighted by gas used, as geth computes them', async () => {
    const baseFee = big((await t.call('eth_feeHistory', ['0x1', 'latest', []])).baseFeePerGas[1])
    expect(baseFee).toBe(875_000_000n)
    const recipient = Wallet.createRandom().address
    // A big deployment with a small tip, three transfers with larger (effective) tips, one of them
    // legacy (tip = gasPrice - baseFee) and one capped by its fee cap (tip = maxFee - baseFee).
    const hashes = [
      await sendTx(t, devWallet(0), { data: probeDeployData(1n), gasLimit: 1_000_000n, maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: 1n * GWEI }),
      await sendTx(t, devWallet(1), { to: recipient, value: 1n, gasLimit: 21_000n, maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: 3n * GWEI }),
      await sendTx(t, devWallet(2), { to: recipient, value: 1n, gasLimit: 21_000n, type: 0, gasPrice: baseFee + 2n * GWEI }),
      await sendTx(t, devWallet(3), { to: recipient, value: 1n, gasLimit: 21_000n, maxFeePerGas: baseFee + GWEI / 2n, maxPriorityFeePerGas: (12n * GWEI) / 10n }),
    ]
    const block = await t.node.miner.mine()
    expect(block.transactions).toHaveLength(4)
    const json = await t.call('eth_getBlockByNumber', ['latest', false])
    expect(big(json.baseFeePerGas)).toBe(baseFee)

    const tips = [1n * GWEI, 3n * GWEI, 2n * GWEI, GWEI / 2n]
    const txs = await Promise.all(
      hashes.map(async (h, i) => ({ tip: tips[i], gasUsed: big((await t.call('eth_getTransactionReceipt', [h])).gasUsed) })),
    )
    expect(txs[0].gasUsed).toBeGreaterThan(100_000n) // the deployment dominates the block's gas
    const percentiles = [0, 10, 25, 50, 75, 80, 90, 95, 100]
    const history = await t.call('eth_feeHistory', ['0x1', 'latest', percentiles])
    expect(history.oldestBlock).toBe(json.number)
    expect(history.reward).toHaveLength(1)
    expect(history.reward[0]).toEqual(expectedRewards(txs, big(json.gasUsed), percentiles))
    // By hand: the lowest effective tip is the capped one (0.5 gwei), the highest 3 gwei, and the
    // deployment's 1 gwei covers the middle of the block's gas.
    expect(history.reward[0][0]).toBe(hex(GWEI / 2n))
    expect(history.reward[0][3]).toBe(hex(GWEI))
    expect(history.reward[0][percentiles.length - 1]).toBe(hex(3n * GWEI))
    expect(history.gasUsedRatio[0]).toBe(Number(big(json.gasUsed)) / Number(big(json.gasLimit)))
  })

  it('an empty block has all-zero rewards, and an empty percentile list asks for no rewards', async () => {
    await t.node.miner.mine()
    const history = await t.call('eth_feeHistory', ['0x2', 'latest', [25, 75]])
    expect(history.reward).toHaveLength(2)
    expect(history.reward[0]).not.toEqual(['0x0', '0x0']) // the block with transactions
    expect(history.reward[1]).toEqual(['0x0', '0x0'])
    expect(history.gasUsedRatio[1]).toBe(0)
    const none = await t.call('eth_feeHistory', ['0x2', 'latest', []])
    expect(none.reward).toBeUndefined()
  })
})
