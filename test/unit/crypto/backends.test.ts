import { keccak_256 } from '@noble/hashes/sha3.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { describe, expect, it } from 'vitest'
import { loadCryptoBackends, type AddonLoader } from '../../../node/crypto/backends.ts'

const unavailable: AddonLoader = (pkg) => {
  throw new Error(`no prebuild of ${pkg} for this platform`)
}

/** Deterministic pseudo-random bytes (a keccak chain), so every run checks the same cases. */
function bytesFrom(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  let block = keccak_256(new Uint8Array([seed & 0xff, seed >> 8]))
  for (let i = 0; i < length; i += 32) {
    out.set(block.subarray(0, Math.min(32, length - i)), i)
    block = keccak_256(block)
  }
  return out
}

function signed(seed: number) {
  const key = bytesFrom(seed, 32)
  const msg = bytesFrom(seed + 1_000, 32)
  const sig = secp256k1.sign(msg, key, { prehash: false, format: 'recovered' })
  return { msg, rs: sig.subarray(1), recovery: sig[0] as 0 | 1, publicKey: secp256k1.getPublicKey(key, false) }
}

describe('crypto backends', () => {
  const native = loadCryptoBackends()
  const fallback = loadCryptoBackends(unavailable, new Error('WebAssembly.instantiate(): out of memory'))

  it('loads the native secp256k1 addon and WebAssembly keccak here, and says so', () => {
    expect(native.fallbackReasons).toEqual([])
    expect(native.names).toEqual({ secp256k1: 'libsecp256k1 (native)', keccak: 'keccak (WebAssembly)' })
  })

  it('falls back to WebAssembly libsecp256k1 and @noble keccak when the addon or the WebAssembly cannot load, naming why', () => {
    expect(fallback.names).toEqual({ secp256k1: 'libsecp256k1 (WebAssembly)', keccak: '@noble/hashes' })
    expect(fallback.fallbackReasons).toEqual(['secp256k1: no prebuild of secp256k1 for this platform', 'hash-wasm: WebAssembly.instantiate(): out of memory'])
  })

  it('hash exactly as @noble does, at every length around the 136-byte rate, and from a subarray', () => {
    for (const length of [0, 1, 31, 32, 33, 135, 136, 137, 271, 272, 1_000]) {
      const data = bytesFrom(length, length)
      expect(native.keccak256(data)).toEqual(keccak_256(data))
      expect(fallback.keccak256(data)).toEqual(keccak_256(data))
    }
    const wide = bytesFrom(7, 100)
    expect(native.keccak256(wide.subarray(10, 60))).toEqual(keccak_256(wide.slice(10, 60)))
    // Each digest is a copy: a later hash does not overwrite an earlier one.
    const first = native.keccak256(Uint8Array.of(1))
    native.keccak256(Uint8Array.of(2))
    expect(first).toEqual(keccak_256(Uint8Array.of(1)))
  })

  it('recover the signing key on both backends, and refuse what does not recover', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { msg, rs, recovery, publicKey } = signed(seed)
      expect(native.recover(msg, rs, recovery)).toEqual(publicKey)
      expect(fallback.recover(msg, rs, recovery)).toEqual(publicKey)
    }
    const { msg } = signed(1)
    const zeroR = new Uint8Array(64).fill(1, 32)
    expect(native.recover(msg, zeroR, 0)).toBeUndefined()
    expect(fallback.recover(msg, zeroR, 0)).toBeUndefined()
  })
})
