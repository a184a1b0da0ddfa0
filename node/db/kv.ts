import type { AbstractLevel } from 'abstract-level'
import { ClassicLevel } from 'classic-level'
import { MemoryLevel } from 'memory-level'

export type KVOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array }

/** The one key-value interface every store in the node writes through. */
export interface KV {
  get(key: Uint8Array): Promise<Uint8Array | undefined>
  /** Applies all ops atomically: after a crash either all of them are there or none. */
  batch(ops: KVOp[]): Promise<void>
  /** Values of keys in [gte, lt), in key order. */
  values(range: { gte: Uint8Array; lt: Uint8Array; limit?: number }): AsyncIterable<Uint8Array>
  close(): Promise<void>
}

type BytesLevel = AbstractLevel<Uint8Array, Uint8Array, Uint8Array>

const encodings = { keyEncoding: 'view', valueEncoding: 'view' } as const

class LevelKV implements KV {
  constructor(
    private readonly db: BytesLevel,
    private readonly sync: boolean,
  ) {}

  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.db.get(key)
  }

  batch(ops: KVOp[]): Promise<void> {
    return this.db.batch(ops, { sync: this.sync } as object)
  }

  values(range: { gte: Uint8Array; lt: Uint8Array; limit?: number }): AsyncIterable<Uint8Array> {
    return this.db.values(range)
  }

  close(): Promise<void> {
    return this.db.close()
  }
}

export interface OpenKVOptions {
  /** Directory of the LevelDB database; omitted means an in-memory store. */
  path?: string
  /** fsync each batch (survives power loss, not only a killed process). */
  sync?: boolean
}

/** Opens LevelDB on disk (classic-level) or, without a path, an in-memory store with the same API. */
export async function openKV(opts: OpenKVOptions): Promise<KV> {
  const db: BytesLevel = opts.path
    ? (new ClassicLevel<Uint8Array, Uint8Array>(opts.path, encodings) as unknown as BytesLevel)
    : (new MemoryLevel<Uint8Array, Uint8Array>(encodings) as unknown as BytesLevel)
  await db.open()
  return new LevelKV(db, opts.sync ?? false)
}
