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

/** Attribution's caps: they bound the gas and the memory of one score. */
export interface AttributionParams {
  /** Shingles an output fingerprint may hold. */
  maxOutputShingles: number
  /** Contributions one score may return. */
  maxContributors: number
  /** Posting-list entries one score may read, over all the model's Datanets; past it the call reverts. */
  maxPostingsRead: number
  /** A matching shingle counts up to this many times its rarity weight when it extends a contiguous run. */
  runBonusCap: number
}

/** The reward policy of Rewards: shares of each inference fee in basis points (summing to 10,000). */
export interface RewardsParams {
  modelBps: number
  agentBps: number
  contributorsBps: number
  treasuryBps: number
  /** Contributions paid per inference at most (at most attribution.maxContributors). */
  maxContributors: number
  /** The protocol treasury's address, lowercase 0x-hex. */
  treasury: string
}

/** How the validators agree on blocks (shared/CONSENSUS.md). */
export interface ConsensusParams {
  /** The validators' addresses: lowercase 0x-hex, distinct, in ascending order (the proposer order). */
  validators: string[]
  /** The wait after a decision before the next height's round 0: the block time. */
  blockPeriodMs: number
  /** Each step's timeout in round 0 ... */
  roundTimeoutMs: number
  /** ... and how much it grows per round: round r waits roundTimeoutMs + r * roundTimeoutDeltaMs. */
  roundTimeoutDeltaMs: number
  /** Blocks per epoch: the validator set may change only at an epoch's first block (later, with staking). */
  epochLength: number
}

/** Our own settings, kept under `openledger` in a geth-format genesis.json; absent fields take the defaults. */
export interface OpenLedgerConfig {
  /** Undefined when genesis has no `consensus` section: a devnet, sealed by its miner, without validators. */
  consensus: ConsensusParams | undefined
  fingerprint: FingerprintParams
  datanets: DatanetParams
  models: ModelParams
  agents: AgentParams
  attribution: AttributionParams
  rewards: RewardsParams
}

/**
 * The default treasury: an address with no key, next to the precompiles, that nobody can spend from
 * until governance says otherwise. A chain sets its own in genesis.
 */
export const DEFAULT_TREASURY = '0x0000000000000000000000000000000000000a00'

/** The timing a `consensus` section takes for the fields it leaves out. */
export const DEFAULT_CONSENSUS_TIMING: Omit<ConsensusParams, 'validators'> = { blockPeriodMs: 1_000, roundTimeoutMs: 2_000, roundTimeoutDeltaMs: 1_000, epochLength: 30_000 }

/** Bounds the cost of checking a commit certificate (one signature recovery per validator at most). */
const MAX_VALIDATORS = 1_000

export const DEFAULT_OPENLEDGER: OpenLedgerConfig = {
  consensus: undefined,
  fingerprint: { maxShingles: 512 },
  datanets: { maxShingleSize: 16, defaultNearDuplicatePct: 80, maxPostingsPerShingle: 64, maxNameBytes: 128, maxUriBytes: 512 },
  models: { maxNameBytes: 128, maxUriBytes: 512, maxDatanets: 16 },
  agents: { maxNameBytes: 128, maxUriBytes: 512, maxModels: 16 },
  attribution: { maxOutputShingles: 1_024, maxContributors: 32, maxPostingsRead: 65_536, runBonusCap: 4 },
  rewards: { modelBps: 2_000, agentBps: 1_000, contributorsBps: 6_000, treasuryBps: 1_000, maxContributors: 16, treasury: DEFAULT_TREASURY },
}

/** Bounds each setting must keep (gas stays bounded; packed storage fields stay in range). */
const BOUNDS: Record<string, [number, number]> = {
  'consensus.blockPeriodMs': [1, 3_600_000],
  'consensus.roundTimeoutMs': [1, 3_600_000],
  'consensus.roundTimeoutDeltaMs': [0, 3_600_000],
  'consensus.epochLength': [1, 1_000_000_000],
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
  'attribution.maxOutputShingles': [1, 65_535],
  'attribution.maxContributors': [1, 1_000],
  'attribution.maxPostingsRead': [1, 10_000_000],
  'attribution.runBonusCap': [1, 64],
  'rewards.modelBps': [0, 10_000],
  'rewards.agentBps': [0, 10_000],
  'rewards.contributorsBps': [0, 10_000],
  'rewards.treasuryBps': [0, 10_000],
  'rewards.maxContributors': [1, 1_000],
}

export function parseOpenLedger(value: unknown): OpenLedgerConfig {
  const root = section(value, 'openledger', DEFAULT_OPENLEDGER)
  return {
    consensus: root.consensus === undefined ? undefined : consensusOf(root.consensus),
    fingerprint: integers(root.fingerprint, 'fingerprint', DEFAULT_OPENLEDGER.fingerprint),
    datanets: integers(root.datanets, 'datanets', DEFAULT_OPENLEDGER.datanets),
    models: integers(root.models, 'models', DEFAULT_OPENLEDGER.models),
    agents: integers(root.agents, 'agents', DEFAULT_OPENLEDGER.agents),
    ...attributionAndRewards(root),
  }
}

/** The two checked together: the policy sums to 10,000 bps and pays no more contributors than a score returns. */
function attributionAndRewards(root: Record<string, unknown>): Pick<OpenLedgerConfig, 'attribution' | 'rewards'> {
  const attribution = integers(root.attribution, 'attribution', DEFAULT_OPENLEDGER.attribution)
  const given = section(root.rewards, 'openledger.rewards', DEFAULT_OPENLEDGER.rewards)
  const { treasury: _, ...numeric } = given
  const shares = integers(numeric, 'rewards', withoutTreasury(DEFAULT_OPENLEDGER.rewards))
  const treasury = treasuryAddress(given.treasury ?? DEFAULT_TREASURY)
  const total = shares.modelBps + shares.agentBps + shares.contributorsBps + shares.treasuryBps
  if (total !== 10_000) throw new GenesisError('openledger.rewards', `modelBps + agentBps + contributorsBps + treasuryBps must be 10000, got ${total}`)
  if (shares.maxContributors > attribution.maxContributors) {
    throw new GenesisError('openledger.rewards.maxContributors', `must be at most openledger.attribution.maxContributors (${attribution.maxContributors}), got ${shares.maxContributors}`)
  }
  return { attribution, rewards: { ...shares, treasury } }
}

/** The validators checked and sorted, the timing within its bounds. */
function consensusOf(value: unknown): ConsensusParams {
  const given = section(value, 'openledger.consensus', { validators: [], ...DEFAULT_CONSENSUS_TIMING })
  const { validators, ...timing } = given
  return { validators: validatorAddresses(validators), ...integers(timing, 'consensus', DEFAULT_CONSENSUS_TIMING) }
}

function validatorAddresses(value: unknown): string[] {
  const field = 'openledger.consensus.validators'
  if (!Array.isArray(value) || value.length === 0) throw new GenesisError(field, 'must be a non-empty array of addresses')
  if (value.length > MAX_VALIDATORS) throw new GenesisError(field, `at most ${MAX_VALIDATORS} validators, got ${value.length}`)
  const addresses = value.map((v, i) => {
    if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw new GenesisError(`${field}[${i}]`, `must be a 0x-prefixed 20-byte address, got ${JSON.stringify(v)}`)
    return v.toLowerCase()
  })
  addresses.sort()
  for (let i = 1; i < addresses.length; i++) {
    if (addresses[i] === addresses[i - 1]) throw new GenesisError(field, `${addresses[i]} is listed twice`)
  }
  return addresses
}

function withoutTreasury(rewards: RewardsParams): Omit<RewardsParams, 'treasury'> {
  const { treasury: _, ...rest } = rewards
  return rest
}

function treasuryAddress(value: unknown): string {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) throw new GenesisError('openledger.rewards.treasury', `must be a 0x-prefixed 20-byte address, got ${JSON.stringify(value)}`)
  const address = value.toLowerCase()
  if ((Object.values(PRECOMPILE_ADDRESSES) as string[]).includes(address)) throw new GenesisError('openledger.rewards.treasury', `${address} is a precompile's account`)
  return address
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
