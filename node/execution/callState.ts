import type { Common } from '@ethereumjs/common'
import type { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { Caches, type AccountCache, type CodeCache } from '@ethereumjs/statemanager'
import { Account, bytesToUnprefixedHex, createAccountFromRLP, type Address } from '@ethereumjs/util'
import { ChainStateManager, memoizedStateTrie, type StateDB } from './state.ts'

/** Storage tries (and address hashes) kept for reuse at most; past this many contracts the set starts afresh. */
const MAX_SPARE_TRIES = 4096
/** Contract codes kept at most (24 KiB each at most); past this many the set starts afresh. */
const MAX_CODES = 1024

type AccountFields = readonly [nonce: bigint, balance: bigint, storageRoot: Uint8Array, codeHash: Uint8Array]

/**
 * The call VM's state manager: ethereumjs' Merkle state manager with what it rebuilds on every call
 * kept instead. Every call ends in a revert, which empties the caches of what the call read and
 * drops every storage trie, so each call would again decode each account it reads (from the trie
 * memo) and build a new trie object (a copy of the account trie, logger and database wrapper
 * included) for each contract whose storage it reads.
 */
export class CallStateManager extends ChainStateManager {
  private readonly accounts: AccountCache
  private readonly codeCache: CodeCache
  /** Contract code by code hash: what a hash names never changes, so every call at every root shares it. */
  private readonly codes = new Map<string, Uint8Array>()
  private readonly spareTries = new Map<string, MerklePatriciaTrie>()
  private readonly hashedIds = new Map<string, string>()
  /**
   * Accounts by the RLP they were decoded from. The RLP held by the trie memo and the account cache
   * is never changed in place, so the same bytes always decode to the same account.
   */
  private readonly decoded = new WeakMap<Uint8Array, AccountFields>()

  constructor(common: Common, store: StateDB) {
    const caches = new Caches()
    super({ common, trie: memoizedStateTrie(common, store), caches })
    this.accounts = caches.account!
    this.codeCache = caches.code!
  }

  /** As MerkleStateManager.getAccount, the decoding memoized. */
  override async getAccount(address: Address): Promise<Account | undefined> {
    const elem = this.accounts.get(address)
    if (elem !== undefined) return elem.accountRLP === undefined ? undefined : this.decode(elem.accountRLP)
    const rlp = await this._trie.get(address.bytes)
    const account = rlp === null ? undefined : this.decode(rlp)
    this.accounts.put(address, account)
    return account
  }

  /** As MerkleStateManager.getCode, the code read from the database once per code hash. */
  override async getCode(address: Address): Promise<Uint8Array> {
    const elem = this.codeCache.get(address)
    if (elem !== undefined) return elem.code ?? new Uint8Array(0)
    const account = await this.getAccount(address)
    if (account === undefined || !account.isContract()) return new Uint8Array(0)
    const code = await this.codeOf(account.codeHash)
    this.codeCache.put(address, code)
    return code
  }

  private async codeOf(codeHash: Uint8Array): Promise<Uint8Array> {
    const id = bytesToUnprefixedHex(codeHash)
    const known = this.codes.get(id)
    if (known !== undefined) return known
    const code = await this._trie.database().get(this.codeKey(codeHash))
    if (code === undefined) return new Uint8Array(0)
    if (this.codes.size >= MAX_CODES) this.codes.clear()
    this.codes.set(id, code)
    return code
  }

  /** A new Account each time: callers change the one they are given. */
  private decode(rlp: Uint8Array): Account {
    let fields = this.decoded.get(rlp)
    if (fields === undefined) {
      const { nonce, balance, storageRoot, codeHash } = createAccountFromRLP(rlp)
      fields = [nonce, balance, storageRoot, codeHash]
      this.decoded.set(rlp, fields)
    }
    return new DecodedAccount(rlp, fields)
  }

  protected override _getStorageTrie(addressOrHash: Address | { bytes: Uint8Array } | Uint8Array, rootAccount?: Account): MerklePatriciaTrie {
    const id = addressOrHash instanceof Uint8Array ? bytesToUnprefixedHex(addressOrHash) : this.hashedId(addressOrHash.bytes)
    const open = this._storageTries[id]
    if (open !== undefined) return open
    const spare = this.spareTries.get(id)
    if (spare === undefined) return this.keepSpare(id, super._getStorageTrie(addressOrHash, rootAccount))
    // A storage trie without checkpoints is only a root over the shared database: set up as ethereumjs
    // sets up a new one, at the account's storage root (the empty one for no account).
    spare.root(rootAccount?.storageRoot ?? spare.EMPTY_TRIE_ROOT)
    spare.flushCheckpoints()
    this._storageTries[id] = spare
    return spare
  }

  /** The key of an address' storage trie (its hash, in hex), remembered: every storage read asks for it. */
  private hashedId(address: Uint8Array): string {
    const key = bytesToUnprefixedHex(address)
    let id = this.hashedIds.get(key)
    if (id === undefined) {
      if (this.hashedIds.size >= MAX_SPARE_TRIES) this.hashedIds.clear()
      id = bytesToUnprefixedHex(this.keccak256(address))
      this.hashedIds.set(key, id)
    }
    return id
  }

  private keepSpare(id: string, trie: MerklePatriciaTrie): MerklePatriciaTrie {
    if (this.spareTries.size >= MAX_SPARE_TRIES) this.spareTries.clear()
    this.spareTries.set(id, trie)
    return trie
  }
}

/**
 * An account read from `rlp`. A call writes back most accounts it reads unchanged (a zero value
 * moved, a zero fee paid, a zero miner reward), and each write serializes the account: while the
 * fields are those decoded, their serialization is the RLP they came from (the node writes every
 * account as ethereumjs serializes it, so stored RLP is canonical).
 */
class DecodedAccount extends Account {
  constructor(
    private readonly rlp: Uint8Array,
    private readonly fields: AccountFields,
  ) {
    super(...fields)
  }

  override serialize(): Uint8Array {
    const [nonce, balance, storageRoot, codeHash] = this.fields
    const unchanged = this.nonce === nonce && this.balance === balance && this.storageRoot === storageRoot && this.codeHash === codeHash
    return unchanged ? this.rlp : super.serialize()
  }
}
