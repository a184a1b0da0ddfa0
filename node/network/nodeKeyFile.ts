import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { NodeKeyError } from './errors.ts'

/**
 * The 32-byte identity seed of a node without a validator key, kept in `file` (hex, owner-only):
 * made on the first start, read on every later one, so the node's peer ID never changes.
 */
export async function loadOrCreateNodeKey(file: string): Promise<Uint8Array> {
  const existing = await readNodeKey(file)
  if (existing) return existing
  const seed = randomBytes(32)
  await mkdir(path.dirname(file), { recursive: true })
  // Written aside then renamed: a crash never leaves half a key that would change the peer ID.
  const temp = `${file}.tmp`
  await writeFile(temp, `${seed.toString('hex')}\n`, { mode: 0o600 })
  await rename(temp, file)
  return new Uint8Array(seed)
}

async function readNodeKey(file: string): Promise<Uint8Array | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined
    throw new NodeKeyError(`cannot read the node key ${file}: ${(err as Error).message}`)
  }
  const hex = text.trim()
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new NodeKeyError(`the node key ${file} is not 32 bytes of hex: remove it and the node makes a new one (with a new peer ID)`)
  return new Uint8Array(Buffer.from(hex, 'hex'))
}
