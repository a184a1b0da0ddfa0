import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex } from '@ethereumjs/util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readChainFile, writeChainFile } from '../../../node/chain/chainFile.ts'
import { ChainFileError } from '../../../node/chain/errors.ts'
import { rlpItems, type StreamItem } from '../../../node/chain/rlpStream.ts'
import { tempDir } from '../support/harness.ts'

/** Lists of every framing: empty, short form, 1-byte and 2-byte and 3-byte long form. */
const ITEMS = [RLP.encode([]), RLP.encode([Uint8Array.of(1, 2, 3)]), RLP.encode([new Uint8Array(60)]), RLP.encode([new Uint8Array(300), [Uint8Array.of(7)]]), RLP.encode([new Uint8Array(70_000)])]
const STREAM = Uint8Array.from(ITEMS.flatMap((i) => [...i]))

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size)
}

async function collect(source: AsyncIterable<StreamItem>): Promise<StreamItem[]> {
  const out: StreamItem[] = []
  for await (const item of source) out.push(item)
  return out
}

async function failure(source: AsyncIterable<unknown>): Promise<ChainFileError> {
  try {
    for await (const _ of source);
  } catch (err) {
    expect(err).toBeInstanceOf(ChainFileError)
    return err as ChainFileError
  }
  throw new Error('the stream was read to its end')
}

describe('rlpItems', () => {
  for (const size of [1, 2, 7, 64, 4096, STREAM.length]) {
    it(`splits concatenated RLP lists, whatever the chunks (${size} bytes)`, async () => {
      const items = await collect(rlpItems(chunked(STREAM, size)))
      expect(items.map((i) => bytesToHex(i.bytes))).toEqual(ITEMS.map(bytesToHex))
      expect(items.map((i) => i.index)).toEqual([0, 1, 2, 3, 4])
      let offset = 0
      for (const [i, item] of items.entries()) {
        expect(item.offset).toBe(offset)
        offset += ITEMS[i].length
      }
    })
  }

  it('an empty stream has no items', async () => {
    expect(await collect(rlpItems(chunked(new Uint8Array(), 1)))).toEqual([])
  })

  it('a stream ending inside an item, or inside its length, is TRUNCATED, after the whole items before it', async () => {
    const cut = ITEMS[0].length + ITEMS[1].length + ITEMS[2].length + 10
    const seen: number[] = []
    const err = await failure(
      (async function* () {
        for await (const item of rlpItems(chunked(STREAM.subarray(0, cut), 5))) yield seen.push(item.index)
      })(),
    )
    expect(seen).toEqual([0, 1, 2])
    expect(err.code).toBe('TRUNCATED')
    expect(err.message).toBe(`truncated: item 3 (at byte ${cut - 10}) needs ${ITEMS[3].length} bytes, only 10 bytes remain`)
    const inLength = await failure(rlpItems(chunked(Uint8Array.of(0xb9 + 0x40, 0x01), 1)))
    expect(inLength.message).toBe('truncated: item 0 (at byte 0) needs its length, only 2 bytes remain')
  })

  it('a byte that does not start a list, or a length not in canonical form, is CORRUPT', async () => {
    const notList = await failure(rlpItems(chunked(Uint8Array.of(...ITEMS[1], 0x83, 1, 2, 3), 3)))
    expect(notList.code).toBe('CORRUPT')
    expect(notList.message).toBe(`corrupt: expected an RLP list at byte ${ITEMS[1].length}, found 0x83`)
    expect((await failure(rlpItems(chunked(Uint8Array.of(0xf8, 0x10, ...new Uint8Array(16)), 4)))).message).toMatch(/non-canonical RLP length at byte 0 \(16 fits the short form\)/)
    expect((await failure(rlpItems(chunked(Uint8Array.of(0xf9, 0x00, 0x40, ...new Uint8Array(64)), 4)))).message).toMatch(/non-canonical RLP length at byte 0 \(leading zero\)/)
  })

  it('an item claiming more bytes than a block may have is CORRUPT, before anything is buffered', async () => {
    const err = await failure(rlpItems(chunked(Uint8Array.of(0xfb, 0xff, 0xff, 0xff, 0xff), 5), 1000))
    expect(err.code).toBe('CORRUPT')
    expect(err.message).toMatch(/the item at byte 0 claims \d+ bytes, more than the 1000 a block may have/)
  })
})

describe('chain files', () => {
  let dir: string
  let remove: () => Promise<void>
  beforeEach(async () => ({ dir, remove } = await tempDir('olnode-chainfile-')))
  afterEach(() => remove())

  async function* items(): AsyncGenerator<Uint8Array> {
    yield* ITEMS
  }

  const read = async (file: string) => (await collect(readChainFile(file))).map((i) => bytesToHex(i.bytes))

  it('writes the items back to back, plain, and reads them back', async () => {
    const file = path.join(dir, 'chain.rlp')
    await writeChainFile(file, items(), { append: false })
    expect(bytesToHex(await readFile(file))).toBe(bytesToHex(STREAM))
    expect(await read(file)).toEqual(ITEMS.map(bytesToHex))
  })

  it('gzips a .gz file; appending adds a gzip member the reader reads on into', async () => {
    const file = path.join(dir, 'chain.rlp.gz')
    await writeChainFile(file, items(), { append: false })
    const gz = await readFile(file)
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b])
    await writeChainFile(file, items(), { append: true })
    expect(await read(file)).toEqual([...ITEMS, ...ITEMS].map(bytesToHex))
    // Without append the file starts over.
    await writeChainFile(file, items(), { append: false })
    expect(await read(file)).toEqual(ITEMS.map(bytesToHex))
  })

  it('names the file in its errors: truncated gzip, corrupt gzip, a missing file, an unwritable one', async () => {
    const cut = path.join(dir, 'cut.rlp.gz')
    const gz = gzipSync(STREAM)
    await writeFile(cut, gz.subarray(0, gz.length - 20))
    const truncated = await failure(readChainFile(cut))
    expect(truncated.code).toBe('TRUNCATED')
    expect(truncated.message).toMatch(/cut\.rlp\.gz: truncated/)
    const notGzip = path.join(dir, 'plain.rlp.gz')
    await writeFile(notGzip, STREAM)
    const corrupt = await failure(readChainFile(notGzip))
    expect(corrupt.code).toBe('CORRUPT')
    expect(corrupt.message).toMatch(/plain\.rlp\.gz: /)
    const missing = await failure(readChainFile(path.join(dir, 'none.rlp')))
    expect(missing.code).toBe('UNREADABLE')
    expect(missing.message).toMatch(/none\.rlp: ENOENT/)
    const unwritable = await writeChainFile(path.join(dir, 'no/such/dir.rlp'), items(), { append: false }).catch((e: unknown) => e)
    expect(unwritable).toBeInstanceOf(ChainFileError)
    expect((unwritable as ChainFileError).code).toBe('UNWRITABLE')
  })
})
