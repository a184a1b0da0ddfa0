import { createRequire } from 'node:module'
import path from 'node:path'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { createKeccak, type IHasher } from 'hash-wasm'
import * as wasmSecp from 'tiny-secp256k1'

/** The two primitives every transaction pays for: sender recovery and keccak-256 (trie nodes, hashes). */
export interface CryptoBackends {
  /** The 65-byte uncompressed public key signing `msgHash` with (r ‖ s, recovery id), or undefined. */
  recover(msgHash: Uint8Array, signature: Uint8Array, recovery: 0 | 1): Uint8Array | undefined
  keccak256(msg: Uint8Array): Uint8Array
  /** What was loaded, for the start-up log line. */
  names: { secp256k1: string; keccak: string }
  /** Why a native module could not be used (the node then runs on the fallbacks, slower). */
  fallbackReasons: string[]
}

/** libsecp256k1's N-API binding (the `secp256k1` package's native half). */
interface NativeSecp256k1 {
  ecdsaRecover(output: Uint8Array, signature: Uint8Array, recid: number, msg32: Uint8Array): number
}

/** Loads a package's prebuilt N-API addon (node-gyp-build picks the prebuild for this platform). */
export type AddonLoader = (pkg: string) => unknown

const require = createRequire(import.meta.url)
const loadPrebuilt: AddonLoader = (pkg) => (require('node-gyp-build') as (dir: string) => unknown)(path.dirname(require.resolve(`${pkg}/package.json`)))

/**
 * hash-wasm's keccak-256, compiled to WebAssembly once per process: a hash is a few calls into
 * WebAssembly, where the `keccak` package's native sponge took four N-API calls and two Buffers
 * (0.8-1.3 us a hash here against 1.7 us; @noble's is 5.7 us). What it failed with, if it could not load.
 */
const wasmKeccakHasher: IHasher | Error = await createKeccak(256).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))

function wasmKeccak(hasher: IHasher | Error): (msg: Uint8Array) => Uint8Array {
  if (hasher instanceof Error) throw hasher
  return (msg) => hasher.init().update(msg).digest('binary')
}

/** The status libsecp256k1's binding returns for success. */
const RECOVERED = 0

function nativeRecover(load: AddonLoader): CryptoBackends['recover'] {
  const addon = load('secp256k1') as { Secp256k1: new () => NativeSecp256k1 }
  const secp = new addon.Secp256k1()
  return (msgHash, signature, recovery) => {
    const out = new Uint8Array(65)
    return secp.ecdsaRecover(out, signature, recovery, msgHash) === RECOVERED ? out : undefined
  }
}

/** tiny-secp256k1 throws on an r or s outside [1, n) where the native binding reports failure: both mean undefined here. */
const wasmRecover: CryptoBackends['recover'] = (msgHash, signature, recovery) => {
  try {
    return wasmSecp.recover(msgHash, signature, recovery, false) ?? undefined
  } catch {
    return undefined
  }
}

/**
 * Native libsecp256k1 when its prebuilt addon loads, and keccak on WebAssembly (about 5x and 6x faster
 * than the fallbacks here); otherwise libsecp256k1 compiled to WebAssembly and @noble's keccak, with the
 * reason kept for the log. Either way the same bytes come out: only speed depends on what loaded.
 * `keccakHasher`: tests pass an Error to see the fallback.
 */
export function loadCryptoBackends(load: AddonLoader = loadPrebuilt, keccakHasher: IHasher | Error = wasmKeccakHasher): CryptoBackends {
  const fallbackReasons: string[] = []
  const attempt = <T>(pkg: string, native: () => T, fallback: T): [T, boolean] => {
    try {
      return [native(), true]
    } catch (err) {
      fallbackReasons.push(`${pkg}: ${err instanceof Error ? err.message : String(err)}`)
      return [fallback, false]
    }
  }
  const [recover, secpNative] = attempt('secp256k1', () => nativeRecover(load), wasmRecover)
  const [keccak256, keccakWasm] = attempt('hash-wasm', () => wasmKeccak(keccakHasher), keccak_256)
  return {
    recover,
    keccak256,
    names: { secp256k1: secpNative ? 'libsecp256k1 (native)' : 'libsecp256k1 (WebAssembly)', keccak: keccakWasm ? 'keccak (WebAssembly)' : '@noble/hashes' },
    fallbackReasons,
  }
}

/** Loaded once per process: what the node logs at start, and what its Commons and stores hash with. */
export const cryptoBackends = loadCryptoBackends()
