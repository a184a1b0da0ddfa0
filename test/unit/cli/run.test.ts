/**
 * `olnode run`'s flags: what a validator and a full node get, the stable identity of each, and every
 * refusal (usage errors naming the flag, a wrong password, a key that is not a validator, a genesis
 * without validators).
 */
import { stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bytesToHex } from '@ethereumjs/util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GenesisError } from '../../../genesis/errors.ts'
import { DEVNET_GENESIS_PATH } from '../../../genesis/genesis.ts'
import { CliUsageError } from '../../../node/cli/errors.ts'
import { GUARD_FILE, NODE_KEY_FILE, runOptions } from '../../../node/cli/run.ts'
import { NotAValidatorError } from '../../../node/consensus/errors.ts'
import { KeyError } from '../../../node/keys/errors.ts'
import { libp2pIdentitySeed } from '../../../node/keys/libp2pSeed.ts'
import { loadValidatorKey, newValidatorKey } from '../../../node/keys/keystore.ts'
import type { NodeOptions } from '../../../node/options.ts'
import { genesisFile, prepareLocalnet, runArgs, type Localnet } from '../../../scripts/localnetFiles.ts'
import { tempDir } from '../support/harness.ts'

const PORTS = { host: '127.0.0.1', p2p: 0, rpc: 0 }

async function options(argv: string[]): Promise<NodeOptions> {
  const opts = await runOptions(argv)
  if (opts === 'help') throw new Error('unexpected help')
  return opts
}

async function failure(argv: string[]): Promise<Error> {
  return runOptions(argv).then(
    () => {
      throw new Error(`run ${argv.join(' ')} was accepted`)
    },
    (err: Error) => err,
  )
}

describe('olnode run options', () => {
  let dir: { dir: string; remove(): Promise<void> }
  let net: Localnet
  /** `run` flags of validator 0 and of the full node, without the leading "run". */
  let validatorFlags: string[]
  let fullNodeFlags: string[]

  beforeAll(async () => {
    dir = await tempDir()
    net = (await prepareLocalnet(dir.dir, { scryptN: 1 << 10 })).localnet
    validatorFlags = runArgs(net, net.validators[0], PORTS, '').slice(1)
    fullNodeFlags = runArgs(net, undefined, PORTS, '').slice(1)
  })

  afterAll(() => dir?.remove())

  it('a validator: its key, its guard in the datadir, a peer identity derived from its key, no miner, no dev methods', async () => {
    const opts = await options(validatorFlags)
    const key = await loadValidatorKey({ keystore: path.join(net.dir, 'keys/validator-0.json'), passwordFile: path.join(net.dir, 'keys/validator-0.password') })
    expect(opts.validator!.key.address).toBe(net.validators[0].address)
    expect(opts.validator!.guardFile).toBe(path.join(net.dir, 'validator-0', GUARD_FILE))
    expect(bytesToHex(opts.network!.identitySeed)).toBe(bytesToHex(libp2pIdentitySeed(key.privateKey)))
    expect(opts.mining).toEqual({ kind: 'manual' })
    expect(opts.devMethods).toBe(false)
    expect(opts.devAccounts).toEqual([])
    expect(opts.genesis.openledger.consensus!.validators).toEqual(net.validators.map((v) => v.address).sort())
    expect(opts.metrics).toBeUndefined()
  })

  it('a full node: no key, a node key made once in the datadir (owner-only) and kept', async () => {
    const first = await options(fullNodeFlags)
    expect(first.validator).toBeUndefined()
    const file = path.join(net.dir, 'fullnode', NODE_KEY_FILE)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    const second = await options(fullNodeFlags)
    expect(bytesToHex(second.network!.identitySeed)).toBe(bytesToHex(first.network!.identitySeed))
  })

  it('a corrupt node key is refused, not replaced', async () => {
    const datadir = path.join(dir.dir, 'corrupt')
    await options(['--datadir', datadir, '--genesis', genesisFile(net)])
    await writeFile(path.join(datadir, NODE_KEY_FILE), 'not hex\n')
    const err = await failure(['--datadir', datadir, '--genesis', genesisFile(net)])
    expect(err.message).toMatch(/node key .* is not 32 bytes of hex/)
  })

  it('flags: ports, peers, bootnodes, RPC address and limits, metrics', async () => {
    const bootnode = `/ip4/127.0.0.1/tcp/30303/p2p/${net.validators[1].peerId}`
    const opts = await options([...fullNodeFlags, '--p2p-port', '30999', '--max-peers', '7', '--bootnodes', bootnode, '--http.port', '8999', '--rpc.gascap', '123', '--metrics', '--metrics.port', '6999'])
    expect(opts.network).toMatchObject({ host: '127.0.0.1', port: 30999, maxConnections: 7, bootnodes: [bootnode] })
    expect(opts.rpc).toMatchObject({ host: '127.0.0.1', port: 8999, gasCap: 123n })
    expect(opts.metrics).toEqual({ host: '127.0.0.1', port: 6999 })
  })

  it('a plaintext key needs its own flag, and validates', async () => {
    const file = path.join(dir.dir, 'plain.key')
    await writeFile(file, bytesToHex((await loadValidatorKey({ keystore: path.join(net.dir, 'keys/validator-2.json'), passwordFile: path.join(net.dir, 'keys/validator-2.password') })).privateKey))
    const opts = await options([...fullNodeFlags, '--insecure-plaintext-key', file])
    expect(opts.validator!.key.address).toBe(net.validators[2].address)
  })

  it.each([
    [[], '--datadir'],
    [['--datadir', 'x'], '--genesis'],
    [['--datadir', 'x', '--genesis', 'g', '--validator-key', 'k'], '--password-file'],
    [['--datadir', 'x', '--genesis', 'g', '--password-file', 'p'], '--validator-key'],
    [['--datadir', 'x', '--genesis', 'g', '--validator-key', 'k', '--password-file', 'p', '--insecure-plaintext-key', 'f'], '--insecure-plaintext-key'],
    [['--datadir', 'x', '--genesis', 'g', '--p2p-port', '70000'], '--p2p-port'],
    [['--datadir', 'x', '--genesis', 'g', '--http.port', 'abc'], '--http.port'],
    [['--datadir', 'x', '--genesis', 'g', '--max-peers', '0'], '--max-peers'],
    [['--datadir', 'x', '--genesis', 'g', '--metrics.port', '6060'], '--metrics.port'],
    [['--datadir', 'x', '--genesis', 'g', '--bootnodes', '/ip4/127.0.0.1/tcp/30303'], '--bootnodes'],
    [['--datadir', 'x', '--genesis', 'g', '--bootnodes', 'nonsense'], '--bootnodes'],
    [['--datadir', 'x', '--genesis', 'g', '--rpc.evmtimeout', '5 s'], '--rpc.evmtimeout'],
  ])('usage error for %j names %s', async (argv, flag) => {
    const err = await failure(argv)
    expect(err).toBeInstanceOf(CliUsageError)
    expect(err.message).toContain(flag)
    expect(err.message).not.toContain('\n')
  })

  it('a wrong password is a KeyError naming the keystore', async () => {
    const wrong = path.join(dir.dir, 'wrong.password')
    await writeFile(wrong, 'not the password\n')
    const flags = validatorFlags.map((f) => (f.endsWith('validator-0.password') ? wrong : f))
    const err = await failure(flags)
    expect(err).toBeInstanceOf(KeyError)
    expect((err as KeyError).code).toBe('KEY_WRONG_PASSWORD')
    expect(err.message).toContain('validator-0.json')
  })

  it('a key that is not among the genesis validators is refused', async () => {
    const file = path.join(dir.dir, 'stranger.key')
    const stranger = newValidatorKey()
    await writeFile(file, bytesToHex(stranger.privateKey))
    const err = await failure([...fullNodeFlags, '--insecure-plaintext-key', file])
    expect(err).toBeInstanceOf(NotAValidatorError)
    expect(err.message).toContain(stranger.address)
  })

  it('a genesis without openledger.consensus is refused', async () => {
    const err = await failure(['--datadir', path.join(dir.dir, 'devnet'), '--genesis', DEVNET_GENESIS_PATH])
    expect(err).toBeInstanceOf(GenesisError)
    expect((err as GenesisError).field).toBe('openledger.consensus')
  })
})
