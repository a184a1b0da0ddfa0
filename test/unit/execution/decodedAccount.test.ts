import { Account, createAccountFromRLP, KECCAK256_NULL, KECCAK256_RLP } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { decodeAccount } from '../../../node/execution/decodedAccount.ts'

const rlpOf = (nonce: bigint, balance: bigint) => new Account(nonce, balance, KECCAK256_RLP.slice(), KECCAK256_NULL.slice()).serialize()

describe('decodeAccount', () => {
  it('gives the fields ethereumjs decodes, in a new Account each time', () => {
    const rlp = rlpOf(7n, 10n ** 21n)
    const a = decodeAccount(rlp)
    const want = createAccountFromRLP(rlp)
    expect([a.nonce, a.balance, a.storageRoot, a.codeHash]).toEqual([want.nonce, want.balance, want.storageRoot, want.codeHash])
    a.balance = 1n
    a.nonce = 8n
    const b = decodeAccount(rlp)
    expect([b.nonce, b.balance]).toEqual([7n, 10n ** 21n])
  })

  it('decodes an RLP once: later reads share the decoded fields', () => {
    const rlp = rlpOf(1n, 2n)
    expect(decodeAccount(rlp).storageRoot).toBe(decodeAccount(rlp).storageRoot)
    // ethereumjs' own decode makes new arrays each time: sharing them is the memo.
    expect(createAccountFromRLP(rlp).storageRoot).not.toBe(createAccountFromRLP(rlp).storageRoot)
  })

  it('serializes unchanged to the very RLP it came from, and changed to what ethereumjs encodes, remembered for the next read', () => {
    const rlp = rlpOf(3n, 500n)
    const account = decodeAccount(rlp)
    expect(account.serialize()).toBe(rlp)
    account.balance -= 21n
    account.nonce += 1n
    const written = account.serialize()
    expect(written).toEqual(new Account(4n, 479n, account.storageRoot, account.codeHash).serialize())
    const next = decodeAccount(written)
    expect([next.nonce, next.balance]).toEqual([4n, 479n])
    expect(next.storageRoot).toBe(account.storageRoot)
    expect(next.serialize()).toBe(written)
  })
})
