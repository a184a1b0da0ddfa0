/**
 * Validators of the params that change a call's world: state overrides, block overrides, the
 * blocks of eth_simulateV1, and eth_getProof's storage keys. Shapes and words are geth's.
 */
import { bigIntToHex, bytesToHex, hexToBytes } from '@ethereumjs/util'
import type { AccountOverride, BlockOverrides, StateOverride } from '../node/execution/overrides.ts'
import { MAX_SIMULATE_BLOCKS, type SimulationBlockInput } from '../node/execution/simulate.ts'
import { ClientLimitExceededError, InvalidParamsError, ServerError } from './errors.ts'
import { address, array, bool, bytes, callRequest, hash, invalidParam, isPlainObject, object, optional, quantity, uint64, type Validator } from './validators.ts'

/** A JSON object used as a map, keys and values each checked (keys returned as the key validator returns them). */
function record<V>(key: Validator<string>, value: Validator<V>, describe: string): Validator<Record<string, V>> {
  return {
    describe,
    parse(input, path) {
      if (!isPlainObject(input)) throw invalidParam(path, `expected ${describe}, got ${Array.isArray(input) ? 'array' : typeof input}`)
      const out: Record<string, V> = {}
      for (const [k, v] of Object.entries(input)) out[key.parse(k, `${path}.${k}`)] = value.parse(v, `${path}.${k}`)
      return out
    },
  }
}

/** A field we know but do not serve: refused rather than silently ignored (in geth's words where geth refuses it too). */
function unsupported(message: string): Validator<undefined> {
  return {
    describe: 'unsupported field',
    optional: true,
    parse(value) {
      if (value !== undefined && value !== null) throw new ServerError(message)
      return undefined
    },
  }
}

const storage = record(hash, hash, 'storage map')

const accountOverride: Validator<AccountOverride> = object(
  {
    balance: optional(quantity),
    nonce: optional(uint64),
    code: optional(bytes),
    state: optional(storage),
    stateDiff: optional(storage),
    movePrecompileToAddress: unsupported('movePrecompileToAddress is not supported'),
  },
  'account override',
)

/** eth_call / eth_estimateGas / eth_createAccessList's state override set, by address. */
export const stateOverride: Validator<StateOverride> = record(address, accountOverride, 'state override set')

const blockOverrideFields = {
  number: optional(quantity),
  difficulty: optional(quantity),
  time: optional(uint64),
  gasLimit: optional(uint64),
  feeRecipient: optional(address),
  prevRandao: optional(hash),
  baseFeePerGas: optional(quantity),
  blobBaseFee: optional(quantity),
  beaconRoot: unsupported('block override "beaconRoot" is not supported for this RPC method'),
  withdrawals: unsupported('block override "withdrawals" is not supported for this RPC method'),
}

export const blockOverrides: Validator<BlockOverrides> = object(blockOverrideFields, 'block overrides')

export interface SimulationOptions {
  blocks: SimulationBlockInput[]
  validation: boolean
  traceTransfers: boolean
  returnFullTransactions: boolean
}

const simulationShape = object(
  {
    blockStateCalls: array(object({ blockOverrides: optional(blockOverrides), stateOverrides: optional(stateOverride), calls: optional(array(callRequest)) }, 'block state calls')),
    traceTransfers: optional(bool, false),
    validation: optional(bool, false),
    returnFullTransactions: optional(bool, false),
  },
  'simulation options',
)

/** eth_simulateV1's first param. */
export const simulationOptions: Validator<SimulationOptions> = {
  describe: 'simulation options',
  parse(value, path) {
    const { blockStateCalls, traceTransfers, validation, returnFullTransactions } = simulationShape.parse(value, path)
    if (blockStateCalls.length === 0) throw new InvalidParamsError('empty input')
    if (blockStateCalls.length > MAX_SIMULATE_BLOCKS) throw new ClientLimitExceededError('too many blocks')
    return { blocks: blockStateCalls, validation, traceTransfers, returnFullTransactions }
  },
}

/** A storage key of eth_getProof and how geth echoes it back. */
export interface ProofKey {
  slot: Uint8Array
  /** The key as geth prints it: a 32-byte key as given, a shorter one as a quantity. */
  key: string
}

/** geth's maxGetProofKeys. */
const MAX_PROOF_KEYS = 1024

/** eth_getProof's keys, decoded as leniently as geth's DecodeStorageKey (0x optional, odd length, shorter than 32 bytes). */
export const proofKeys: Validator<ProofKey[]> = {
  describe: 'array of storage keys',
  parse(value, path) {
    if (!Array.isArray(value)) throw invalidParam(path, `expected array of storage keys, got ${typeof value}`)
    if (value.length > MAX_PROOF_KEYS) throw new InvalidParamsError(`too many storage keys requested (max ${MAX_PROOF_KEYS}, got ${value.length})`)
    return value.map((key, i) => proofKey(key, `${path}[${i}]`))
  },
}

function proofKey(value: unknown, path: string): ProofKey {
  if (typeof value !== 'string') throw invalidParam(path, `expected storage key, got ${typeof value}`)
  let digits = value.replace(/^0[xX]/, '')
  if (digits.length % 2 === 1) digits = `0${digits}`
  if (digits.length > 64) throw new InvalidParamsError(`storage key too long (want at most 32 bytes): ${JSON.stringify(value)}`)
  if (!/^[0-9a-fA-F]*$/.test(digits)) throw new InvalidParamsError(`invalid hex in storage key: ${JSON.stringify(value)}`)
  const slot = hexToBytes(`0x${digits.padStart(64, '0')}`)
  const key = digits.length === 64 ? bytesToHex(slot) : bigIntToHex(BigInt(`0x${digits || '0'}`))
  return { slot, key }
}
