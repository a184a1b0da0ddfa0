/**
 * The files of a local validator network, in one directory: a genesis naming fresh validators,
 * their keystores and password files, a datadir per node, and localnet.json, which lists them with
 * the peer IDs their keys give (so every node's bootnodes are known before any starts).
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { DEVNET_GENESIS_PATH } from '../genesis/genesis.ts'
import { DEFAULT_CONSENSUS_TIMING, type ConsensusParams } from '../genesis/openledger.ts'
import { newValidatorKey, writeKeystore, type ValidatorKey } from '../node/keys/keystore.ts'
import { libp2pIdentitySeed } from '../node/keys/libp2pSeed.ts'
import { identityFromSeed } from '../node/network/identity.ts'

export interface LocalnetValidator {
  /** validator-<i>: its datadir is <dir>/<name>, its keystore <dir>/keys/<name>.json and password <dir>/keys/<name>.password. */
  name: string
  address: string
  peerId: string
}

/** `dir` is where the files are (not kept in localnet.json, so the directory can move). */
export interface Localnet {
  dir: string
  validators: LocalnetValidator[]
}

/** The full node's name, which is also its datadir's (it makes its own peer identity there). */
export const FULL_NODE = 'fullnode'

export const genesisFile = (localnet: Localnet) => path.join(localnet.dir, 'genesis.json')
const keystoreOf = (dir: string, name: string) => path.join(dir, 'keys', `${name}.json`)
const passwordFileOf = (dir: string, name: string) => path.join(dir, 'keys', `${name}.password`)

export type ConsensusTiming = Omit<ConsensusParams, 'validators'>

export interface LocalnetOptions {
  validators?: number
  /** Block period and timeouts of the genesis (default: the genesis defaults, a block a second). */
  timing?: ConsensusTiming
  /** scrypt cost of the keystores (default: geth's "light" 2^12, as the password sits next to the key anyway). */
  scryptN?: number
}

const MANIFEST = 'localnet.json'
const LIGHT_SCRYPT_N = 1 << 12

/** Writes a new localnet into `dir`, or reads the one already there (so a restart keeps its chain). */
export async function prepareLocalnet(dir: string, opts: LocalnetOptions = {}): Promise<{ localnet: Localnet; created: boolean }> {
  const manifest = path.join(dir, MANIFEST)
  if (existsSync(manifest)) return { localnet: { dir, validators: (JSON.parse(await readFile(manifest, 'utf8')) as Omit<Localnet, 'dir'>).validators }, created: false }
  await mkdir(path.join(dir, 'keys'), { recursive: true })
  const keys = Array.from({ length: opts.validators ?? 4 }, newValidatorKey)
  const validators = await Promise.all(keys.map((key, i) => writeValidator(dir, `validator-${i}`, key, opts.scryptN ?? LIGHT_SCRYPT_N)))
  const localnet: Localnet = { dir, validators }
  await writeFile(genesisFile(localnet), JSON.stringify(await localnetGenesis(keys, opts.timing ?? DEFAULT_CONSENSUS_TIMING), null, 2) + '\n')
  // Written last: a directory without it was never finished, and is made again.
  await writeFile(manifest, JSON.stringify({ validators }, null, 2) + '\n')
  return { localnet, created: true }
}

async function writeValidator(dir: string, name: string, key: ValidatorKey, scryptN: number): Promise<LocalnetValidator> {
  const password = randomBytes(16).toString('hex')
  // 'w', not 'wx': an unfinished directory (no localnet.json) is written over.
  await writeFile(passwordFileOf(dir, name), `${password}\n`, { mode: 0o600 })
  await rm(keystoreOf(dir, name), { force: true })
  await writeKeystore(keystoreOf(dir, name), key, password, scryptN)
  return { name, address: key.address, peerId: await peerIdOf(key) }
}

/** The peer ID `olnode run` takes for this key (its libp2p identity is derived from the key). */
async function peerIdOf(key: ValidatorKey): Promise<string> {
  return peerIdFromPrivateKey(await identityFromSeed(libp2pIdentitySeed(key.privateKey))).toString()
}

/** The devnet's genesis (chain 1337, the ten funded dev accounts) with these validators deciding blocks. */
async function localnetGenesis(keys: ValidatorKey[], timing: ConsensusTiming): Promise<Record<string, unknown>> {
  const devnet = JSON.parse(await readFile(DEVNET_GENESIS_PATH, 'utf8')) as { openledger?: Record<string, unknown> }
  const validators = keys.map((k) => k.address).sort()
  return { ...devnet, openledger: { ...devnet.openledger, consensus: { validators, ...timing } } }
}

/** Where a node listens: libp2p, RPC and (optionally) metrics ports. */
export interface NodePorts {
  host: string
  p2p: number
  rpc: number
  metrics?: number
}

/** The bootnode list of a network: every validator at `addressOf(i)` (a node leaves itself out). */
export function bootnodes(localnet: Localnet, addressOf: (index: number) => string): string {
  return localnet.validators.map((v, i) => `${addressOf(i)}/p2p/${v.peerId}`).join(',')
}

/** The `olnode run` arguments of a validator (with its keystore) or, for `undefined`, of the full node. */
export function runArgs(localnet: Localnet, validator: LocalnetValidator | undefined, ports: NodePorts, bootnodeList: string): string[] {
  const { dir } = localnet
  const key = validator ? ['--validator-key', keystoreOf(dir, validator.name), '--password-file', passwordFileOf(dir, validator.name)] : []
  const metrics = ports.metrics === undefined ? [] : ['--metrics', '--metrics.addr', ports.host, '--metrics.port', String(ports.metrics)]
  return [
    'run',
    ...['--datadir', path.join(dir, validator ? validator.name : FULL_NODE), '--genesis', genesisFile(localnet), ...key],
    ...['--p2p-host', ports.host, '--p2p-port', String(ports.p2p), '--http.addr', ports.host, '--http.port', String(ports.rpc), ...metrics],
    ...['--bootnodes', bootnodeList],
  ]
}
