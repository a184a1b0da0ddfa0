import { hexToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { addressOf } from '../../../node/keys/keystore.ts'
import { ValidatorSet } from '../../../node/consensus/validatorSet.ts'

export const CHAIN_ID = 4242

export interface TestValidator {
  privateKey: Uint8Array
  address: string
}

/** n validators with fixed keys, in the validator set's (sorted) order. */
export function testValidators(n: number): { keys: TestValidator[]; set: ValidatorSet } {
  const keys = Array.from({ length: n }, (_, i) => {
    const privateKey = hexToBytes(`0x${(i + 1).toString(16).padStart(64, '0')}`)
    return { privateKey, address: addressOf(privateKey) }
  })
  keys.sort((a, b) => (a.address < b.address ? -1 : 1))
  return { keys, set: new ValidatorSet(keys.map((k) => k.address)) }
}

/** A stand-in block: any bytes; its id is keccak256 of them. */
export function testBlock(label: string): { blockHash: Uint8Array; block: Uint8Array } {
  const block = new TextEncoder().encode(label)
  return { blockHash: keccak_256(block), block }
}
