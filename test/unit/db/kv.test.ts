import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Bucket, MetaKey, bucketKey, bucketKeyFromHex, bucketRange, metaKey, numberKey } from '../../../node/db/buckets.ts'
import { openKV, type KV, type KVOp } from '../../../node/db/kv.ts'
import { tempDir } from '../support/harness.ts'

const bytes = (...b: number[]) => Uint8Array.from(b)
const text = (s: string) => new TextEncoder().encode(s)
/** Values compare as text: the levels hand back Buffers, which toEqual tells apart from Uint8Arrays. */
const str = (v: Uint8Array | undefined) => (v === undefined ? undefined : new TextDecoder().decode(v))

async function collect(iter: AsyncIterable<Uint8Array>): Promise<string[]> {
  const out: string[] = []
  for await (const v of iter) out.push(str(v)!)
  return out
}

for (const kind of ['classic-level on disk', 'memory-level'] as const) {
  describe(`KV over ${kind}`, () => {
    let kv: KV
    let dir: string | undefined
    let remove: (() => Promise<void>) | undefined

    beforeEach(async () => {
      if (kind === 'classic-level on disk') ({ dir, remove } = await tempDir('olnode-kv-'))
      kv = await openKV({ path: dir })
    })
    afterEach(async () => {
      await kv.close()
      await remove?.()
      dir = undefined
      remove = undefined
    })

    it('get of a missing key is undefined; a batch makes every op visible at once', async () => {
      expect(await kv.get(bytes(1, 2, 3))).toBeUndefined()
      await kv.batch([
        { type: 'put', key: bytes(1, 1), value: text('a') },
        { type: 'put', key: bytes(1, 2), value: text('b') },
        { type: 'put', key: bytes(1, 3), value: text('c') },
      ])
      await kv.batch([
        { type: 'del', key: bytes(1, 1) },
        { type: 'put', key: bytes(1, 2), value: text('B') },
        { type: 'put', key: bytes(1, 4), value: new Uint8Array() },
      ])
      expect(await kv.get(bytes(1, 1))).toBeUndefined()
      expect(str(await kv.get(bytes(1, 2)))).toBe('B')
      expect(str(await kv.get(bytes(1, 3)))).toBe('c')
      expect(str(await kv.get(bytes(1, 4)))).toBe('')
    })

    it('a later op in a batch wins over an earlier one on the same key', async () => {
      await kv.batch([
        { type: 'put', key: bytes(9), value: text('first') },
        { type: 'put', key: bytes(9), value: text('second') },
        { type: 'put', key: bytes(8), value: text('gone') },
        { type: 'del', key: bytes(8) },
      ])
      expect(str(await kv.get(bytes(9)))).toBe('second')
      expect(await kv.get(bytes(8))).toBeUndefined()
    })

    it('a batch with one invalid op fails and writes none of its ops', async () => {
      await kv.batch([{ type: 'put', key: bytes(5, 0), value: text('old') }])
      const bad: KVOp[] = [
        { type: 'put', key: bytes(5, 1), value: text('x') },
        { type: 'del', key: bytes(5, 0) },
        { type: 'put', key: bytes(5, 2), value: undefined as unknown as Uint8Array },
      ]
      await expect(kv.batch(bad)).rejects.toThrow()
      const noKey: KVOp[] = [
        { type: 'put', key: bytes(5, 3), value: text('y') },
        { type: 'put', key: null as unknown as Uint8Array, value: text('z') },
      ]
      await expect(kv.batch(noKey)).rejects.toThrow()
      const badType = [{ type: 'merge', key: bytes(5, 4), value: text('w') }] as unknown as KVOp[]
      await expect(kv.batch(badType)).rejects.toThrow()
      expect(await kv.get(bytes(5, 1))).toBeUndefined()
      expect(await kv.get(bytes(5, 3))).toBeUndefined()
      expect(str(await kv.get(bytes(5, 0)))).toBe('old')
      expect(await collect(kv.values(bucketRange(5 as Bucket)))).toEqual(['old'])
    })

    it('values() of a bucket range yields exactly that bucket, in key order, honouring limit', async () => {
      await kv.batch([
        { type: 'put', key: bucketKey(Bucket.canonical, numberKey(256n)), value: text('n256') },
        { type: 'put', key: bucketKey(Bucket.block, bytes(0xff, 0xff)), value: text('block') },
        { type: 'put', key: bucketKey(Bucket.canonical, numberKey(2n)), value: text('n2') },
        { type: 'put', key: bucketKey(Bucket.canonical, numberKey(65_536n)), value: text('n65536') },
        { type: 'put', key: bucketKey(Bucket.txIndex, new Uint8Array()), value: text('tx') },
        { type: 'put', key: bucketKey(Bucket.canonical, numberKey(0n)), value: text('n0') },
        { type: 'put', key: metaKey(MetaKey.head), value: text('head') },
      ])
      // numberKey is big-endian, so key order is block order (2 < 256 < 65536).
      expect(await collect(kv.values(bucketRange(Bucket.canonical)))).toEqual(['n0', 'n2', 'n256', 'n65536'])
      expect(await collect(kv.values({ ...bucketRange(Bucket.canonical), limit: 2 }))).toEqual(['n0', 'n2'])
      expect(await collect(kv.values(bucketRange(Bucket.block)))).toEqual(['block'])
      expect(await collect(kv.values(bucketRange(Bucket.txIndex)))).toEqual(['tx'])
      expect(await collect(kv.values(bucketRange(Bucket.meta)))).toEqual(['head'])
      expect(await collect(kv.values(bucketRange(Bucket.state)))).toEqual([])
    })
  })
}

describe('KV on disk', () => {
  it('keeps what was written across close and reopen', async () => {
    const { dir, remove } = await tempDir('olnode-kv-reopen-')
    try {
      const kv = await openKV({ path: dir, sync: true })
      await kv.batch([
        { type: 'put', key: metaKey('a'), value: text('1') },
        { type: 'put', key: metaKey('b'), value: text('2') },
      ])
      await kv.batch([{ type: 'del', key: metaKey('a') }])
      await kv.close()
      const again = await openKV({ path: dir })
      expect(await again.get(metaKey('a'))).toBeUndefined()
      expect(str(await again.get(metaKey('b')))).toBe('2')
      await again.close()
    } finally {
      await remove()
    }
  })

  it('refuses a batch once closed, with LevelDB\'s error, and a bad op before writing with a typed one', async () => {
    const { dir, remove } = await tempDir('olnode-kv-closed-')
    try {
      const kv = await openKV({ path: dir })
      await expect(kv.batch([{ type: 'put', key: bytes(1), value: undefined as unknown as Uint8Array }])).rejects.toMatchObject({ code: 'INVALID_BATCH_OP', message: 'batch op 0: the value of a put is not bytes; nothing of the batch was written' })
      await kv.close()
      await expect(kv.batch([{ type: 'put', key: bytes(1), value: text('x') }])).rejects.toMatchObject({ code: 'LEVEL_DATABASE_NOT_OPEN' })
    } finally {
      await remove()
    }
  })

  it('an in-memory KV starts empty every time', async () => {
    const kv = await openKV({})
    await kv.batch([{ type: 'put', key: metaKey('a'), value: text('1') }])
    await kv.close()
    const fresh = await openKV({})
    expect(await fresh.get(metaKey('a'))).toBeUndefined()
    await fresh.close()
  })
})

describe('buckets', () => {
  it('prefix keys with their bucket byte and give ranges that hold only that bucket', () => {
    expect(bucketKey(Bucket.receipts, bytes(7, 8))).toEqual(bytes(Bucket.receipts, 7, 8))
    expect(metaKey(MetaKey.genesis)).toEqual(bytes(Bucket.meta, ...text('genesis')))
    expect(numberKey(0x0102n)).toEqual(bytes(0, 0, 0, 0, 0, 0, 1, 2))
    const values = Object.values(Bucket)
    expect(new Set(values).size).toBe(values.length)
    for (const b of values) {
      const { gte, lt } = bucketRange(b)
      expect(gte).toEqual(bytes(b))
      expect(lt).toEqual(bytes(b + 1))
    }
  })

  it('make the same key from hex as from bytes, and refuse hex that is not whole bytes of hex digits', () => {
    const hash = Uint8Array.from({ length: 32 }, (_, i) => (i * 29 + 3) & 0xff)
    expect(bucketKeyFromHex(Bucket.state, Buffer.from(hash).toString('hex'))).toEqual(bucketKey(Bucket.state, hash))
    expect(bucketKeyFromHex(Bucket.state, '')).toEqual(bytes(Bucket.state))
    for (const bad of ['abc', 'zz', 'aabbg0', 'aa bb']) expect(() => bucketKeyFromHex(Bucket.state, bad), bad).toThrow(TypeError)
  })
})
