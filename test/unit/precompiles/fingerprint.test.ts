import { keccak256, toUtf8Bytes } from 'ethers'
import { describe, expect, it } from 'vitest'
import { fingerprint, hash64, shingleHashes, winnow, words } from '../../../precompiles/fingerprint.ts'

const hex = (h: bigint) => `0x${h.toString(16).padStart(16, '0')}`
/** The reference the README gives: the first 8 bytes of keccak256 of the UTF-8 shingle, computed with ethers. */
const reference = (shingle: string) => BigInt(keccak256(toUtf8Bytes(shingle)).slice(0, 18))

describe('the canonical fingerprint', () => {
  it('hashes a shingle to the first 8 bytes of its keccak256', () => {
    expect(hex(hash64('hello world'))).toBe('0x47173285a8d7341e')
    expect(hash64('the quick brown')).toBe(reference('the quick brown'))
  })

  it('normalises with NFKC, lower case and collapsed whitespace', () => {
    expect(words('  Ｔｈｅ  QUICK\tbrown\n\n ﬁsh\u00a0jumps ')).toEqual(['the', 'quick', 'brown', 'fish', 'jumps'])
    expect(fingerprint('The  QUICK brown\tfox', { shingleSize: 2 })).toEqual(fingerprint('the quick brown fox', { shingleSize: 2 }))
  })

  it('hashes every run of k words joined by one space, in document order', () => {
    expect(shingleHashes(['a', 'b', 'c', 'd'], 2)).toEqual([reference('a b'), reference('b c'), reference('c d')])
    expect(fingerprint('The quick brown fox jumps over the lazy dog', { shingleSize: 3 }).map(hex)).toEqual([
      '0x5fa1ea51d7fc7be0',
      '0xd57a90149ed37b37',
      '0x7d594264b3919d5f',
      '0x364f2c69932c5917',
      '0x6f0ac4084b9510b4',
      '0xacd3c008d3b1b033',
      '0xb85e622f990106a5',
    ])
  })

  it('gives a text shorter than k words one shingle of all of them, and an empty text none', () => {
    expect(fingerprint('Two words', { shingleSize: 5 })).toEqual([reference('two words')])
    expect(fingerprint(' \n\t ')).toEqual([])
  })

  it('keeps each hash once, at its first occurrence', () => {
    expect(fingerprint('a b a b a b c', { shingleSize: 2 })).toEqual([reference('a b'), reference('b a'), reference('b c')])
  })

  it('winnows as Schleimer et al. do: the rightmost minimum of each window, each position once', () => {
    const hashes = [77, 74, 42, 17, 98, 50, 17, 98, 8, 88, 67, 39, 77, 74, 42, 17, 98].map(BigInt)
    expect(winnow(hashes, 4)).toEqual([17n, 17n, 8n, 39n, 17n])
    expect(winnow([5n, 3n, 3n], 5)).toEqual([3n])
  })

  it('winnows a long document down to at most maxShingles, a fair sample from all of it', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `word${i}`).join(' ')
    const fp = fingerprint(text)
    expect(fp.length).toBe(512)
    expect([hex(fp[0]), hex(fp[1]), hex(fp[511])]).toEqual(['0x0595a348b57ad7d3', '0x064e935f84a8aa1b', '0x0a91eee64518a6dd'])
    const all = fingerprint(text, { maxShingles: 10_000 })
    const positions = fp.map((h) => all.indexOf(h))
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]))).toBe(true)
    expect(positions[positions.length - 1]).toBeGreaterThan(all.length * 0.95)
    expect(fingerprint(text, { maxShingles: 100 }).length).toBeLessThanOrEqual(100)
  })

  it('refuses a shingle size or cap that is not a positive integer', () => {
    expect(() => fingerprint('a', { shingleSize: 0 })).toThrow(RangeError)
    expect(() => fingerprint('a', { maxShingles: 1.5 })).toThrow(RangeError)
  })
})
