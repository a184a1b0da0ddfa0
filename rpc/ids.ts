import { randomBytes } from 'node:crypto'

/** A fresh subscription or filter id: 16 random bytes as 0x hex, as geth's rpc.NewID. */
export function randomId(): string {
  return `0x${randomBytes(16).toString('hex')}`
}
