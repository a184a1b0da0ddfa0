import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bytesToHex } from '@ethereumjs/util'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runKeys } from '../../../node/cli/keys.ts'
import { CliUsageError } from '../../../node/cli/errors.ts'
import { KeyError, type KeyErrorCode } from '../../../node/keys/errors.ts'
import { addressOf, decryptKey, encryptKey, loadValidatorKey, newValidatorKey, writeKeystore, type KeySource } from '../../../node/keys/keystore.ts'
import { libp2pIdentitySeed } from '../../../node/keys/libp2pSeed.ts'
import { KEY_A, ADDR_A, tempDir } from '../support/harness.ts'

/** Cheap scrypt for tests: the format is the same, only the cost differs. */
const TEST_N = 1 << 10

let dir: string
let remove: () => Promise<void>
beforeAll(async () => ({ dir, remove } = await tempDir('olnode-keys-')))
afterAll(() => remove())

async function keyError(source: KeySource): Promise<KeyErrorCode> {
  const err = await loadValidatorKey(source).then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(KeyError)
  return (err as KeyError).code
}

/** What runKeys printed on stdout, and its exit code. */
async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
  try {
    const code = await runKeys(argv, { scryptN: TEST_N })
    return { code, out: log.mock.calls.map((c) => String(c[0])).join('\n') }
  } finally {
    log.mockRestore()
  }
}

async function file(name: string, text: string): Promise<string> {
  const p = path.join(dir, name)
  await writeFile(p, text)
  return p
}

describe('keystore', () => {
  it('round-trips a key through Web3 Secret Storage v3 with scrypt, readable by ethers', async () => {
    const key = newValidatorKey()
    const json = await encryptKey(key, 'hunter2', TEST_N)
    const parsed = JSON.parse(json)
    expect(parsed.version).toBe(3)
    expect(parsed.Crypto.kdf).toBe('scrypt')
    expect(`0x${parsed.address}`).toBe(key.address)
    expect((await decryptKey(json, 'hunter2', 'k.json')).privateKey).toEqual(key.privateKey)
    const wallet = await Wallet.fromEncryptedJson(json, 'hunter2')
    expect(wallet.address.toLowerCase()).toBe(key.address)
  })

  it('derives the address as everyone does', () => {
    expect(addressOf(KEY_A)).toBe(ADDR_A.toString())
  })

  it('loads from keystore + password file (first line, line ending dropped)', async () => {
    const key = newValidatorKey()
    const keystore = path.join(dir, 'load.json')
    await writeKeystore(keystore, key, 'pw', TEST_N)
    const passwordFile = await file('pw-crlf', 'pw\r\nignored second line\n')
    expect(await loadValidatorKey({ keystore, passwordFile })).toEqual(key)
    expect((await stat(keystore)).mode & 0o777).toBe(0o600)
  })

  it('says which of wrong password, unreadable file and malformed JSON it was', async () => {
    const keystore = path.join(dir, 'typed.json')
    await writeKeystore(keystore, newValidatorKey(), 'right', TEST_N)
    expect(await keyError({ keystore, passwordFile: await file('wrong', 'wrong\n') })).toBe('KEY_WRONG_PASSWORD')
    const right = await file('right', 'right\n')
    expect(await keyError({ keystore: path.join(dir, 'missing.json'), passwordFile: right })).toBe('KEY_UNREADABLE')
    expect(await keyError({ keystore, passwordFile: path.join(dir, 'no-password') })).toBe('KEY_UNREADABLE')
    expect(await keyError({ keystore: await file('bad.json', '{"version": 3,'), passwordFile: right })).toBe('KEY_MALFORMED')
    const stored = JSON.parse(await readFile(keystore, 'utf8'))
    stored.Crypto.kdf = 'bcrypt'
    expect(await keyError({ keystore: await file('tampered.json', JSON.stringify(stored)), passwordFile: right })).toBe('KEY_MALFORMED')
  })

  it('refuses to overwrite a key file or to encrypt with an empty password', async () => {
    const keystore = path.join(dir, 'once.json')
    const first = newValidatorKey()
    await writeKeystore(keystore, first, 'pw', TEST_N)
    const overwrite = await writeKeystore(keystore, newValidatorKey(), 'pw', TEST_N).then(() => undefined, (e: KeyError) => e.code)
    expect(overwrite).toBe('KEY_EXISTS')
    expect((await loadValidatorKey({ keystore, passwordFile: await file('pw-once', 'pw') })).address).toBe(first.address)
    const empty = await writeKeystore(path.join(dir, 'empty.json'), first, '', TEST_N).then(() => undefined, (e: KeyError) => e.code)
    expect(empty).toBe('KEY_EMPTY_PASSWORD')
  })

  it('reads a plaintext key only when told it is insecure', async () => {
    const plaintextKeyFile = await file('plain.key', `${bytesToHex(KEY_A)}\n`)
    expect(await keyError({ plaintextKeyFile, insecure: false })).toBe('KEY_INSECURE')
    expect((await loadValidatorKey({ plaintextKeyFile, insecure: true })).address).toBe(ADDR_A.toString())
    expect(await keyError({ plaintextKeyFile: await file('short.key', '0x1234'), insecure: true })).toBe('KEY_MALFORMED')
    expect(await keyError({ plaintextKeyFile: await file('zero.key', '00'.repeat(32)), insecure: true })).toBe('KEY_MALFORMED')
  })
})

describe('libp2pIdentitySeed', () => {
  it('is 32 bytes, the same for the same key, different for another key, and not the key itself', () => {
    const seed = libp2pIdentitySeed(KEY_A)
    expect(seed.length).toBe(32)
    expect(libp2pIdentitySeed(KEY_A)).toEqual(seed)
    expect(libp2pIdentitySeed(newValidatorKey().privateKey)).not.toEqual(seed)
    expect(seed).not.toEqual(KEY_A)
    // Pinned (keccak256("olnode/libp2p-identity/v1" || key)): changing the derivation would change every node's peer ID.
    expect(bytesToHex(seed)).toBe('0x1ad787d4a196736d3dfb741a4d4af06d77d64446f89854d5526263c117922bf0')
  })
})

describe('olnode keys', () => {
  it('new writes a keystore and prints its address; inspect prints the same address', async () => {
    const passwordFile = await file('cli-pw', 'secret\n')
    const out = path.join(dir, 'cli.json')
    const made = await cli(['new', '--out', out, '--password-file', passwordFile])
    expect(made.code).toBe(0)
    expect(made.out).toMatch(/^0x[0-9a-f]{40}$/)
    expect((await loadValidatorKey({ keystore: out, passwordFile })).address).toBe(made.out)
    expect(await cli(['inspect', out, '--password-file', passwordFile])).toEqual({ code: 0, out: made.out })
  })

  it('names the missing flag in a usage error', async () => {
    const usage = (argv: string[]) => runKeys(argv).then(() => undefined, (e: unknown) => e)
    for (const [argv, flag] of [
      [['new', '--password-file', 'x'], '--out'],
      [['new', '--out', 'x'], '--password-file'],
      [['inspect', 'k.json'], '--password-file'],
      [[], 'new or inspect'],
      [['rotate', '--password-file', 'x'], 'rotate'],
    ] as const) {
      const err = await usage([...argv])
      expect(err).toBeInstanceOf(CliUsageError)
      expect((err as Error).message).toContain(flag)
    }
  })
})
