import { bytesToUnprefixedHex } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { hexKey } from '../../../node/util/hexKey.ts'

describe('hexKey', () => {
  it('is the unprefixed lower-case hex of exactly the bytes given, from a view into a larger buffer too', () => {
    const backing = Uint8Array.from({ length: 100 }, (_, i) => (i * 37 + 11) & 0xff)
    for (const [start, end] of [[0, 0], [0, 32], [7, 39], [60, 100]]) {
      const view = backing.subarray(start, end)
      expect(hexKey(view)).toBe(bytesToUnprefixedHex(view))
    }
  })
})
