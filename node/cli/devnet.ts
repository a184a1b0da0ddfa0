import path from 'node:path'
import { parseArgs } from 'node:util'
import { bytesToHex } from '@ethereumjs/util'
import { DEVNET_GENESIS_PATH, loadGenesisFile, type Genesis } from '../../genesis/genesis.ts'
import { deriveDevAccounts, DEV_MNEMONIC, type DevAccount } from '../devAccounts.ts'
import { createLogger } from '../logger.ts'
import type { MiningMode } from '../miner/miner.ts'
import { Node } from '../node.ts'
import { DEFAULT_RPC, type NodeOptions } from '../options.ts'
import { CliUsageError } from './errors.ts'
import { integerFlag } from './flags.ts'
import { MEMORY_USAGE } from './memory.ts'
import { RPC_FLAG_OPTIONS, RPC_FLAGS_USAGE, rpcLimitsFromFlags } from './rpcFlags.ts'

const WEI_PER_OPEN = 10n ** 18n
/** Dev accounts when --accounts is not given (anvil's and Hardhat's ten). */
const DEFAULT_ACCOUNTS = 10

export const DEVNET_USAGE = `Usage: olnode devnet [options]

Starts a single-node development chain (like anvil / hardhat node) on LevelDB.

Options:
  --host HOST          RPC listen address (default 127.0.0.1)
  --port N             RPC port, HTTP and WebSocket (default 8545)
  --datadir DIR        chain database directory (default ./.olnode/devnet)
  --in-memory          keep the chain in memory only
  --block-time N       seal a block every N seconds (default: automine, a block per transaction)
  --chain-id N         chain ID (default: the genesis file's, 1337)
  --gas-limit N        block gas limit (default: the genesis file's, 30000000)
  --accounts N         number of funded dev accounts (default 10)
  --balance N          balance of each dev account in OPEN (default 10000)
  --genesis FILE       geth-format genesis.json (default genesis/devnet.json)
  -h, --help           this text

${RPC_FLAGS_USAGE}

${MEMORY_USAGE}`

function parseDevnetArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      host: { type: 'string', default: DEFAULT_RPC.host },
      port: { type: 'string', default: String(DEFAULT_RPC.port) },
      datadir: { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      'block-time': { type: 'string' },
      'chain-id': { type: 'string' },
      'gas-limit': { type: 'string' },
      accounts: { type: 'string' },
      balance: { type: 'string' },
      genesis: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...RPC_FLAG_OPTIONS,
    },
  })
  return values
}

/** Builds the node's options from the devnet flags: the devnet genesis, adjusted by the flags. */
export async function devnetOptions(argv: string[]): Promise<NodeOptions | 'help'> {
  const flags = parseDevnetArgs(argv)
  if (flags.help) return 'help'
  if (flags['in-memory'] && flags.datadir) throw new CliUsageError('--in-memory and --datadir exclude each other')
  const accountCount = flags.accounts === undefined ? DEFAULT_ACCOUNTS : integerFlag('--accounts', flags.accounts, 0, 1000)
  // At least the default ten: mnemonic accounts the genesis funds beyond the count must lose that funding.
  const mnemonicAccounts = deriveDevAccounts(Math.max(accountCount, DEFAULT_ACCOUNTS))
  const devAccounts = mnemonicAccounts.slice(0, accountCount)
  const genesis = await loadGenesisFile(flags.genesis ?? DEVNET_GENESIS_PATH)
  const adjusted = withGasLimit(withDevFunding(genesis, devAccounts, mnemonicAccounts, flags), flags['gas-limit'])
  return {
    genesis: adjusted,
    datadir: flags['in-memory'] ? undefined : path.resolve(flags.datadir ?? '.olnode/devnet'),
    syncWrites: false,
    devMethods: true,
    rpc: { ...rpcLimitsFromFlags(flags), host: flags.host!, port: integerFlag('--port', flags.port!, 0, 65535) },
    mining: miningMode(flags['block-time']),
    devAccounts,
    coinbase: new Uint8Array(20),
    logger: createLogger(),
  }
}

function miningMode(blockTime: string | undefined): MiningMode {
  if (blockTime === undefined) return { kind: 'auto' }
  const seconds = Number(blockTime)
  if (!(seconds > 0) || seconds > 86_400) throw new CliUsageError(`--block-time must be a number of seconds in (0, 86400], got ${JSON.stringify(blockTime)}`)
  return { kind: 'interval', blockTimeMs: Math.round(seconds * 1000) }
}

/**
 * --chain-id, --accounts and --balance rewrite the genesis: the dev accounts get exactly that balance,
 * and the other accounts of the mnemonic (`mnemonicAccounts`) the genesis lists are left out of it,
 * so that `--accounts N` funds N accounts.
 */
function withDevFunding(genesis: Genesis, accounts: DevAccount[], mnemonicAccounts: DevAccount[], flags: ReturnType<typeof parseDevnetArgs>): Genesis {
  const chainId = flags['chain-id'] === undefined ? genesis.chainId : integerFlag('--chain-id', flags['chain-id'], 1, Number.MAX_SAFE_INTEGER)
  if (flags.accounts === undefined && flags.balance === undefined) return { ...genesis, chainId }
  const balance = flags.balance === undefined ? 10_000n * WEI_PER_OPEN : BigInt(integerFlag('--balance', flags.balance, 0, Number.MAX_SAFE_INTEGER)) * WEI_PER_OPEN
  const devSet = new Set(mnemonicAccounts.map((a) => a.address))
  const others = genesis.alloc.filter(([addr]) => !devSet.has(addr))
  const dev = accounts.map((a): [string, Genesis['alloc'][number][1]] => [a.address, { balance, nonce: 0n, storage: [] }])
  const alloc = [...others, ...dev].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { ...genesis, chainId, alloc }
}

/** --gas-limit sets the genesis block's gas limit, which every later block keeps (anvil's --gas-limit). */
function withGasLimit(genesis: Genesis, flag: string | undefined): Genesis {
  if (flag === undefined) return genesis
  return { ...genesis, gasLimit: BigInt(integerFlag('--gas-limit', flag, 5_000, Number.MAX_SAFE_INTEGER)) }
}

/** The banner anvil users expect: accounts, keys, chain ID, then "Listening on" last (tools wait for it). */
export function banner(node: Node, opts: NodeOptions): string {
  const lines = ['', 'olnode devnet', '', 'Available Accounts', '==================']
  opts.devAccounts.forEach((a, i) => lines.push(`(${i}) ${a.address} (${formatOpen(balanceOf(opts.genesis, a.address))} OPEN)`))
  lines.push('', 'Private Keys', '==================')
  opts.devAccounts.forEach((a, i) => lines.push(`(${i}) ${bytesToHex(a.privateKey)}`))
  lines.push('', 'Wallet', '==================', `Mnemonic:          ${DEV_MNEMONIC}`, `Derivation path:   m/44'/60'/0'/0/`)
  lines.push('', `Chain ID:          ${opts.genesis.chainId}`, `Datadir:           ${opts.datadir ?? '(in memory)'}`)
  lines.push(`Head block:        ${node.chain.headBlock.header.number}`, `Mining:            ${describeMining(opts.mining)}`)
  lines.push(`RPC URL:           ${node.rpc!.url}`, `WebSocket URL:     ${node.rpc!.wsUrl}`, '', `Listening on ${node.rpc!.url.replace(/^http:\/\//, '')}`)
  return lines.join('\n')
}

function balanceOf(genesis: Genesis, address: string): bigint {
  return genesis.alloc.find(([a]) => a === address)?.[1].balance ?? 0n
}

function formatOpen(wei: bigint): string {
  const whole = wei / WEI_PER_OPEN
  const frac = wei % WEI_PER_OPEN
  return frac === 0n ? whole.toString() : `${whole}.${frac.toString().padStart(18, '0').replace(/0+$/, '')}`
}

function describeMining(mode: MiningMode): string {
  return mode.kind === 'auto' ? 'automine' : mode.kind === 'interval' ? `every ${mode.blockTimeMs / 1000} s` : 'manual'
}
