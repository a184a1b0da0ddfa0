import type { Common } from '@ethereumjs/common'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { RLP } from '@ethereumjs/rlp'
import { Address, ValueEncoding, createAccountFromRLP, hexToBytes, setLengthLeft, type PrefixedHexString } from '@ethereumjs/util'
import type { TrieStore } from '../db/trieStore.ts'

/** One account of a state, whole: what anvil_dumpState writes and anvil_loadState reads. */
export interface AccountRecord {
  address: Address
  nonce: bigint
  balance: bigint
  code: Uint8Array
  /** Slot (32 bytes) and value (32 bytes), for every non-zero slot. */
  storage: [Uint8Array, Uint8Array][]
}

/**
 * Every account under `root`, with code and storage. The tries are keyed by hashes; the preimage
 * table gives the addresses and slots back. `view` is a state manager positioned at `root` (for code).
 */
export async function dumpState(common: Common, store: TrieStore, root: Uint8Array, view: MerkleStateManager): Promise<AccountRecord[]> {
  const accounts: AccountRecord[] = []
  for (const [hashed, value] of await leaves(common, store, root)) {
    const address = new Address(await preimageOf(store, hashed))
    const account = createAccountFromRLP(value)
    const storage: [Uint8Array, Uint8Array][] = []
    for (const [hashedSlot, encoded] of await leaves(common, store, account.storageRoot)) {
      storage.push([await preimageOf(store, hashedSlot), setLengthLeft(RLP.decode(encoded) as Uint8Array, 32)])
    }
    accounts.push({ address, nonce: account.nonce, balance: account.balance, code: await view.getCode(address), storage })
  }
  return accounts
}

/**
 * Writes `accounts` into `state` as anvil merges a loaded dump: nonce, balance and code replaced,
 * the listed slots set, other accounts and slots left as they are.
 */
export async function loadAccounts(state: MerkleStateManager, accounts: AccountRecord[]): Promise<void> {
  for (const account of accounts) {
    await state.modifyAccountFields(account.address, { nonce: account.nonce, balance: account.balance })
    await state.putCode(account.address, account.code)
    for (const [slot, value] of account.storage) await state.putStorage(account.address, slot, value)
  }
}

async function leaves(common: Common, store: TrieStore, root: Uint8Array): Promise<[Uint8Array, Uint8Array][]> {
  const trie = new MerklePatriciaTrie({ db: store, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes, common, root })
  const { values } = await trie.getValueMap()
  return Object.entries(values).map(([key, value]) => [hexToBytes(key as PrefixedHexString), hexToBytes(value as PrefixedHexString)])
}

async function preimageOf(store: TrieStore, hashed: Uint8Array): Promise<Uint8Array> {
  const key = await store.preimage(hashed)
  if (!key) throw new MissingPreimageError(hashed)
  return key
}

/** A trie key with no stored preimage: the state was written before preimages were kept. */
export class MissingPreimageError extends Error {
  readonly code = 'MISSING_PREIMAGE'

  constructor(hashed: Uint8Array) {
    super(`no preimage for state trie key 0x${Buffer.from(hashed).toString('hex')}: the state cannot be dumped`)
  }
}
