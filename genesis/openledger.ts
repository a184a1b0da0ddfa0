import { PRECOMPILE_ACCOUNT_CODE, PRECOMPILE_ADDRESSES } from '../precompiles/addresses.ts'
import { GenesisError } from './errors.ts'
import type { GenesisAccount } from './genesis.ts'

/** The canonical fingerprint's chain-wide settings. */
export interface FingerprintParams {
  /** The most shingle hashes one fingerprint may hold (submissions above it are refused). */
  maxShingles: number
}

/** DatanetRegistry's chain-wide limits. */
export interface DatanetParams {
  /** The largest shingle size (words per shingle) a Datanet may choose. */
  maxShingleSize: number
  /** Near-duplicate threshold, in percent, of a Datanet whose policy leaves it 0. */
  defaultNearDuplicatePct: number
  /** Approved contributions indexed per shingle per Datanet; a shingle this common stops being indexed. */
  maxPostingsPerShingle: number
  maxNameBytes: number
  maxUriBytes: number
}

/** ModelRegistry's chain-wide limits (they bound the gas of a registration). */
export interface ModelParams {
  /** Of `name` and of `baseModel`, each. */
  maxNameBytes: number
  maxUriBytes: number
  /** Datanets one model may name as trained on. */
  maxDatanets: number
}

/** AgentRegistry's chain-wide limits. */
export interface AgentParams {
  maxNameBytes: number
  maxUriBytes: number
  /** Models one agent may use. */
  maxModels: number
}

/** Our own settings, kept under `openledger` in a geth-format genesis.json; absent fields take the defaults. */
export interface OpenLedgerConfig {
  fingerprint: FingerprintParams
  datanets: DatanetParams
  models: ModelParams
  agents: AgentParams
}

export const DEFAULT_OPENLEDGER: OpenLedgerConfig = {
  fingerprint: { maxShingles: 512 },
  datanets: { maxShingleSize: 16, defaultNearDuplicatePct: 80, maxPostingsPerShingle: 64, maxNameBytes: 128, maxUriBytes: 512 },
  models: { maxNameBytes: 128, maxUriBytes: 512, maxDatanets: 16 },
  agents: { maxNameBytes: 128, maxUriBytes: 512, maxModels: 16 },
}

/** Bounds each setting must keep (gas stays bounded; packed storage fields stay in range). */
const BOUNDS: Record<string, [number, number]> = {
  'fingerprint.maxShingles': [1, 65_535],
  'datanets.maxShingleSize': [1, 255],
  'datanets.defaultNearDuplicatePct': [1, 100],
  'datanets.maxPostingsPerShingle': [1, 100_000],
  'datanets.maxNameBytes': [1, 100_000],
  'datanets.maxUriBytes': [1, 100_000],
  'models.maxNameBytes': [1, 100_000],
  'models.maxUriBytes': [1, 100_000],
  'models.maxDatanets': [1, 1_000],
  'agents.maxNameBytes': [1, 100_000],
  'agents.maxUriBytes': [1, 100_000],
  'agents.maxModels': [1, 1_000],
}

export function parseOpenLedger(value: unknown): OpenLedgerConfig {
  const root = section(value, 'openledger', DEFAULT_OPENLEDGER)
  return {
    fingerprint: integers(root.fingerprint, 'fingerprint', DEFAULT_OPENLEDGER.fingerprint),
    datanets: integers(root.datanets, 'datanets', DEFAULT_OPENLEDGER.datanets),
    models: integers(root.models, 'models', DEFAULT_OPENLEDGER.models),
    agents: integers(root.agents, 'agents', DEFAULT_OPENLEDGER.agents),
  }
}

/** The alloc, checked not to list a precompile's address: that account belongs to the precompile. */
export function withoutPrecompileAddresses(alloc: [string, GenesisAccount][]): [string, GenesisAccount][] {
  const reserved = new Map<string, string>(Object.entries(PRECOMPILE_ADDRESSES).map(([name, address]) => [address, name]))
  for (const [address] of alloc) {
    const name = reserved.get(address)
    if (name) throw new GenesisError(`alloc.${address}`, `reserved for the ${name} precompile`)
  }
  return alloc
}

/** The accounts genesis gives the precompiles, besides the alloc: empty but for PRECOMPILE_ACCOUNT_CODE. */
export function precompileAccounts(): [string, GenesisAccount][] {
  return Object.values(PRECOMPILE_ADDRESSES).map((address) => [address, { balance: 0n, nonce: 0n, code: PRECOMPILE_ACCOUNT_CODE, storage: [] }])
}

function section<T extends object>(value: unknown, field: string, defaults: T): Record<string, unknown> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new GenesisError(field, 'expected an object')
  for (const key of Object.keys(value)) {
    if (!(key in defaults)) throw new GenesisError(`${field}.${key}`, `unknown setting (known: ${Object.keys(defaults).join(', ')})`)
  }
  return value as Record<string, unknown>
}

function integers<T extends object>(value: unknown, name: string, defaults: T): T {
  const field = `openledger.${name}`
  const given = section(value, field, defaults)
  const out: Record<string, number> = {}
  for (const key of Object.keys(defaults)) {
    const v = given[key] ?? (defaults as Record<string, number>)[key]
    const [min, max] = BOUNDS[`${name}.${key}`]
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      throw new GenesisError(`${field}.${key}`, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`)
    }
    out[key] = v
  }
  return out as T
}
