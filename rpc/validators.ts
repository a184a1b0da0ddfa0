import { equalsBytes, hexToBytes } from '@ethereumjs/util'
import type { CallRequest as ExecutionCallRequest } from '../node/execution/call.ts'
import { InvalidParamsError } from './errors.ts'
import { decodeHexInto } from '../node/util/hexInto.ts'

/**
 * Declarative checks for JSON-RPC params. `path` locates the value for messages: "0" is the
 * first argument, "0.from" a field of it, "1[2]" an element. Messages follow geth's hexutil
 * wording, prefixed as geth does: `invalid argument 0: hex string without 0x prefix`.
 */
export interface Validator<T> {
  /** What the value must be, for messages: "address", "block number or tag". */
  describe: string
  /** Missing or null is accepted; parse then returns the default (or undefined). */
  optional?: boolean
  parse(value: unknown, path: string): T
}

export type Parsed<V> = V extends Validator<infer T> ? T : never

export type BlockTagName = 'latest' | 'earliest' | 'pending' | 'safe' | 'finalized'
export type BlockTag = { kind: 'tag'; tag: BlockTagName } | { kind: 'number'; number: bigint }
export type BlockRef = BlockTag | { kind: 'hash'; hash: string; requireCanonical: boolean }

export interface AccessListEntry {
  address: string
  storageKeys: string[]
}

/** eth_call / eth_estimateGas / eth_sendTransaction object: execution's call plus what signing needs. */
export interface CallRequest extends ExecutionCallRequest {
  nonce?: bigint
  type?: bigint
  chainId?: bigint
}

/** eth_getLogs / eth_newFilter criteria. A topic position is null (any) or a list of alternatives. */
export interface FilterOptions {
  fromBlock?: BlockTag
  toBlock?: BlockTag
  blockHash?: string
  addresses: string[]
  topics: (string[] | null)[]
}

/** The error for a bad value at `path`, worded as geth words it: `invalid argument N: ...`. */
export function invalidParam(path: string, detail: string): InvalidParamsError {
  const match = /^(\d+)\.?(.*)$/.exec(path)
  if (!match) return new InvalidParamsError(`invalid ${path}: ${detail}`)
  const [, index, field] = match
  return new InvalidParamsError(`invalid argument ${index}: ${field ? `${field}: ` : ''}${detail}`)
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'array' : typeof value
}

function mismatch(value: unknown, path: string, describe: string): InvalidParamsError {
  return invalidParam(path, `expected ${describe}, got ${jsonType(value)}`)
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const HEX_DIGITS = /^[0-9a-fA-F]*$/
const MAX_INT64 = 2n ** 63n - 1n
const MAX_TOPICS = 4 // LOG0..LOG4

/** The digits after 0x, after the checks every hex value shares. */
function hexBody(value: unknown, path: string, describe: string): string {
  if (typeof value !== 'string') throw mismatch(value, path, describe)
  if (value === '') throw invalidParam(path, 'empty hex string')
  if (!/^0[xX]/.test(value)) throw invalidParam(path, 'hex string without 0x prefix')
  return value.slice(2)
}

function parseQuantity(value: unknown, path: string, maxBits: number, describe: string): bigint {
  const digits = hexBody(value, path, describe)
  if (digits === '') throw invalidParam(path, 'hex string "0x"')
  if (digits.length > 1 && digits[0] === '0') throw invalidParam(path, 'hex number with leading zero digits')
  if (digits.length > maxBits / 4) throw invalidParam(path, `hex number > ${maxBits} bits`)
  if (!HEX_DIGITS.test(digits)) throw invalidParam(path, 'invalid hex string')
  return BigInt(`0x${digits}`)
}

function parseFixedHex(value: unknown, path: string, byteLength: number, describe: string): string {
  const digits = hexBody(value, path, describe)
  if (digits.length !== byteLength * 2) {
    throw invalidParam(path, `hex string has length ${digits.length}, want ${byteLength * 2} for ${describe}`)
  }
  if (!HEX_DIGITS.test(digits)) throw invalidParam(path, 'invalid hex string')
  return `0x${digits.toLowerCase()}`
}

/** Applies `validator` to an object field or argument, refusing null/absent when it is required. */
function parseRequired<T>(validator: Validator<T>, value: unknown, path: string, missing: string): T {
  if ((value === undefined || value === null) && !validator.optional) throw invalidParam(path, missing)
  return validator.parse(value, path)
}

/** 0x-prefixed hex number without leading zeros, at most 256 bits. */
export const quantity: Validator<bigint> = {
  describe: 'quantity',
  parse: (value, path) => parseQuantity(value, path, 256, 'quantity'),
}

export const uint64: Validator<bigint> = {
  describe: 'quantity',
  parse: (value, path) => parseQuantity(value, path, 64, 'quantity'),
}

/** 20 bytes; returned lowercase. Checksums are not enforced, as in geth. */
export const address: Validator<string> = {
  describe: 'address',
  parse: (value, path) => parseFixedHex(value, path, 20, 'address'),
}

/** 32 bytes; returned lowercase. */
export const hash: Validator<string> = {
  describe: 'hash',
  parse: (value, path) => parseFixedHex(value, path, 32, 'hash'),
}

/**
 * eth_getStorageAt's slot, read as leniently as geth's decodeHash: 0x optional, odd length and
 * leading zeros allowed, at most 32 bytes. Returned left-padded to 32 bytes.
 */
export const storageSlot: Validator<Uint8Array> = {
  describe: 'storage slot',
  parse(value, path) {
    if (typeof value !== 'string') throw mismatch(value, path, 'storage slot')
    const digits = value.replace(/^0[xX]/, '')
    if (!HEX_DIGITS.test(digits)) throw invalidParam(path, 'hex string invalid')
    if (digits.length > 64) throw invalidParam(path, 'hex string too long, want at most 32 bytes')
    return hexToBytes(`0x${digits.padStart(64, '0')}`)
  },
}

export const bytes: Validator<Uint8Array> = {
  describe: 'hex data',
  parse(value, path) {
    const digits = hexBody(value, path, 'hex data')
    const out = new Uint8Array(digits.length >>> 1)
    if (!decodeHexInto(out, 0, digits) || !HEX_DIGITS.test(digits.slice(out.length * 2))) throw invalidParam(path, 'invalid hex string')
    if (digits.length % 2 !== 0) throw invalidParam(path, 'hex string of odd length')
    return out
  },
}

export const bool: Validator<boolean> = {
  describe: 'boolean',
  parse(value, path) {
    if (typeof value !== 'boolean') throw mismatch(value, path, 'boolean')
    return value
  },
}

export const string: Validator<string> = {
  describe: 'string',
  parse(value, path) {
    if (typeof value !== 'string') throw mismatch(value, path, 'string')
    return value
  },
}

const BLOCK_TAGS: ReadonlySet<string> = new Set<BlockTagName>(['latest', 'earliest', 'pending', 'safe', 'finalized'])

/** A tag or a block number (geth caps numbers at int64). */
export const blockTag: Validator<BlockTag> = {
  describe: 'block number or tag',
  parse(value, path) {
    if (typeof value === 'string' && BLOCK_TAGS.has(value)) return { kind: 'tag', tag: value as BlockTagName }
    const number = parseQuantity(value, path, 64, 'block number or tag')
    if (number > MAX_INT64) throw invalidParam(path, 'block number larger than int64')
    return { kind: 'number', number }
  },
}

/** EIP-1898: a tag, a number, a bare 32-byte hash (as geth allows), or `{ blockNumber }` / `{ blockHash, requireCanonical? }`. */
export const blockRef: Validator<BlockRef> = {
  describe: 'block number, tag or hash',
  parse(value, path) {
    if (isPlainObject(value)) return blockRefObject(value, path)
    if (typeof value === 'string' && value.length === 66) {
      return { kind: 'hash', hash: hash.parse(value, path), requireCanonical: false }
    }
    return blockTag.parse(value, path)
  },
}

function blockRefObject(value: Record<string, unknown>, path: string): BlockRef {
  const { blockNumber, blockHash, requireCanonical } = blockRefShape.parse(value, path)
  if (blockNumber && blockHash) {
    throw invalidParam(path, 'cannot specify both BlockHash and BlockNumber, choose one or the other')
  }
  if (blockHash) return { kind: 'hash', hash: blockHash, requireCanonical }
  if (blockNumber) return blockNumber
  throw invalidParam(path, 'invalid arguments; neither block nor hash specified')
}

/** Accepts missing/null; returns `defaultValue` then. A default object is shared: do not mutate it. */
export function optional<T>(validator: Validator<T>): Validator<T | undefined>
export function optional<T>(validator: Validator<T>, defaultValue: T): Validator<T>
export function optional<T>(validator: Validator<T>, defaultValue?: T): Validator<T | undefined> {
  return {
    describe: validator.describe,
    optional: true,
    parse: (value, path) => (value === undefined || value === null ? defaultValue : validator.parse(value, path)),
  }
}

export function array<T>(item: Validator<T>, opts: { max?: number } = {}): Validator<T[]> {
  const describe = `array of ${item.describe}`
  return {
    describe,
    parse(value, path) {
      if (!Array.isArray(value)) throw mismatch(value, path, describe)
      if (opts.max !== undefined && value.length > opts.max) {
        throw invalidParam(path, `too many elements, want at most ${opts.max}`)
      }
      return value.map((element, i) => item.parse(element, `${path}[${i}]`))
    },
  }
}

export type ObjectOf<S extends Record<string, Validator<unknown>>> = { [K in keyof S]: Parsed<S[K]> }

/** An object with the given fields; unknown fields are ignored and absent optional ones left out, as geth does. */
export function object<S extends Record<string, Validator<unknown>>>(
  shape: S,
  describe = 'object',
): Validator<ObjectOf<S>> {
  return {
    describe,
    parse(value, path) {
      if (!isPlainObject(value)) throw mismatch(value, path, describe)
      const out: Record<string, unknown> = {}
      for (const [key, validator] of Object.entries(shape)) {
        const field = Object.hasOwn(value, key) ? value[key] : undefined
        const parsed = parseRequired(validator, field, `${path}.${key}`, 'missing value for required field')
        if (parsed !== undefined) out[key] = parsed
      }
      return out as ObjectOf<S>
    },
  }
}

/** The first alternative that accepts the value. */
export function oneOf<V extends Validator<unknown>[]>(...alternatives: V): Validator<Parsed<V[number]>> {
  const describe = alternatives.map((v) => v.describe).join(' or ')
  return {
    describe,
    parse(value, path) {
      for (const alternative of alternatives) {
        try {
          return alternative.parse(value, path) as Parsed<V[number]>
        } catch (err) {
          if (!(err instanceof InvalidParamsError)) throw err
        }
      }
      throw mismatch(value, path, describe)
    },
  }
}

const blockRefShape = object(
  { blockNumber: optional(blockTag), blockHash: optional(hash), requireCanonical: optional(bool, false) },
  'block reference',
)

const accessListEntry = object({ address, storageKeys: array(hash) }, 'access list entry')

const callShape = object(
  {
    from: optional(address),
    to: optional(address),
    gas: optional(uint64),
    gasPrice: optional(quantity),
    maxFeePerGas: optional(quantity),
    maxPriorityFeePerGas: optional(quantity),
    value: optional(quantity),
    data: optional(bytes),
    input: optional(bytes),
    nonce: optional(uint64),
    accessList: optional(array(accessListEntry)),
    type: optional(uint64),
    chainId: optional(quantity),
  },
  'call request',
)

export const callRequest: Validator<CallRequest> = {
  describe: 'call request',
  parse(value, path) {
    const { data, input, ...fields } = callShape.parse(value, path)
    if (data && input && !equalsBytes(data, input)) {
      throw invalidParam(path, 'both "data" and "input" are set and not equal. Please use "input" to pass transaction call data')
    }
    if (fields.gasPrice !== undefined && (fields.maxFeePerGas !== undefined || fields.maxPriorityFeePerGas !== undefined)) {
      throw invalidParam(path, 'both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified')
    }
    const payload = input ?? data
    return payload ? { ...fields, data: payload } : fields
  },
}

/** One address or a list of them. */
const addressList: Validator<string[]> = {
  describe: 'address or array of address',
  parse: (value, path) => (Array.isArray(value) ? array(address).parse(value, path) : [address.parse(value, path)]),
}

/** A topic position: null, one hash, or alternatives where a null or empty list means "any". */
const topic: Validator<string[] | null> = {
  describe: 'topic',
  optional: true,
  parse(value, path) {
    if (value === undefined || value === null) return null
    if (!Array.isArray(value)) return [hash.parse(value, path)]
    const alternatives = value.map((v, i) => (v === null ? null : hash.parse(v, `${path}[${i}]`)))
    return alternatives.length === 0 || alternatives.includes(null) ? null : (alternatives as string[])
  },
}

const filterShape = object(
  {
    fromBlock: optional(blockTag),
    toBlock: optional(blockTag),
    blockHash: optional(hash),
    address: optional(addressList),
    topics: optional(array(topic)),
  },
  'filter',
)

export const filterOptions: Validator<FilterOptions> = {
  describe: 'filter',
  parse(value, path) {
    const { fromBlock, toBlock, blockHash, address: addresses = [], topics = [] } = filterShape.parse(value, path)
    if (blockHash && (fromBlock || toBlock)) {
      throw invalidParam(path, 'cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other')
    }
    if (topics.length > MAX_TOPICS) throw invalidParam(path, 'exceed max topics')
    return { ...(fromBlock && { fromBlock }), ...(toBlock && { toBlock }), ...(blockHash && { blockHash }), addresses, topics }
  },
}
