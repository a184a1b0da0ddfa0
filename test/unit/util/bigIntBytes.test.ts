import { createRequire } from 'node:module'
import * as esm from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'

const cjs = createRequire(import.meta.url)('@ethereumjs/util') as typeof esm

/** Big-endian bytes to a bigint and back, digit by digit, as the helpers answered before the patch. */
const toBigInt = (bytes: Uint8Array) => (bytes.length === 0 ? 0n : BigInt(`0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`))
const toBytes = (num: bigint) => {
  const hex = num.toString(16)
  return Uint8Array.from((hex.length % 2 ? `0${hex}` : hex).match(/../g)!, (pair) => parseInt(pair, 16))
}

/** xorshift32: the same bytes every run. */
function randomBytes(seed: number, length: number): Uint8Array {
  let x = seed
  return Uint8Array.from({ length }, () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return x & 0xff
  })
}

const edges = [0n, 1n, 255n, 256n, 65_535n, 65_536n, 2n ** 48n - 1n, 2n ** 48n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n, 2n ** 256n - 1n]
const samples = [...edges, ...Array.from({ length: 400 }, (_, i) => toBigInt(randomBytes(i + 1, i % 34)))]

describe.each([
  ['esm', esm],
  ['cjs', cjs],
])("ethereumjs' bigint conversions, patched to skip hex strings (%s)", (_, util) => {
  it('bigIntToBytes gives the minimal big-endian bytes (one zero byte for 0), and reversed when asked', () => {
    for (const num of samples) {
      expect(util.bigIntToBytes(num), String(num)).toEqual(toBytes(num))
      expect(util.bigIntToBytes(num, true), String(num)).toEqual(toBytes(num).reverse())
      expect(util.bigIntToUnpaddedBytes(num), String(num)).toEqual(num === 0n ? new Uint8Array(0) : toBytes(num))
    }
  })

  it('bytesToBigInt reads any length, leading zeros included, either way round', () => {
    for (let i = 0; i < 400; i++) {
      const bytes = randomBytes(1_000 + i, i % 40)
      if (i % 5 === 0 && bytes.length > 0) bytes[0] = 0
      expect(util.bytesToBigInt(bytes)).toBe(toBigInt(bytes))
      expect(util.bytesToBigInt(bytes, true)).toBe(toBigInt(bytes.slice().reverse()))
    }
    for (const num of samples) expect(util.bytesToBigInt(util.bigIntToBytes(num))).toBe(num)
  })

  it('still refuses what it refused: a negative bigint, and a string for bytes', () => {
    expect(() => util.bigIntToBytes(-1n)).toThrow()
    expect(() => util.bytesToBigInt('0x01' as unknown as Uint8Array)).toThrow(/not a Uint8Array|Uint8Array/)
  })
})
