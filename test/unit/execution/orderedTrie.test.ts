import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { genTransactionsTrieRoot } from '@ethereumjs/block'
import { createFeeMarket1559Tx } from '@ethereumjs/tx'
import { bytesToHex, hexToBytes, KECCAK256_RLP } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { orderedTrieRoot, transactionsRoot } from '../../../node/execution/orderedTrie.ts'

/** The root ethereumjs' MPT gives for RLP(i) -> values[i], inserted one by one (the reference). */
async function mptRoot(values: Uint8Array[]): Promise<string> {
  const trie = new MerklePatriciaTrie()
  for (const [i, value] of values.entries()) await trie.put(RLP.encode(i), value)
  return bytesToHex(trie.root())
}

/** Deterministic bytes: a small xorshift, so failures reproduce. */
function randomValues(count: number, maxLength: number, seed: number): Uint8Array[] {
  let x = seed
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0)
  return Array.from({ length: count }, () => Uint8Array.from({ length: 1 + (next() % maxLength) }, () => next() & 0xff))
}

describe('orderedTrieRoot', () => {
  it('is the empty trie root for no values', () => {
    expect(orderedTrieRoot([])).toEqual(KECCAK256_RLP)
  })

  // Sizes around the single-byte keys (1..127), RLP(0) = 0x80 and the two-byte keys from 128 on,
  // and the 16/256 fan-out boundaries.
  it.each([1, 2, 3, 15, 16, 17, 127, 128, 129, 255, 256, 257, 1_000])('matches the MPT built by inserts for %i values', async (count) => {
    const values = randomValues(count, 200, count)
    expect(bytesToHex(orderedTrieRoot(values))).toBe(await mptRoot(values))
  })

  it('matches when values are short enough that nodes are inlined in their parents', async () => {
    for (const count of [2, 5, 17, 130, 300]) {
      const values = randomValues(count, 4, 7 * count)
      expect(bytesToHex(orderedTrieRoot(values)), `${count} values`).toBe(await mptRoot(values))
    }
  })

  it('gives a different root when one value changes or the order changes', () => {
    const values = randomValues(50, 100, 3)
    const root = bytesToHex(orderedTrieRoot(values))
    const changed = values.map((v, i) => (i === 31 ? Uint8Array.of(...v, 1) : v))
    expect(bytesToHex(orderedTrieRoot(changed))).not.toBe(root)
    expect(bytesToHex(orderedTrieRoot([values[1], values[0], ...values.slice(2)]))).not.toBe(root)
  })
})

describe('transactionsRoot', () => {
  it("equals ethereumjs' genTransactionsTrieRoot for signed transactions", async () => {
    const key = hexToBytes('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
    const txs = Array.from({ length: 140 }, (_, nonce) =>
      createFeeMarket1559Tx({ chainId: 1n, nonce, to: `0x${'11'.repeat(20)}`, value: BigInt(nonce), gasLimit: 21_000n, maxFeePerGas: 10n ** 10n }).sign(key),
    )
    expect(bytesToHex(transactionsRoot(txs))).toBe(bytesToHex(await genTransactionsTrieRoot(txs)))
  })
})
