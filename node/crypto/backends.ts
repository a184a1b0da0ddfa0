import { createRequire } from 'node:module'
import path from 'node:path'
import { keccak_256 } from '@noble/hashes/sha3.js'
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

/** The `keccak` package's native sponge. */
interface NativeKeccakState {
  initialize(rate: number, capacity: number): void
  absorb(data: Buffer): void
  absorbLastFewBits(bits: number): void
  squeeze(length: number): Buffer
}

/** Loads a package's prebuilt N-API addon (node-gyp-build picks the prebuild for this platform). */
export type AddonLoader = (pkg: string) => unknown

const require = createRequire(import.meta.url)
const loadPrebuilt: AddonLoader = (pkg) => (require('node-gyp-build') as (dir: string) => unknown)(path.dirname(require.resolve(`${pkg}/package.json`)))

/** keccak-256: rate 1088 bits, capacity 512, the original Keccak padding (0x01), 32 bytes out. */
function nativeKeccak(load: AddonLoader): (msg: Uint8Array) => Uint8Array {
  const KeccakState = load('keccak') as new () => NativeKeccakState
  const state = new KeccakState()
  return (msg) => {
    state.initialize(1088, 512)
    state.absorb(Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength))
    state.absorbLastFewBits(0x01)
    return new Uint8Array(state.squeeze(32))
  }
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
 * Native libsecp256k1 and keccak (about 5x and 3x faster than the fallbacks here) when their
 * prebuilt addons load; otherwise libsecp256k1 compiled to WebAssembly and @noble's keccak, with the
 * reason kept for the log. Either way the same bytes come out: only speed depends on what loaded.
 */
export function loadCryptoBackends(load: AddonLoader = loadPrebuilt): CryptoBackends {
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
  const [keccak256, keccakNative] = attempt('keccak', () => nativeKeccak(load), keccak_256)
  return {
    recover,
    keccak256,
    names: { secp256k1: secpNative ? 'libsecp256k1 (native)' : 'libsecp256k1 (WebAssembly)', keccak: keccakNative ? 'keccak (native)' : '@noble/hashes' },
    fallbackReasons,
  }
}

/** Loaded once per process: what the node logs at start, and what its Commons and stores hash with. */
export const cryptoBackends = loadCryptoBackends()
