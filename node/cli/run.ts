import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadGenesisFile, type Genesis } from '../../genesis/genesis.ts'
import { GenesisError } from '../../genesis/errors.ts'
import { NotAValidatorError } from '../consensus/errors.ts'
import type { ValidatorOptions } from '../consensus/services.ts'
import { libp2pIdentitySeed } from '../keys/libp2pSeed.ts'
import { loadValidatorKey, type KeySource } from '../keys/keystore.ts'
import { createLogger } from '../logger.ts'
import { BootnodeError } from '../network/errors.ts'
import { loadOrCreateNodeKey } from '../network/nodeKeyFile.ts'
import { parseBootnode } from '../network/bootnode.ts'
import type { Node } from '../node.ts'
import { DEFAULT_RPC, type NodeOptions } from '../options.ts'
import { CliUsageError } from './errors.ts'
import { integerFlag } from './flags.ts'
import { MEMORY_USAGE } from './memory.ts'
import { RPC_FLAG_OPTIONS, RPC_FLAGS_USAGE, rpcLimitsFromFlags } from './rpcFlags.ts'

/** geth's defaults: p2p on 30303, metrics on 6060, 50 peers. */
const DEFAULT_P2P_PORT = 30303
const DEFAULT_METRICS_PORT = 6060
const DEFAULT_MAX_PEERS = 50

/** Where, inside the datadir (which is also the LevelDB directory), the node keeps its other files. */
export const GUARD_FILE = 'consensus/guard.json'
export const NODE_KEY_FILE = 'p2p/nodekey'

export const RUN_USAGE = `Usage: olnode run --datadir DIR --genesis FILE [options]

Runs a validator (with a key) or a full node (without) of the chain whose genesis has an
openledger.consensus section. The datadir is initialised from the genesis on the first run and
refuses another genesis later; it holds the chain, the double-sign guard (${GUARD_FILE}) and,
for a full node, its libp2p identity (${NODE_KEY_FILE}).

Options:
  --datadir DIR                    chain database and node files (required)
  --genesis FILE                   geth-format genesis.json with openledger.consensus (required)
  --validator-key KEYSTORE         validate with this keystore (olnode keys new) ...
  --password-file F                ... whose password is the first line of F
  --insecure-plaintext-key FILE    validate with a hex private key kept unencrypted in FILE
  --bootnodes LIST                 comma-separated multiaddrs ending in /p2p/<peer id>
  --p2p-host HOST                  libp2p listen address (default 127.0.0.1)
  --p2p-port N                     libp2p TCP port (default ${DEFAULT_P2P_PORT}; 0 picks one)
  --max-peers N                    most libp2p connections (default ${DEFAULT_MAX_PEERS})
  --http.addr HOST                 RPC listen address (default 127.0.0.1)
  --http.port N                    RPC port, HTTP and WebSocket (default ${DEFAULT_RPC.port}; 0 picks one)
  --metrics                        serve Prometheus metrics at /metrics
  --metrics.addr HOST              metrics listen address (default 127.0.0.1)
  --metrics.port N                 metrics port (default ${DEFAULT_METRICS_PORT})
  -h, --help                       this text

${RPC_FLAGS_USAGE}

${MEMORY_USAGE}`

function parseRunArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      datadir: { type: 'string' },
      genesis: { type: 'string' },
      'validator-key': { type: 'string' },
      'password-file': { type: 'string' },
      'insecure-plaintext-key': { type: 'string' },
      bootnodes: { type: 'string' },
      'p2p-host': { type: 'string', default: '127.0.0.1' },
      'p2p-port': { type: 'string', default: String(DEFAULT_P2P_PORT) },
      'max-peers': { type: 'string', default: String(DEFAULT_MAX_PEERS) },
      'http.addr': { type: 'string', default: DEFAULT_RPC.host },
      'http.port': { type: 'string', default: String(DEFAULT_RPC.port) },
      metrics: { type: 'boolean', default: false },
      'metrics.addr': { type: 'string' },
      'metrics.port': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...RPC_FLAG_OPTIONS,
    },
  })
  return values
}

type RunFlags = ReturnType<typeof parseRunArgs>

/** Builds a validator's or full node's options from the flags; loads the key, the genesis and the node key. */
export async function runOptions(argv: string[]): Promise<NodeOptions | 'help'> {
  const flags = parseRunArgs(argv)
  if (flags.help) return 'help'
  if (!flags.datadir) throw new CliUsageError('run needs --datadir DIR (olnode run --help)')
  if (!flags.genesis) throw new CliUsageError('run needs --genesis FILE (olnode run --help)')
  const keySource = keySourceOf(flags)
  const network = { host: flags['p2p-host']!, port: integerFlag('--p2p-port', flags['p2p-port']!, 0, 65535), bootnodes: bootnodesOf(flags.bootnodes), maxConnections: integerFlag('--max-peers', flags['max-peers']!, 1, 10_000) }
  const rpc = { ...rpcLimitsFromFlags(flags), host: flags['http.addr']!, port: integerFlag('--http.port', flags['http.port']!, 0, 65535) }
  const metrics = metricsOf(flags)
  const genesis = await loadGenesisFile(flags.genesis)
  if (!genesis.openledger.consensus) throw new GenesisError('openledger.consensus', `missing: olnode run needs a chain with validators (a devnet runs with olnode devnet)`)
  const datadir = path.resolve(flags.datadir)
  const validator = keySource && (await validatorOf(keySource, genesis, datadir))
  const identitySeed = validator ? libp2pIdentitySeed(validator.key.privateKey) : await loadOrCreateNodeKey(path.join(datadir, NODE_KEY_FILE))
  return {
    genesis,
    datadir,
    syncWrites: false,
    rpc,
    devMethods: false,
    // Blocks come from consensus only: the miner must never seal on a validator network.
    mining: { kind: 'manual' },
    devAccounts: [],
    coinbase: new Uint8Array(20),
    network: { ...network, identitySeed },
    validator,
    metrics,
    logger: createLogger(),
  }
}

function keySourceOf(flags: RunFlags): KeySource | undefined {
  const keystore = flags['validator-key']
  const passwordFile = flags['password-file']
  const plaintext = flags['insecure-plaintext-key']
  if (keystore && plaintext) throw new CliUsageError('--validator-key and --insecure-plaintext-key exclude each other')
  if (keystore && !passwordFile) throw new CliUsageError('--validator-key needs --password-file F')
  if (passwordFile && !keystore) throw new CliUsageError('--password-file goes with --validator-key KEYSTORE')
  if (keystore && passwordFile) return { keystore, passwordFile }
  if (plaintext) return { plaintextKeyFile: plaintext, insecure: true }
  return undefined
}

function bootnodesOf(list: string | undefined): string[] {
  const bootnodes = (list ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '')
  for (const text of bootnodes) {
    try {
      parseBootnode(text)
    } catch (err) {
      if (err instanceof BootnodeError) throw new CliUsageError(`--bootnodes: ${err.message}`)
      throw err
    }
  }
  return bootnodes
}

function metricsOf(flags: RunFlags): NodeOptions['metrics'] {
  if (!flags.metrics) {
    const given = flags['metrics.addr'] !== undefined ? '--metrics.addr' : flags['metrics.port'] !== undefined ? '--metrics.port' : undefined
    if (given) throw new CliUsageError(`${given} needs --metrics`)
    return undefined
  }
  return { host: flags['metrics.addr'] ?? '127.0.0.1', port: integerFlag('--metrics.port', flags['metrics.port'] ?? String(DEFAULT_METRICS_PORT), 0, 65535) }
}

/** The key, checked against the genesis validators before anything starts, and where its guard lives. */
async function validatorOf(source: KeySource, genesis: Genesis, datadir: string): Promise<ValidatorOptions> {
  const key = await loadValidatorKey(source)
  if (!genesis.openledger.consensus!.validators.includes(key.address)) throw new NotAValidatorError(key.address)
  const guardFile = path.join(datadir, GUARD_FILE)
  await mkdir(path.dirname(guardFile), { recursive: true })
  return { key, guardFile }
}

/** What the node is and where to reach it; "Listening on" comes last, as with the devnet (scripts wait for it). */
export function runBanner(node: Node, opts: NodeOptions): string {
  const role = opts.validator ? `validator ${opts.validator.key.address}` : 'full node (not validating)'
  const network = node.network!
  const lines = ['', 'olnode run', '', `Role:              ${role}`, `Chain ID:          ${opts.genesis.chainId}`, `Datadir:           ${opts.datadir}`]
  lines.push(`Head block:        ${node.chain.headBlock.header.number}`, `Peer ID:           ${network.peerId}`)
  for (const address of network.addresses()) lines.push(`P2P address:       ${address}`)
  lines.push(`RPC URL:           ${node.rpc!.url}`, `WebSocket URL:     ${node.rpc!.wsUrl}`, `Metrics URL:       ${node.metrics?.url ?? 'off (--metrics)'}`)
  lines.push('', `Listening on ${node.rpc!.url.replace(/^http:\/\//, '')}`)
  return lines.join('\n')
}
