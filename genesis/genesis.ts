import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { GenesisError } from './errors.ts'
import { parseOpenLedger, withoutPrecompileAddresses, type OpenLedgerConfig } from './openledger.ts'

export interface GenesisAccount {
  balance: bigint
  nonce: bigint
  code?: Uint8Array
  /** Slot -> value, both 32-byte words. */
  storage: [Uint8Array, Uint8Array][]
}

export type { OpenLedgerConfig }

/** A validated geth-format genesis. Numbers are bigint, byte fields are bytes. */
export interface Genesis {
  chainId: number
  gasLimit: bigint
  baseFeePerGas: bigint
  timestamp: bigint
  extraData: Uint8Array
  difficulty: bigint
  mixHash: Uint8Array
  coinbase: Uint8Array
  nonce: Uint8Array
  /** Lowercase 0x address -> account, in ascending address order (the precompiles' accounts come on top: precompileAccounts). */
  alloc: [string, GenesisAccount][]
  openledger: OpenLedgerConfig
}

// Written relative to the package root's layout so it holds from the sources and from the dist/ bundle.
export const DEVNET_GENESIS_PATH = fileURLToPath(new URL('../genesis/devnet.json', import.meta.url))

const DEFAULT_BASE_FEE = 1_000_000_000n
const MIN_GAS_LIMIT = 5_000n

/** The bundled devnet genesis (chain 1337, the 10 dev accounts with 10,000 OPEN each). */
export function devnetGenesis(): Genesis {
  return parseGenesis(JSON.parse(readFileSync(DEVNET_GENESIS_PATH, 'utf8')))
}

/** Reads and validates a genesis file; the error names the field at fault. */
export async function loadGenesisFile(path: string): Promise<Genesis> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new GenesisError('(file)', `cannot read ${path}: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new GenesisError('(file)', `${path} is not valid JSON: ${(err as Error).message}`)
  }
  return parseGenesis(json)
}

export function parseGenesis(json: unknown): Genesis {
  const root = asObject(json, '(root)')
  const config = asObject(root.config, 'config')
  const gasLimit = quantity(root.gasLimit, 'gasLimit')
  if (gasLimit < MIN_GAS_LIMIT) throw new GenesisError('gasLimit', `must be at least ${MIN_GAS_LIMIT}`)
  return {
    chainId: chainIdOf(config.chainId),
    gasLimit,
    baseFeePerGas: root.baseFeePerGas === undefined ? DEFAULT_BASE_FEE : quantity(root.baseFeePerGas, 'baseFeePerGas'),
    timestamp: root.timestamp === undefined ? 0n : quantity(root.timestamp, 'timestamp'),
    extraData: root.extraData === undefined ? new Uint8Array() : hexBytes(root.extraData, 'extraData', { max: 32 }),
    difficulty: root.difficulty === undefined ? 0n : quantity(root.difficulty, 'difficulty'),
    mixHash: root.mixHash === undefined ? new Uint8Array(32) : hexBytes(root.mixHash, 'mixHash', { exact: 32 }),
    coinbase: root.coinbase === undefined ? new Uint8Array(20) : hexBytes(root.coinbase, 'coinbase', { exact: 20 }),
    nonce: root.nonce === undefined ? new Uint8Array(8) : uint64Bytes(quantity(root.nonce, 'nonce'), 'nonce'),
    alloc: withoutPrecompileAddresses(allocOf(root.alloc)),
    openledger: parseOpenLedger(root.openledger),
  }
}

function chainIdOf(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(quantity(value, 'config.chainId')) : NaN
  if (!Number.isSafeInteger(n) || n <= 0) throw new GenesisError('config.chainId', 'must be a positive integer')
  return n
}

function allocOf(value: unknown): [string, GenesisAccount][] {
  const alloc = asObject(value ?? {}, 'alloc')
  const accounts = Object.entries(alloc).map(([addr, account]): [string, GenesisAccount] => {
    const field = `alloc.${addr}`
    const address = normaliseAddress(addr, field)
    return [address, accountOf(account, field)]
  })
  accounts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (let i = 1; i < accounts.length; i++) {
    if (accounts[i][0] === accounts[i - 1][0]) throw new GenesisError(`alloc.${accounts[i][0]}`, 'listed twice')
  }
  return accounts
}

function accountOf(value: unknown, field: string): GenesisAccount {
  const acct = asObject(value, field)
  const storage = Object.entries(asObject(acct.storage ?? {}, `${field}.storage`)).map(
    ([slot, word]): [Uint8Array, Uint8Array] => [
      padLeft(hexBytes(slot, `${field}.storage.${slot}`, { max: 32 }), 32),
      padLeft(hexBytes(word, `${field}.storage.${slot}`, { max: 32 }), 32),
    ],
  )
  return {
    balance: acct.balance === undefined ? 0n : quantity(acct.balance, `${field}.balance`),
    nonce: acct.nonce === undefined ? 0n : quantity(acct.nonce, `${field}.nonce`),
    code: acct.code === undefined ? undefined : hexBytes(acct.code, `${field}.code`, {}),
    storage,
  }
}

function normaliseAddress(addr: string, field: string): string {
  const hex = addr.startsWith('0x') || addr.startsWith('0X') ? addr.slice(2) : addr
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) throw new GenesisError(field, 'not a 20-byte hex address')
  return `0x${hex.toLowerCase()}`
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GenesisError(field, `expected an object, got ${describe(value)}`)
  }
  return value as Record<string, unknown>
}

/** geth accepts hex ("0x1f") and decimal strings or JSON numbers for quantities. */
function quantity(value: unknown, field: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new GenesisError(field, `not a non-negative integer: ${value}`)
    return BigInt(value)
  }
  if (typeof value !== 'string') throw new GenesisError(field, `expected a hex or decimal string, got ${describe(value)}`)
  if (/^0[xX][0-9a-fA-F]+$/.test(value)) return checked256(BigInt(value), field)
  if (/^[0-9]+$/.test(value)) return checked256(BigInt(value), field)
  throw new GenesisError(field, `not a hex or decimal number: ${JSON.stringify(value)}`)
}

function checked256(n: bigint, field: string): bigint {
  if (n >= 1n << 256n) throw new GenesisError(field, 'larger than 256 bits')
  return n
}

function hexBytes(value: unknown, field: string, size: { exact?: number; max?: number }): Uint8Array {
  if (typeof value !== 'string' || !/^0[xX]([0-9a-fA-F]{2})*$/.test(value)) {
    throw new GenesisError(field, `expected 0x-prefixed hex bytes, got ${describe(value)}`)
  }
  const bytes = Uint8Array.from(Buffer.from(value.slice(2), 'hex'))
  if (size.exact !== undefined && bytes.length !== size.exact) throw new GenesisError(field, `must be ${size.exact} bytes, got ${bytes.length}`)
  if (size.max !== undefined && bytes.length > size.max) throw new GenesisError(field, `must be at most ${size.max} bytes, got ${bytes.length}`)
  return bytes
}

function uint64Bytes(n: bigint, field: string): Uint8Array {
  if (n >= 1n << 64n) throw new GenesisError(field, 'larger than 64 bits')
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, n)
  return out
}

function padLeft(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length >= length) return bytes
  const out = new Uint8Array(length)
  out.set(bytes, length - bytes.length)
  return out
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'string' ? JSON.stringify(value) : typeof value
}
