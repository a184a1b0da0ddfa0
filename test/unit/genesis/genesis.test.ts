import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Address, bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GenesisError } from '../../../genesis/errors.ts'
import { DEVNET_GENESIS_PATH, devnetGenesis, loadGenesisFile, parseGenesis } from '../../../genesis/genesis.ts'
import { DEFAULT_OPENLEDGER } from '../../../genesis/openledger.ts'
import { deriveDevAccounts } from '../../../node/devAccounts.ts'
import { PRECOMPILE_ACCOUNT_CODE, PRECOMPILE_ADDRESSES } from '../../../precompiles/addresses.ts'
import { createStateManager } from '../../../node/execution/state.ts'
import { OPEN, openChainParts, tempDir } from '../support/harness.ts'

const ADDR_1 = '0x1111111111111111111111111111111111111111'
const ADDR_2 = '0x00000000000000000000000000000000000000aa'

/** A minimal valid genesis, with `patch` merged over it. */
function doc(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { config: { chainId: 7 }, gasLimit: '0x1c9c380', alloc: { [ADDR_1]: { balance: '0x1' } }, ...patch }
}

/** The GenesisError `parseGenesis(json)` throws; fails the test if it throws anything else or nothing. */
function genesisError(json: unknown): GenesisError {
  try {
    parseGenesis(json)
  } catch (err) {
    expect(err).toBeInstanceOf(GenesisError)
    return err as GenesisError
  }
  throw new Error('parseGenesis accepted an invalid genesis')
}

describe('the bundled devnet genesis', () => {
  it('is chain 1337 with the 10 mnemonic dev accounts at 10,000 OPEN each', () => {
    const g = devnetGenesis()
    expect(g.chainId).toBe(1337)
    expect(g.gasLimit).toBe(30_000_000n)
    expect(g.baseFeePerGas).toBe(1_000_000_000n)
    const expected = deriveDevAccounts(10).map((a) => a.address).sort()
    expect(g.alloc.map(([addr]) => addr)).toEqual(expected)
    for (const [, account] of g.alloc) {
      expect(account.balance).toBe(10_000n * OPEN)
      expect(account.nonce).toBe(0n)
      expect(account.code).toBeUndefined()
      expect(account.storage).toEqual([])
    }
  })

  it('loads the same from its file', async () => {
    const fromFile = await loadGenesisFile(DEVNET_GENESIS_PATH)
    expect(fromFile).toEqual(devnetGenesis())
  })
})

describe('parseGenesis quantities and defaults', () => {
  it('accepts decimal strings, hex strings (either 0x case) and JSON numbers alike', () => {
    const hex = parseGenesis(doc({ gasLimit: '0x1c9c380', alloc: { [ADDR_1]: { balance: '0x3e8', nonce: '0x5' } } }))
    const dec = parseGenesis(doc({ gasLimit: '30000000', alloc: { [ADDR_1]: { balance: '1000', nonce: '5' } } }))
    const num = parseGenesis(doc({ gasLimit: 30_000_000, alloc: { [ADDR_1]: { balance: 1000, nonce: 5 } } }))
    const upper = parseGenesis(doc({ gasLimit: '0X1C9C380', alloc: { [ADDR_1]: { balance: '0X3E8', nonce: '0X5' } } }))
    for (const g of [hex, dec, num, upper]) {
      expect(g.gasLimit).toBe(30_000_000n)
      expect(g.alloc[0][1].balance).toBe(1000n)
      expect(g.alloc[0][1].nonce).toBe(5n)
    }
    expect(parseGenesis(doc({ config: { chainId: '0x2a' } })).chainId).toBe(42)
    expect(parseGenesis(doc({ config: { chainId: '42' } })).chainId).toBe(42)
  })

  it('takes balances up to 2^256-1 exactly (beyond a double)', () => {
    const max = (1n << 256n) - 1n
    const g = parseGenesis(doc({ alloc: { [ADDR_1]: { balance: max.toString() }, [ADDR_2]: { balance: `0x${max.toString(16)}` } } }))
    expect(g.alloc.map(([, a]) => a.balance)).toEqual([max, max])
    expect(genesisError(doc({ alloc: { [ADDR_1]: { balance: (max + 1n).toString() } } })).field).toBe(`alloc.${ADDR_1}.balance`)
  })

  it('fills geth defaults for absent fields', () => {
    const g = parseGenesis(doc())
    expect(g.baseFeePerGas).toBe(1_000_000_000n)
    expect(g.timestamp).toBe(0n)
    expect(g.extraData).toEqual(new Uint8Array())
    expect(g.mixHash).toEqual(new Uint8Array(32))
    expect(g.coinbase).toEqual(new Uint8Array(20))
    expect(g.nonce).toEqual(new Uint8Array(8))
  })

  it('encodes the header nonce as 8 big-endian bytes', () => {
    expect(bytesToHex(parseGenesis(doc({ nonce: '0x42' })).nonce)).toBe('0x0000000000000042')
    expect(genesisError(doc({ nonce: `0x1${'0'.repeat(16)}` })).field).toBe('nonce')
  })

  it('lowercases addresses, sorts the alloc, pads storage words and reads code', () => {
    const mixed = '0xAbCdEf0000000000000000000000000000000001'
    const g = parseGenesis(
      doc({
        alloc: {
          [ADDR_1]: { balance: '1' },
          [mixed]: { code: '0x6001', storage: { '0x01': '0x02' } },
          [ADDR_2.slice(2)]: {},
        },
      }),
    )
    expect(g.alloc.map(([a]) => a)).toEqual([ADDR_2, ADDR_1, mixed.toLowerCase()])
    const [, contract] = g.alloc[2]
    expect(contract.code).toEqual(Uint8Array.of(0x60, 0x01))
    expect(contract.storage).toHaveLength(1)
    const [slot, value] = contract.storage[0]
    expect(slot).toHaveLength(32)
    expect(value).toHaveLength(32)
    expect(slot[31]).toBe(1)
    expect(value[31]).toBe(2)
    expect(g.alloc[0][1]).toEqual({ balance: 0n, nonce: 0n, code: undefined, storage: [] })
  })
})

describe('the openledger section', () => {
  it('takes the defaults for what it leaves out', () => {
    expect(parseGenesis(doc()).openledger).toEqual(DEFAULT_OPENLEDGER)
    expect(DEFAULT_OPENLEDGER.fingerprint.maxShingles).toBe(512)
    expect(DEFAULT_OPENLEDGER.datanets.defaultNearDuplicatePct).toBe(80)
    const g = parseGenesis(doc({ openledger: { fingerprint: { maxShingles: 100 }, datanets: { maxShingleSize: 8 } } }))
    expect(g.openledger.fingerprint.maxShingles).toBe(100)
    expect(g.openledger.datanets).toEqual({ ...DEFAULT_OPENLEDGER.datanets, maxShingleSize: 8 })
    expect(DEFAULT_OPENLEDGER.models.maxDatanets).toBe(16)
    expect(DEFAULT_OPENLEDGER.agents.maxModels).toBe(16)
    const caps = parseGenesis(doc({ openledger: { models: { maxDatanets: 4 }, agents: { maxUriBytes: 64 } } })).openledger
    expect([caps.models, caps.agents]).toEqual([{ ...DEFAULT_OPENLEDGER.models, maxDatanets: 4 }, { ...DEFAULT_OPENLEDGER.agents, maxUriBytes: 64 }])
  })

  it('gives every precompile an account with code in the genesis state', async () => {
    const parts = await openChainParts()
    try {
      const state = createStateManager(parts.common, parts.store, parts.chain.headBlock.header.stateRoot)
      for (const address of Object.values(PRECOMPILE_ADDRESSES)) {
        expect(await state.getCode(createAddressFromString(address))).toEqual(PRECOMPILE_ACCOUNT_CODE)
      }
    } finally {
      await parts.kv.close()
    }
  })
})

describe('parseGenesis errors name the field at fault', () => {
  const cases: [string, unknown, string][] = [
    ['a non-object root', [], '(root)'],
    ['a missing config', { gasLimit: '0x5000' }, 'config'],
    ['a missing chainId', doc({ config: {} }), 'config.chainId'],
    ['a zero chainId', doc({ config: { chainId: 0 } }), 'config.chainId'],
    ['a negative chainId', doc({ config: { chainId: -1 } }), 'config.chainId'],
    ['a fractional chainId', doc({ config: { chainId: 1.5 } }), 'config.chainId'],
    ['a non-numeric chainId', doc({ config: { chainId: 'mainnet' } }), 'config.chainId'],
    ['a chainId beyond 2^53', doc({ config: { chainId: '0x1000000000000000' } }), 'config.chainId'],
    ['a gasLimit below 5000', doc({ gasLimit: '4999' }), 'gasLimit'],
    ['a non-numeric gasLimit', doc({ gasLimit: 'lots' }), 'gasLimit'],
    ['a missing gasLimit', { config: { chainId: 1 } }, 'gasLimit'],
    ['a bad baseFeePerGas', doc({ baseFeePerGas: '-1' }), 'baseFeePerGas'],
    ['extraData over 32 bytes', doc({ extraData: `0x${'00'.repeat(33)}` }), 'extraData'],
    ['a short mixHash', doc({ mixHash: '0x00' }), 'mixHash'],
    ['a short coinbase', doc({ coinbase: `0x${'00'.repeat(19)}` }), 'coinbase'],
    ['an alloc that is not an object', doc({ alloc: [] }), 'alloc'],
    ['an address of 19 bytes', doc({ alloc: { [`0x${'11'.repeat(19)}`]: {} } }), `alloc.0x${'11'.repeat(19)}`],
    ['an address with a non-hex digit', doc({ alloc: { [`0x${'1'.repeat(39)}g`]: {} } }), `alloc.0x${'1'.repeat(39)}g`],
    ['an account that is not an object', doc({ alloc: { [ADDR_1]: '0x1' } }), `alloc.${ADDR_1}`],
    ['a negative balance', doc({ alloc: { [ADDR_1]: { balance: '-5' } } }), `alloc.${ADDR_1}.balance`],
    ['a fractional balance', doc({ alloc: { [ADDR_1]: { balance: 1.5 } } }), `alloc.${ADDR_1}.balance`],
    ['a balance in scientific notation', doc({ alloc: { [ADDR_1]: { balance: '1e18' } } }), `alloc.${ADDR_1}.balance`],
    ['an empty hex balance', doc({ alloc: { [ADDR_1]: { balance: '0x' } } }), `alloc.${ADDR_1}.balance`],
    ['a bad nonce', doc({ alloc: { [ADDR_1]: { nonce: true } } }), `alloc.${ADDR_1}.nonce`],
    ['code of odd hex length', doc({ alloc: { [ADDR_1]: { code: '0x600' } } }), `alloc.${ADDR_1}.code`],
    ['code without 0x', doc({ alloc: { [ADDR_1]: { code: '6000' } } }), `alloc.${ADDR_1}.code`],
    ['storage that is not an object', doc({ alloc: { [ADDR_1]: { storage: 'x' } } }), `alloc.${ADDR_1}.storage`],
    ['a storage slot of 33 bytes', doc({ alloc: { [ADDR_1]: { storage: { [`0x${'01'.repeat(33)}`]: '0x01' } } } }), `alloc.${ADDR_1}.storage.0x${'01'.repeat(33)}`],
    ['a storage value of 33 bytes', doc({ alloc: { [ADDR_1]: { storage: { '0x01': `0x${'01'.repeat(33)}` } } } }), `alloc.${ADDR_1}.storage.0x01`],
    ['an openledger section that is not an object', doc({ openledger: 'yes' }), 'openledger'],
    ['an openledger section that is an array', doc({ openledger: [] }), 'openledger'],
    ['an openledger section that is null', doc({ openledger: null }), 'openledger'],
    ['an unknown openledger setting', doc({ openledger: { validators: ['x'] } }), 'openledger.validators'],
    ['an unknown fingerprint setting', doc({ openledger: { fingerprint: { max: 5 } } }), 'openledger.fingerprint.max'],
    ['a fingerprint cap of 0', doc({ openledger: { fingerprint: { maxShingles: 0 } } }), 'openledger.fingerprint.maxShingles'],
    ['a shingle size above 255', doc({ openledger: { datanets: { maxShingleSize: 256 } } }), 'openledger.datanets.maxShingleSize'],
    ['a near-duplicate threshold above 100%', doc({ openledger: { datanets: { defaultNearDuplicatePct: 101 } } }), 'openledger.datanets.defaultNearDuplicatePct'],
    ['a cap that is a string', doc({ openledger: { datanets: { maxUriBytes: '5' } } }), 'openledger.datanets.maxUriBytes'],
    ['a model Datanet cap of 0', doc({ openledger: { models: { maxDatanets: 0 } } }), 'openledger.models.maxDatanets'],
    ['an agent model cap above 1,000', doc({ openledger: { agents: { maxModels: 1001 } } }), 'openledger.agents.maxModels'],
    ['an alloc entry at a precompile', doc({ alloc: { '0x0000000000000000000000000000000000000A01': { balance: '0x1' } } }), 'alloc.0x0000000000000000000000000000000000000a01'],
  ]

  it.each(cases)('%s', (_name, json, field) => {
    const err = genesisError(json)
    expect(err.field).toBe(field)
    expect(err.code).toBe('GENESIS_INVALID')
    expect(err.message).toContain(`genesis: ${field}:`)
  })

  it('an address listed twice, differing only in case', () => {
    const lower = '0xabcdef0000000000000000000000000000000001'
    const err = genesisError(doc({ alloc: { [lower]: { balance: '1' }, [lower.toUpperCase().replace('0X', '0x')]: { balance: '2' } } }))
    expect(err.field).toBe(`alloc.${lower}`)
    expect(err.message).toMatch(/twice/)
  })
})

describe('loadGenesisFile', () => {
  let dir: string
  let remove: () => Promise<void>
  beforeAll(async () => ({ dir, remove } = await tempDir('olnode-genesis-')))
  afterAll(() => remove())

  async function loadError(file: string): Promise<GenesisError> {
    const err = await loadGenesisFile(file).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(GenesisError)
    return err as GenesisError
  }

  it('names the file when it cannot be read', async () => {
    const missing = path.join(dir, 'nope.json')
    const err = await loadError(missing)
    expect(err.field).toBe('(file)')
    expect(err.message).toContain(missing)
    expect(err.message).toMatch(/cannot read/)
  })

  it('names the file when it is not JSON', async () => {
    const file = path.join(dir, 'broken.json')
    await writeFile(file, '{"config": {"chainId": 1},')
    const err = await loadError(file)
    expect(err.field).toBe('(file)')
    expect(err.message).toContain(file)
    expect(err.message).toMatch(/not valid JSON/)
  })

  it('validates what it read', async () => {
    const file = path.join(dir, 'bad.json')
    await writeFile(file, JSON.stringify(doc({ gasLimit: '100' })))
    expect((await loadError(file)).field).toBe('gasLimit')
    const good = path.join(dir, 'good.json')
    await writeFile(good, JSON.stringify(doc({ config: { chainId: 99 } })))
    expect((await loadGenesisFile(good)).chainId).toBe(99)
  })
})

describe('the alloc in the genesis state', () => {
  it('puts balance, nonce, code and storage of every account in block 0’s state', async () => {
    const contract = '0x00000000000000000000000000000000000c0de1'
    const code = '0x602a60005260206000f3'
    const g = parseGenesis(
      doc({
        alloc: {
          [ADDR_1]: { balance: '12345', nonce: '0x3' },
          [contract]: {
            balance: '0x10',
            nonce: '1',
            code,
            storage: { '0x00': '0x01', [`0x${'ff'.repeat(32)}`]: `0x${'ab'.repeat(32)}`, '0x05': '0x0000beef' },
          },
        },
      }),
    )
    const parts = await openChainParts({ genesis: g })
    try {
      const state = createStateManager(parts.common, parts.store, parts.chain.headBlock.header.stateRoot)
      const plain = await state.getAccount(createAddressFromString(ADDR_1))
      expect(plain?.balance).toBe(12345n)
      expect(plain?.nonce).toBe(3n)
      const c = createAddressFromString(contract)
      const account = await state.getAccount(c)
      expect(account?.balance).toBe(16n)
      expect(account?.nonce).toBe(1n)
      expect(bytesToHex(await state.getCode(c))).toBe(code)
      expect(bytesToHex(await state.getStorage(c, new Uint8Array(32)))).toBe('0x01')
      expect(bytesToHex(await state.getStorage(c, hexToBytes(`0x${'ff'.repeat(32)}`)))).toBe(`0x${'ab'.repeat(32)}`)
      const slot5 = new Uint8Array(32)
      slot5[31] = 5
      expect(bytesToHex(await state.getStorage(c, slot5))).toBe('0xbeef')
      expect(await state.getAccount(new Address(new Uint8Array(20).fill(0x77)))).toBeUndefined()
      // A different alloc gives a different state root, so the root depends on the alloc.
      const other = await openChainParts({ genesis: { ...g, alloc: g.alloc.slice(0, 1) } })
      expect(other.chain.headBlock.header.stateRoot).not.toEqual(parts.chain.headBlock.header.stateRoot)
      await other.kv.close()
    } finally {
      await parts.kv.close()
    }
  })
})
