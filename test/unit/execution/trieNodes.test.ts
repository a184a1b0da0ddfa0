import { RLP } from '@ethereumjs/rlp'
import { bytesToHex } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { encodeNodeList } from '../../../node/execution/trieNodes.ts'

const filled = (length: number, byte = 0xab) => new Uint8Array(length).fill(byte)

describe('encodeNodeList', () => {
  it.each([
    ['empty strings', [new Uint8Array(0), new Uint8Array(0)]],
    ['single bytes below and at 0x80', [Uint8Array.of(0x00), Uint8Array.of(0x7f), Uint8Array.of(0x80), Uint8Array.of(0xff)]],
    ['strings of 55 and 56 bytes (the long header starts at 56)', [filled(55), filled(56)]],
    ['strings of 255, 256 and 70,000 bytes (one, two and three length bytes)', [filled(255), filled(256), filled(70_000)]],
    ['a branch: sixteen hashes and a value, a payload past 255 bytes', [...Array.from({ length: 16 }, (_, i) => filled(32, i)), filled(3)]],
    ['a short list (payload under 56 bytes)', [Uint8Array.of(0x20, 0x01), Uint8Array.of(0x05)]],
  ])('encodes strings as @ethereumjs/rlp does: %s', (_name, items) => {
    expect(bytesToHex(encodeNodeList(items, items.map(() => false)))).toBe(bytesToHex(RLP.encode(items)))
  })

  it('puts an inlined node in as its own encoding, as RLP nests a list', () => {
    const inner: Uint8Array[] = [Uint8Array.of(0x31), Uint8Array.of(0x02, 0x03)]
    const items = [Uint8Array.of(0x00), RLP.encode(inner), new Uint8Array(0)]
    const expected = RLP.encode([items[0], inner, items[2]])
    expect(bytesToHex(encodeNodeList(items, [false, true, false]))).toBe(bytesToHex(expected))
  })
})
