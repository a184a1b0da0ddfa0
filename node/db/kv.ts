import type { AbstractLevel } from 'abstract-level'
import { ClassicLevel } from 'classic-level'
import { MemoryLevel } from 'memory-level'
import { InvalidBatchOpError } from './errors.ts'

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

/** classic-level's own batch, under abstract-level's public one (abstract-level calls it `_batch`). */
type RawBatch = (ops: KVOp[], options: { sync: boolean }) => Promise<void>

class LevelKV implements KV {
  constructor(
    private readonly db: BytesLevel,
    private readonly sync: boolean,
    private readonly rawBatch?: RawBatch,
  ) {}

  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.db.get(key)
  }

  /**
   * On LevelDB, straight to classic-level's binding, which reads each op's type, key and value: the
   * public batch copies every op, checks and encodes its key and value (bytes already) and runs hooks
   * the node never sets, and that was 7 % of the node's time taking transfers (a block writes hundreds
   * of trie nodes). The binding writes whatever it is given, so the ops are checked here first. While
   * the database is not open, the public one answers, with its error.
   */
  async batch(ops: KVOp[]): Promise<void> {
    if (!this.rawBatch || this.db.status !== 'open') return this.db.batch(ops, { sync: this.sync } as object)
    ops.forEach(checkOp)
    return this.rawBatch(ops, { sync: this.sync })
  }

  values(range: { gte: Uint8Array; lt: Uint8Array; limit?: number }): AsyncIterable<Uint8Array> {
    return this.db.values(range)
  }

  close(): Promise<void> {
    return this.db.close()
  }
}

function checkOp(op: KVOp, index: number): void {
  if (!(op.key instanceof Uint8Array)) throw new InvalidBatchOpError(index, 'the key is not bytes')
  if (op.type === 'put' && !(op.value instanceof Uint8Array)) throw new InvalidBatchOpError(index, 'the value of a put is not bytes')
  if (op.type !== 'put' && op.type !== 'del') throw new InvalidBatchOpError(index, `unknown type ${String((op as { type: unknown }).type)}`)
}

export interface OpenKVOptions {
  /** Directory of the LevelDB database; omitted means an in-memory store. */
  path?: string
  /** fsync each batch (survives power loss, not only a killed process). */
  sync?: boolean
}

/** Opens LevelDB on disk (classic-level) or, without a path, an in-memory store with the same API. */
export async function openKV(opts: OpenKVOptions): Promise<KV> {
  if (!opts.path) {
    const db = new MemoryLevel<Uint8Array, Uint8Array>(encodings) as unknown as BytesLevel
    await db.open()
    return new LevelKV(db, opts.sync ?? false)
  }
  const classic = new ClassicLevel<Uint8Array, Uint8Array>(opts.path, encodings)
  await classic.open()
  const raw = (classic as unknown as { _batch: RawBatch })._batch.bind(classic)
  return new LevelKV(classic as unknown as BytesLevel, opts.sync ?? false, raw)
}
