import { hexKey } from '../util/hexKey.ts'

/**
 * Public keys recovered ahead of need (by the recovery workers), waiting for the ecrecover that asks for
 * them. Recovery is a pure function of its key (message hash, signature, recovery id), so an entry can only
 * ever be the right answer: a worker that hashed a message differently from ethereumjs leaves a key nobody
 * asks for, never a wrong sender. Bounded: keys warmed and never asked for (a refused batch) age out.
 */
const LIMIT = 16_384
const recovered = new Map<string, Uint8Array>()

/** The key of one recovery; the workers build the same string (recoveryWorker.ts). */
export function recoveryKey(msgHash: Uint8Array, signature: Uint8Array, recovery: number): string {
  return hexKey(msgHash) + hexKey(signature) + recovery
}

export function rememberRecovery(key: string, publicKey: Uint8Array): void {
  if (recovered.size >= LIMIT) recovered.delete(recovered.keys().next().value!)
  recovered.set(key, publicKey)
}

/** The 65-byte public key recovered ahead for `key`, once: each is asked for by one transaction. */
export function takeRecovery(key: string): Uint8Array | undefined {
  const publicKey = recovered.get(key)
  if (publicKey) recovered.delete(key)
  return publicKey
}
