import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { utf8ToBytes } from '@ethereumjs/util'
import { LRUCache } from 'lru-cache'
import { describe, expect, it } from 'vitest'
import { MemoizedTrie, type TrieReads } from '../../../node/execution/memoizedTrie.ts'

const key = (s: string) => utf8ToBytes(s)
const text = (v: Uint8Array | null) => (v === null ? null : new TextDecoder().decode(v))

function memoized(): { trie: MemoizedTrie; reads: TrieReads } {
  const reads: TrieReads = new LRUCache({ max: 1000 })
  return { trie: new MemoizedTrie({}, reads, { notePreimage: () => {}, noteRewriteOf: () => {}, noteStepwiseWrite: () => {}, peek: () => undefined }), reads }
}

describe('MemoizedTrie', () => {
  it('answers a repeated read at the same root from the memo, without walking the trie', async () => {
    const { trie, reads } = memoized()
    await trie.put(key('a'), key('one'))
    expect(text(await trie.get(key('a')))).toBe('one')
    expect(reads.size).toBe(1)
    // Sabotage the walk: only the memo can still answer.
    const walk = MerklePatriciaTrie.prototype.get
    MerklePatriciaTrie.prototype.get = async () => {
      throw new Error('walked')
    }
    try {
      expect(text(await trie.get(key('a')))).toBe('one')
    } finally {
      MerklePatriciaTrie.prototype.get = walk
    }
  })

  it('never serves a stale value: a write moves the root, and the new root is read afresh', async () => {
    const { trie } = memoized()
    await trie.put(key('a'), key('one'))
    expect(text(await trie.get(key('a')))).toBe('one')
    const before = trie.root()
    await trie.put(key('a'), key('two'))
    expect(text(await trie.get(key('a')))).toBe('two')
    trie.root(before)
    expect(text(await trie.get(key('a')))).toBe('one')
  })

  it('memoizes absent keys as absent, and copies share the memo', async () => {
    const { trie, reads } = memoized()
    await trie.put(key('a'), key('one'))
    expect(await trie.get(key('missing'))).toBeNull()
    const copy = trie.shallowCopy(false)
    expect(copy).toBeInstanceOf(MemoizedTrie)
    expect(await copy.get(key('missing'))).toBeNull()
    expect(text(await copy.get(key('a')))).toBe('one')
    expect(reads.size).toBe(2)
  })
})
