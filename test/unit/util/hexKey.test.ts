import { bytesToHex, bytesToUnprefixedHex } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { hexKey } from '../../../node/util/hexKey.ts'

const backing = Uint8Array.from({ length: 100 }, (_, i) => (i * 37 + 11) & 0xff)
/** Views into a larger buffer, of lengths on both sides of the patched helper's 16 bytes. */
const views = [[0, 0], [3, 4], [0, 15], [1, 17], [0, 20], [0, 32], [7, 39], [60, 100]].map(([start, end]) => backing.subarray(start, end))
const reference = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

describe('hexKey', () => {
  it('is the unprefixed lower-case hex of exactly the bytes given, from a view into a larger buffer too', () => {
    for (const view of views) expect(hexKey(view)).toBe(reference(view))
  })
})

describe("ethereumjs' bytesToUnprefixedHex, patched to one flat string from 16 bytes", () => {
  it('answers as before, for views too, with and without the prefix', () => {
    for (const view of views) {
      expect(bytesToUnprefixedHex(view)).toBe(reference(view))
      expect(bytesToHex(view)).toBe(`0x${reference(view)}`)
    }
  })

  it('still refuses what is not bytes, as @noble does', () => {
    expect(() => bytesToUnprefixedHex('0x'.padEnd(40, '0') as unknown as Uint8Array)).toThrow(/expected Uint8Array, got type=string/)
  })
})
