import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { bytesToBigInt, createAccountFromRLP, equalsBytes, KECCAK256_RLP, type Address, type DB } from '@ethereumjs/util'

/** One storage slot's value and the trie nodes from the storage root down to it. */
export interface StorageProof {
  slot: Uint8Array
  value: bigint
  proof: Uint8Array[]
}

/**
 * EIP-1186's answer. An absent account is proven absent by `accountProof` and reads as geth
 * reads it: zero balance and nonce, zero code and storage hashes, no storage proofs.
 */
export interface AccountProof {
  accountProof: Uint8Array[]
  balance: bigint
  nonce: bigint
  codeHash: Uint8Array
  storageHash: Uint8Array
  storageProof: StorageProof[]
}

const ZERO_HASH = new Uint8Array(32)

/** The proof of `address` and its `slots` in the state under `stateRoot`. */
export async function proveAccount(db: DB<string | Uint8Array, string | Uint8Array>, stateRoot: Uint8Array, address: Address, slots: Uint8Array[]): Promise<AccountProof> {
  const trie = new MerklePatriciaTrie({ db, root: stateRoot, useKeyHashing: true })
  const { proof: accountProof, value: encoded } = await proveKey(trie, address.bytes)
  if (!encoded) {
    return { accountProof, balance: 0n, nonce: 0n, codeHash: ZERO_HASH, storageHash: ZERO_HASH, storageProof: slots.map(emptySlot) }
  }
  const account = createAccountFromRLP(encoded)
  const fields = { accountProof, balance: account.balance, nonce: account.nonce, codeHash: account.codeHash, storageHash: account.storageRoot }
  // As geth: no storage trie, no proof nodes (the storage hash alone shows the slot is empty).
  if (equalsBytes(account.storageRoot, KECCAK256_RLP)) return { ...fields, storageProof: slots.map(emptySlot) }
  const storage = new MerklePatriciaTrie({ db, root: account.storageRoot, useKeyHashing: true })
  const storageProof: StorageProof[] = []
  for (const slot of slots) storageProof.push(await proveSlot(storage, slot))
  return { ...fields, storageProof }
}

function emptySlot(slot: Uint8Array): StorageProof {
  return { slot, value: 0n, proof: [] }
}

async function proveSlot(storage: MerklePatriciaTrie, slot: Uint8Array): Promise<StorageProof> {
  const { proof, value } = await proveKey(storage, slot)
  return { slot, value: value ? bytesToBigInt(RLP.decode(value) as Uint8Array) : 0n, proof }
}

/**
 * The nodes from the root down to `key` and its value (null if absent), from ONE walk: what
 * createMerkleProof and get would each walk for.
 */
async function proveKey(trie: MerklePatriciaTrie, key: Uint8Array): Promise<{ proof: Uint8Array[]; value: Uint8Array | null }> {
  const { node, remaining, stack } = await trie.findPath(trie['appliedKey'](key))
  return { proof: stack.map((n) => n.serialize()), value: node !== null && remaining.length === 0 ? node.value() : null }
}
