import { open, readFile, rename } from 'node:fs/promises'
import path from 'node:path'
import { bytesToHex, equalsBytes, hexToBytes } from '@ethereumjs/util'
import { SerialQueue } from '../util/serialQueue.ts'
import { DoubleSignError, SignGuardFileError } from './errors.ts'

/** Where a signature sits in the order a validator signs: height, then round, then step (1 proposal, 2 prevote, 3 precommit). */
export interface SignPosition {
  height: bigint
  round: number
  step: number
}

/** The block a validator last precommitted, at its height and round: the lock a restarted validator must keep. */
export interface SignedLock {
  height: bigint
  round: number
  blockHash: Uint8Array
}

/** The last thing signed, and the lock of its height, as kept on disk. */
interface LastSigned extends SignPosition {
  signBytes: Uint8Array
  signature: Uint8Array
  lock: SignedLock | undefined
}

/**
 * The double-sign guard (CometBFT's privval "last sign state"): before a signature leaves the node,
 * its position and sign bytes are written durably; it refuses to sign at a lower position, or other
 * bytes at the same one, also after a crash. Re-signing the same bytes at the same position returns
 * the signature kept. One file, replaced atomically (temp file, fsync, rename, fsync of the directory),
 * so a crash leaves either the old state or the new one, never a torn file.
 */
export class SignGuard {
  private readonly queue = new SerialQueue()

  private constructor(
    private readonly file: string,
    private last: LastSigned | undefined,
  ) {}

  /** Opens the guard on its state file; a missing file means nothing was ever signed. */
  static async open(file: string): Promise<SignGuard> {
    return new SignGuard(file, await readState(file))
  }

  /** The last position signed at, if any (a restarted validator starts no lower). */
  get lastPosition(): SignPosition | undefined {
    return this.last && { height: this.last.height, round: this.last.round, step: this.last.step }
  }

  /** The bytes signed last and their signature, if any (a restarted validator's last vote still stands). */
  get lastSigned(): { signBytes: Uint8Array; signature: Uint8Array } | undefined {
    return this.last && { signBytes: this.last.signBytes, signature: this.last.signature }
  }

  /** The last block precommitted at the last height signed at, if any. */
  get lock(): SignedLock | undefined {
    return this.last?.lock
  }

  /**
   * The signature of `signBytes` at `position`: `sign` is called, and the state persisted, only if the
   * position is above the last one; the same bytes at the same position give the kept signature back.
   * DoubleSignError otherwise. `locks`: the block this signature precommits, kept as the lock. Calls run
   * one at a time, in order.
   */
  sign(position: SignPosition, signBytes: Uint8Array, sign: (bytes: Uint8Array) => Uint8Array, locks?: Uint8Array): Promise<Uint8Array> {
    return this.queue.run(async () => {
      const last = this.last
      if (last) {
        const order = compare(position, last)
        if (order < 0) throw new DoubleSignError(`refusing to sign at ${describe(position)}: already signed at ${describe(last)}`)
        if (order === 0) {
          if (equalsBytes(signBytes, last.signBytes)) return last.signature
          throw new DoubleSignError(`refusing to sign different bytes at ${describe(position)}: that would equivocate`)
        }
      }
      const kept = last?.lock?.height === position.height ? last.lock : undefined
      const lock = locks ? { height: position.height, round: position.round, blockHash: locks } : kept
      const next: LastSigned = { ...position, signBytes, signature: sign(signBytes), lock }
      await writeAtomically(this.file, serialise(next))
      this.last = next
      return next.signature
    })
  }
}

function compare(a: SignPosition, b: SignPosition): number {
  if (a.height !== b.height) return a.height < b.height ? -1 : 1
  if (a.round !== b.round) return a.round - b.round
  return a.step - b.step
}

function describe(p: SignPosition): string {
  return `height ${p.height} round ${p.round} step ${p.step}`
}

function serialise(s: LastSigned): string {
  const lock = s.lock && { height: s.lock.height.toString(), round: s.lock.round, blockHash: bytesToHex(s.lock.blockHash) }
  return JSON.stringify({ height: s.height.toString(), round: s.round, step: s.step, signBytes: bytesToHex(s.signBytes), signature: bytesToHex(s.signature), lock }) + '\n'
}

async function readState(file: string): Promise<LastSigned | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined
    throw new SignGuardFileError(`cannot read the sign state ${file}: ${(err as Error).message}`)
  }
  try {
    const json = JSON.parse(text) as Record<string, unknown>
    const { signBytes, signature, lock } = json
    if (typeof signBytes !== 'string' || typeof signature !== 'string') throw new Error('signBytes or signature missing')
    return { ...positionOf(json), signBytes: hexToBytes(signBytes as `0x${string}`), signature: hexToBytes(signature as `0x${string}`), lock: lock === undefined ? undefined : lockOf(lock) }
  } catch (err) {
    // Never guess: signing from a state we cannot read could equivocate.
    throw new SignGuardFileError(`the sign state ${file} is corrupt (${(err as Error).message}): restore it, or remove it only if this key has never signed at a later height`)
  }
}

function positionOf(json: Record<string, unknown>): SignPosition {
  if (!Number.isSafeInteger(json.step)) throw new Error('step missing')
  return { ...heightAndRound(json), step: json.step as number }
}

function lockOf(value: unknown): SignedLock {
  const json = value as Record<string, unknown>
  if (typeof json.blockHash !== 'string' || !/^0x[0-9a-f]{64}$/.test(json.blockHash)) throw new Error('lock.blockHash missing')
  return { ...heightAndRound(json), blockHash: hexToBytes(json.blockHash as `0x${string}`) }
}

function heightAndRound(json: Record<string, unknown>): { height: bigint; round: number } {
  const { height, round } = json
  if (typeof height !== 'string' || !/^[0-9]+$/.test(height) || !Number.isSafeInteger(round)) throw new Error('height or round missing')
  return { height: BigInt(height), round: round as number }
}

/** Replaces `file` with `text` so that a crash at any point leaves the old or the new content. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp`
  try {
    const handle = await open(temp, 'w', 0o600)
    try {
      await handle.writeFile(text)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, file)
    const dir = await open(path.dirname(file), 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  } catch (err) {
    throw new SignGuardFileError(`cannot write the sign state ${file}: ${(err as Error).message}`)
  }
}
