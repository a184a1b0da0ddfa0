import { getAddress, numberToHex, type Hex } from 'viem'
import type { Slots } from './context.ts'

const LANE_BITS = 64n
const LANE_MASK = (1n << LANE_BITS) - 1n
/** uint64 values per 32-byte slot. */
export const LANES = 4

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Packed uint64 lists: item i lives in slot `base + floor(i / 4)`, in bits [64 * (i % 4), 64 * (i % 4) + 64)
 * counted from the low end; the list's length is kept elsewhere by its owner.
 */
export async function loadUint64s(ctx: Slots, base: bigint, count: number): Promise<bigint[]> {
  const out: bigint[] = []
  for (let slot = 0; slot * LANES < count; slot++) {
    const word = await ctx.load(base + BigInt(slot))
    for (let lane = 0; lane < LANES && slot * LANES + lane < count; lane++) out.push(lane64(word, lane))
  }
  return out
}

/** Writes `values` as a packed uint64 list at `base` (a fresh list: the slots are assumed empty). */
export async function storeUint64s(ctx: Slots, base: bigint, values: readonly bigint[]): Promise<void> {
  for (let slot = 0; slot * LANES < values.length; slot++) {
    let word = 0n
    for (let lane = 0; lane < LANES && slot * LANES + lane < values.length; lane++) word = withLane64(word, lane, values[slot * LANES + lane])
    await ctx.store(base + BigInt(slot), word)
  }
}

export function lane64(word: bigint, lane: number): bigint {
  return (word >> (LANE_BITS * BigInt(lane))) & LANE_MASK
}

export function withLane64(word: bigint, lane: number, value: bigint): bigint {
  const shift = LANE_BITS * BigInt(lane)
  return (word & ~(LANE_MASK << shift)) | ((value & LANE_MASK) << shift)
}

/** A string as Solidity keeps `bytes`: its byte length at `slot`, its bytes from slot keccak256(slot) on. */
export async function storeString(ctx: Slots, slot: bigint, text: string): Promise<void> {
  const bytes = encoder.encode(text)
  await ctx.store(slot, BigInt(bytes.length))
  if (bytes.length === 0) return
  const data = ctx.hashWords(slot)
  for (let i = 0; i * 32 < bytes.length; i++) {
    const chunk = new Uint8Array(32)
    chunk.set(bytes.subarray(i * 32, i * 32 + 32))
    await ctx.store(data + BigInt(i), bytesToWord(chunk))
  }
}

export async function loadString(ctx: Slots, slot: bigint): Promise<string> {
  const length = Number(await ctx.load(slot))
  if (length === 0) return ''
  const data = ctx.hashWords(slot)
  const bytes = new Uint8Array(Math.ceil(length / 32) * 32)
  for (let i = 0; i * 32 < length; i++) bytes.set(wordToBytes(await ctx.load(data + BigInt(i))), i * 32)
  return decoder.decode(bytes.subarray(0, length))
}

/** An address kept in the low 160 bits of a storage word, checksummed as the ABI returns it. */
export function addressFromWord(word: bigint): Hex {
  return getAddress(numberToHex(word, { size: 20 }))
}

/** Increments the counter at `slot` and returns its new value: the next id of a record kind (ids start at 1). */
export async function nextId(ctx: Slots, slot: bigint): Promise<bigint> {
  const id = (await ctx.load(slot)) + 1n
  await ctx.store(slot, id)
  return id
}

function bytesToWord(bytes: Uint8Array): bigint {
  let word = 0n
  for (const b of bytes) word = (word << 8n) | BigInt(b)
  return word
}

function wordToBytes(word: bigint): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(word & 0xffn)
    word >>= 8n
  }
  return out
}

/** Appends `value` to the counted uint64 list at `base`: its length in `base`, its items packed from `base + 1`. */
export async function appendCountedUint64(ctx: Slots, base: bigint, value: bigint): Promise<void> {
  const count = await ctx.load(base)
  const slot = base + 1n + count / BigInt(LANES)
  await ctx.store(slot, withLane64(await ctx.load(slot), Number(count % BigInt(LANES)), value))
  await ctx.store(base, count + 1n)
}

/** The whole counted uint64 list at `base` (see appendCountedUint64). */
export async function loadCountedUint64s(ctx: Slots, base: bigint): Promise<bigint[]> {
  return loadUint64s(ctx, base + 1n, Number(await ctx.load(base)))
}
