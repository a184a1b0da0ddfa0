import { createRequire } from 'node:module'
import * as esm from '@ethereumjs/rlp'
import { describe, expect, it } from 'vitest'

const cjs = createRequire(import.meta.url)('@ethereumjs/rlp') as typeof esm

type Item = Uint8Array | Item[]

/** RLP as the yellow paper defines it, item by item: what @ethereumjs/rlp's encode gave before the patch. */
function reference(item: Item): Uint8Array {
  const prefixed = (payload: Uint8Array, offset: number) => {
    if (payload.length < 56) return new Uint8Array(Buffer.concat([Uint8Array.of(offset + payload.length), payload]))
    const hex = payload.length.toString(16)
    const length = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')
    return new Uint8Array(Buffer.concat([Uint8Array.of(offset + 55 + length.length), length, payload]))
  }
  if (Array.isArray(item)) return prefixed(Buffer.concat(item.map(reference)), 192)
  return item.length === 1 && item[0] < 128 ? item : prefixed(item, 128)
}

/** xorshift32: the same structures every run. */
function rng(seed: number): (n: number) => number {
  let x = seed
  return (n) => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) % n)
}

/** Byte strings around the length boundaries (a byte below and above 0x80, 55/56, 255/256, 2 bytes of length), in lists nested up to 4 deep. */
function randomItem(next: (n: number) => number, depth: number): Item {
  if (depth < 4 && next(3) === 0) return Array.from({ length: next(6) }, () => randomItem(next, depth + 1))
  const lengths = [0, 1, 1, 2, 20, 32, 54, 55, 56, 57, 255, 256, 1024]
  const length = lengths[next(lengths.length)]
  return Uint8Array.from({ length }, () => next(256))
}

describe.each([
  ['esm', esm],
  ['cjs', cjs],
])('@ethereumjs/rlp encode, patched to write lists in one pass (%s)', (_, rlp) => {
  it('encodes lists exactly as item-by-item RLP, at every length boundary and nesting', () => {
    const next = rng(2024)
    for (let i = 0; i < 300; i++) {
      const list = Array.from({ length: next(8) }, () => randomItem(next, 1))
      const encoded = rlp.RLP.encode(list)
      expect(Buffer.from(encoded).toString('hex')).toBe(Buffer.from(reference(list)).toString('hex'))
      expect(rlp.RLP.decode(encoded)).toEqual(list)
    }
  })

  it('encodes lists whose payload is 55, 56, 255, 256 and 65,536 bytes with the right length prefix', () => {
    for (const payload of [0, 55, 56, 255, 256, 65_536]) {
      const list = payload === 0 ? [] : [new Uint8Array(payload - (payload < 58 ? 1 : payload < 259 ? 2 : 3)).fill(0x80)]
      const encoded = rlp.RLP.encode(list)
      expect(Buffer.from(encoded).toString('hex')).toBe(Buffer.from(reference(list)).toString('hex'))
      expect(encoded.length - payload).toBe(payload < 56 ? 1 : payload < 256 ? 2 : payload < 65_536 ? 3 : 4)
    }
  })

  it('takes what toBytes takes inside lists: numbers, bigints, hex and text strings, null', () => {
    const list = [0, 127, 128, 1_000_000, 0n, 2n ** 70n, '0x', '0x01ff', 'dog', null, [[], ['cat']]]
    const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'))
    const text = (t: string) => new TextEncoder().encode(t)
    const asBytes: Item = [hex(''), hex('7f'), hex('80'), hex('0f4240'), hex(''), hex('400000000000000000'), hex(''), hex('01ff'), text('dog'), hex(''), [[], [text('cat')]]]
    expect(rlp.RLP.encode(list as never)).toEqual(reference(asBytes))
  })
})
