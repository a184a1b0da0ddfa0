import { createReadStream, createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { ChainFileError } from './errors.ts'
import { rlpItems, type StreamItem } from './rlpStream.ts'

/** geth's rule: a chain file whose name ends in .gz is gzip-compressed. */
export function isGzipped(file: string): boolean {
  return file.endsWith('.gz')
}

/**
 * The blocks of a chain file (RLP blocks back to back, gzip for *.gz), streamed. A file that cannot
 * be read to its end, or ends inside a block, fails with a ChainFileError naming the file.
 */
export async function* readChainFile(file: string): AsyncGenerator<StreamItem> {
  const raw = createReadStream(file)
  const source = isGzipped(file) ? raw.pipe(createGunzip()) : raw
  // A gzip error surfaces on the gunzip stream, a read error only on the file stream.
  if (source !== raw) raw.on('error', (err) => source.destroy(err))
  try {
    yield* rlpItems(source)
  } catch (err) {
    throw fileError(file, err)
  } finally {
    raw.destroy()
  }
}

/** Writes the blocks back to back into `file`, gzip for *.gz; `append` adds to what the file holds (a gzip member more). */
export async function writeChainFile(file: string, blocks: AsyncIterable<Uint8Array>, opts: { append: boolean }): Promise<void> {
  const out = createWriteStream(file, { flags: opts.append ? 'a' : 'w' })
  const source = Readable.from(blocks, { objectMode: false })
  try {
    await (isGzipped(file) ? pipeline(source, createGzip(), out) : pipeline(source, out))
  } catch (err) {
    // Errors of the blocks' source (the datadir) are not the file's.
    if ((err as { syscall?: string }).syscall === undefined) throw err
    throw new ChainFileError('UNWRITABLE', `${file}: ${(err as Error).message}`)
  }
}

function fileError(file: string, err: unknown): ChainFileError {
  if (err instanceof ChainFileError) return new ChainFileError(err.code, `${file}: ${err.message}`)
  const { code, message } = err as { code?: string; message: string }
  // zlib says "unexpected end of file" for a gzip stream cut short.
  if (code === 'Z_BUF_ERROR') return new ChainFileError('TRUNCATED', `${file}: truncated: the gzip stream ends early`)
  return new ChainFileError(code?.startsWith('Z_') ? 'CORRUPT' : 'UNREADABLE', `${file}: ${message}`)
}
