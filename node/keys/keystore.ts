import { readFile, writeFile } from 'node:fs/promises'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { decryptKeystoreJson, encryptKeystoreJson, isKeystoreJson } from 'ethers'
import { KeyError } from './errors.ts'

/** A validator's signing key and the address it signs as (lowercase 0x-hex). */
export interface ValidatorKey {
  privateKey: Uint8Array
  address: string
}

/** ethers' default scrypt cost (N = 2^17, r = 8, p = 1), as geth's "standard" keystores use. */
const DEFAULT_SCRYPT_N = 1 << 17

/** The address of a secp256k1 key: the last 20 bytes of keccak256 of the uncompressed public key. */
export function addressOf(privateKey: Uint8Array): string {
  const publicKey = secp256k1.getPublicKey(privateKey, false)
  return bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12))
}

/** A fresh random key. */
export function newValidatorKey(): ValidatorKey {
  const privateKey = secp256k1.utils.randomSecretKey()
  return { privateKey, address: addressOf(privateKey) }
}

/** The Web3 Secret Storage v3 JSON of `key` (scrypt); `scryptN` below the default is for tests only. */
export function encryptKey(key: ValidatorKey, password: string, scryptN = DEFAULT_SCRYPT_N): Promise<string> {
  return encryptKeystoreJson({ address: key.address, privateKey: bytesToHex(key.privateKey) }, password, { scrypt: { N: scryptN } })
}

/** Writes a new keystore file (never over an existing one), readable by its owner only. */
export async function writeKeystore(path: string, key: ValidatorKey, password: string, scryptN?: number): Promise<void> {
  if (password.length === 0) throw new KeyError('KEY_EMPTY_PASSWORD', 'refusing an empty password: put the password in the password file')
  const json = await encryptKey(key, password, scryptN)
  try {
    await writeFile(path, json + '\n', { flag: 'wx', mode: 0o600 })
  } catch (err) {
    if ((err as { code?: string }).code === 'EEXIST') throw new KeyError('KEY_EXISTS', `${path} already exists: not overwriting a key`)
    throw new KeyError('KEY_UNREADABLE', `cannot write ${path}: ${(err as Error).message}`)
  }
}

/** Decrypts keystore JSON; `path` only names it in errors. */
export async function decryptKey(json: string, password: string, path: string): Promise<ValidatorKey> {
  if (!isKeystoreJson(json)) throw new KeyError('KEY_MALFORMED', `${path} is not a Web3 Secret Storage (v3) keystore`)
  try {
    const account = await decryptKeystoreJson(json, password)
    const privateKey = hexToBytes(account.privateKey as `0x${string}`)
    return { privateKey, address: addressOf(privateKey) }
  } catch (err) {
    if ((err as { argument?: string }).argument === 'password') throw new KeyError('KEY_WRONG_PASSWORD', `wrong password for ${path}`)
    throw new KeyError('KEY_MALFORMED', `${path}: ${(err as { shortMessage?: string }).shortMessage ?? (err as Error).message}`)
  }
}

/** Where the validator key comes from: a keystore and its password file, or (only with `insecure`) a plaintext hex key file. */
export type KeySource = { keystore: string; passwordFile: string } | { plaintextKeyFile: string; insecure: boolean }

/** Loads the validator key from its files; every failure is a KeyError naming the file. */
export async function loadValidatorKey(source: KeySource): Promise<ValidatorKey> {
  if ('keystore' in source) return decryptKey(await readText(source.keystore), await readPassword(source.passwordFile), source.keystore)
  if (!source.insecure) throw new KeyError('KEY_INSECURE', `${source.plaintextKeyFile} is an unencrypted key: allow it explicitly with the insecure flag, or use a keystore`)
  return plaintextKey(await readText(source.plaintextKeyFile), source.plaintextKeyFile)
}

/** The password in a password file: its first line, without the line ending. */
export async function readPassword(path: string): Promise<string> {
  return (await readText(path)).split('\n')[0].replace(/\r$/, '')
}

function plaintextKey(text: string, path: string): ValidatorKey {
  const hex = text.trim().replace(/^0x/i, '')
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new KeyError('KEY_MALFORMED', `${path} does not hold a 32-byte hex private key`)
  const privateKey = hexToBytes(`0x${hex}`)
  if (!secp256k1.utils.isValidSecretKey(privateKey)) throw new KeyError('KEY_MALFORMED', `${path} holds a value that is not a secp256k1 private key`)
  return { privateKey, address: addressOf(privateKey) }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new KeyError('KEY_UNREADABLE', `cannot read ${path}: ${(err as Error).message}`)
  }
}
