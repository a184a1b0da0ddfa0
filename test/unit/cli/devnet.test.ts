import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bytesToHex } from '@ethereumjs/util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { devnetGenesis } from '../../../genesis/genesis.ts'
import { banner, devnetOptions } from '../../../node/cli/devnet.ts'
import { CliUsageError } from '../../../node/cli/errors.ts'
import { deriveDevAccounts } from '../../../node/devAccounts.ts'
import { silentLogger } from '../../../node/logger.ts'
import { Node } from '../../../node/node.ts'
import type { NodeOptions } from '../../../node/options.ts'
import { OPEN, tempDir } from '../support/harness.ts'

/** devnetOptions for flags that do not ask for help. */
async function options(argv: string[]): Promise<NodeOptions> {
  const opts = await devnetOptions(argv)
  if (opts === 'help') throw new Error('unexpected help')
  return { ...opts, logger: silentLogger() }
}

async function usageError(argv: string[]): Promise<CliUsageError> {
  const err = await devnetOptions(argv).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(CliUsageError)
  return err as CliUsageError
}

const TEN = deriveDevAccounts(10)

describe('devnetOptions', () => {
  it('defaults: 127.0.0.1:8545, ./.olnode/devnet, automine, the devnet genesis and its 10 dev accounts', async () => {
    const opts = await options([])
    expect(opts.rpc).toMatchObject({ host: '127.0.0.1', port: 8545 })
    expect(opts.datadir).toBe(path.resolve('.olnode/devnet'))
    expect(opts.mining).toEqual({ kind: 'auto' })
    expect(opts.genesis).toEqual(devnetGenesis())
    expect(opts.devAccounts.map((a) => a.address)).toEqual(TEN.map((a) => a.address))
    expect(opts.devAccounts.map((a) => bytesToHex(a.privateKey))).toEqual(TEN.map((a) => bytesToHex(a.privateKey)))
    expect(await devnetOptions(['--help'])).toBe('help')
    expect(await devnetOptions(['-h'])).toBe('help')
  })

  it('--port, --host, --datadir, --in-memory', async () => {
    const opts = await options(['--port', '9123', '--host', '0.0.0.0', '--datadir', 'some/dir'])
    expect(opts.rpc).toMatchObject({ host: '0.0.0.0', port: 9123 })
    expect(opts.datadir).toBe(path.resolve('some/dir'))
    expect((await options(['--in-memory'])).datadir).toBeUndefined()
    expect((await options(['--port=0'])).rpc).toMatchObject({ port: 0 })
  })

  it('--in-memory and --datadir together are a usage error', async () => {
    const err = await usageError(['--in-memory', '--datadir', 'x'])
    expect(err.message).toContain('--in-memory')
    expect(err.message).toContain('--datadir')
  })

  it('--block-time N seals every N seconds', async () => {
    expect((await options(['--block-time', '2'])).mining).toEqual({ kind: 'interval', blockTimeMs: 2000 })
    expect((await options(['--block-time', '0.25'])).mining).toEqual({ kind: 'interval', blockTimeMs: 250 })
  })

  it('--chain-id changes the genesis chain ID and nothing else', async () => {
    const opts = await options(['--chain-id', '31337'])
    expect(opts.genesis.chainId).toBe(31337)
    expect({ ...opts.genesis, chainId: 1337 }).toEqual(devnetGenesis())
  })

  it('--gas-limit sets the genesis gas limit and nothing else', async () => {
    const opts = await options(['--gas-limit', '100000000'])
    expect(opts.genesis.gasLimit).toBe(100_000_000n)
    expect({ ...opts.genesis, gasLimit: devnetGenesis().gasLimit }).toEqual(devnetGenesis())
  })

  it('--accounts 3 --balance 5 gives exactly 3 funded dev accounts of 5 OPEN', async () => {
    const opts = await options(['--accounts', '3', '--balance', '5'])
    const three = TEN.slice(0, 3).map((a) => a.address)
    expect(opts.devAccounts.map((a) => a.address)).toEqual(three)
    const funded = opts.genesis.alloc.filter(([, acct]) => acct.balance > 0n)
    expect(funded.map(([a]) => a).sort()).toEqual([...three].sort())
    for (const [, acct] of funded) expect(acct.balance).toBe(5n * OPEN)
  })

  it('--accounts beyond the genesis’ ten funds the extra ones too; --balance alone re-funds all ten', async () => {
    const twelve = await options(['--accounts', '12'])
    expect(twelve.devAccounts).toHaveLength(12)
    expect(twelve.genesis.alloc).toHaveLength(12)
    for (const a of twelve.devAccounts) expect(twelve.genesis.alloc.find(([addr]) => addr === a.address)?.[1].balance).toBe(10_000n * OPEN)
    const poorer = await options(['--balance', '7'])
    expect(poorer.genesis.alloc.map(([a]) => a).sort()).toEqual(TEN.map((a) => a.address).sort())
    for (const [, acct] of poorer.genesis.alloc) expect(acct.balance).toBe(7n * OPEN)
  })

  it('dev funding keeps the other accounts of a --genesis file', async () => {
    const { dir, remove } = await tempDir('olnode-cli-')
    try {
      const other = '0x00000000000000000000000000000000000000aa'
      const file = path.join(dir, 'genesis.json')
      await writeFile(
        file,
        JSON.stringify({
          config: { chainId: 99 },
          gasLimit: '30000000',
          alloc: { [other]: { balance: '1', code: '0x00' }, [TEN[5].address]: { balance: '100' } },
        }),
      )
      const opts = await options(['--genesis', file, '--accounts', '2'])
      expect(opts.genesis.chainId).toBe(99)
      expect(opts.genesis.alloc.map(([a]) => a).sort()).toEqual([other, TEN[0].address, TEN[1].address].sort())
      expect(opts.genesis.alloc.find(([a]) => a === other)?.[1].code).toEqual(Uint8Array.of(0))
      // Without funding flags the file is taken as it is.
      const asIs = await options(['--genesis', file])
      expect(asIs.genesis.alloc.map(([a]) => a).sort()).toEqual([other, TEN[5].address].sort())
    } finally {
      await remove()
    }
  })

  const bad: [string[], string][] = [
    [['--port', '70000'], '--port'],
    [['--port', 'http'], '--port'],
    [['--port', '80.5'], '--port'],
    [['--block-time', '0'], '--block-time'],
    [['--block-time', 'soon'], '--block-time'],
    [['--block-time=-1'], '--block-time'],
    [['--block-time', '86401'], '--block-time'],
    [['--chain-id', '0'], '--chain-id'],
    [['--chain-id', '0x539'], '--chain-id'],
    [['--chain-id', '1.5'], '--chain-id'],
    [['--gas-limit', '4999'], '--gas-limit'],
    [['--gas-limit', '30M'], '--gas-limit'],
    [['--accounts', 'ten'], '--accounts'],
    [['--accounts=-1'], '--accounts'],
    [['--accounts', '1001'], '--accounts'],
    [['--balance', 'lots'], '--balance'],
    [['--balance', '1e3'], '--balance'],
  ]
  it.each(bad)('%j is a usage error naming %s', async (argv, flag) => {
    const err = await usageError(argv)
    expect(err.message).toContain(flag)
    expect(err.code).toBe('CLI_USAGE')
  })

  it('an unknown flag is refused by the parser', async () => {
    await expect(devnetOptions(['--prot', '1'])).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' })
  })
})

describe('banner', () => {
  let node: Node
  let opts: NodeOptions
  beforeAll(async () => {
    opts = await options(['--in-memory', '--port', '0', '--accounts', '3', '--balance', '5', '--chain-id', '4321', '--block-time', '2'])
    node = await Node.init(opts)
  })
  afterAll(() => node.close())

  it('lists addresses with balances, private keys and the chain ID, and ends with the address it listens on', async () => {
    const text = banner(node, opts)
    const lines = text.split('\n')
    for (const [i, a] of TEN.slice(0, 3).entries()) {
      expect(lines).toContain(`(${i}) ${a.address} (5 OPEN)`)
      expect(lines).toContain(`(${i}) ${bytesToHex(a.privateKey)}`)
    }
    expect(text).not.toContain(TEN[3].address)
    expect(text).toMatch(/Chain ID:\s+4321$/m)
    expect(text).toMatch(/Mining:\s+every 2 s$/m)
    expect(text).toMatch(/Datadir:\s+\(in memory\)$/m)
    expect(text).toContain('test test test test test test test test test test test junk')
    const port = new URL(node.rpc!.url).port
    expect(Number(port)).toBeGreaterThan(0)
    expect(lines.at(-1)).toBe(`Listening on 127.0.0.1:${port}`)
    // It really listens there, on the chain the banner names.
    const res = await fetch(`http://127.0.0.1:${port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    })
    expect(((await res.json()) as { result: string }).result).toBe('0x10e1')
  })

  it('prints fractional OPEN balances exactly', async () => {
    const { dir, remove } = await tempDir('olnode-banner-')
    const file = path.join(dir, 'genesis.json')
    await writeFile(file, JSON.stringify({ config: { chainId: 5 }, gasLimit: '30000000', alloc: { [TEN[0].address]: { balance: '1500000000000000001' } } }))
    const o = await options(['--in-memory', '--port', '0', '--genesis', file, '--accounts', '1'])
    // --accounts re-funds: read the file's balance through a copy of the options without funding flags.
    const asIs = await options(['--in-memory', '--port', '0', '--genesis', file])
    const n = await Node.init({ ...asIs, devAccounts: o.devAccounts })
    try {
      expect(banner(n, { ...asIs, devAccounts: o.devAccounts })).toContain(`(0) ${TEN[0].address} (1.500000000000000001 OPEN)`)
    } finally {
      await n.close()
      await remove()
    }
  })
})
