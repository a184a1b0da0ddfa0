import type { Common } from '@ethereumjs/common'
import type { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { Caches, type CodeCache } from '@ethereumjs/statemanager'
import { bytesToUnprefixedHex, type Account, type Address } from '@ethereumjs/util'
import { ChainStateManager, memoizedStateTrie, type StateDB } from './state.ts'

/** Storage tries (and address hashes) kept for reuse at most; past this many contracts the set starts afresh. */
const MAX_SPARE_TRIES = 4096
/** Contract codes kept at most (24 KiB each at most); past this many the set starts afresh. */
const MAX_CODES = 1024

/**
 * The call VM's state manager: ethereumjs' Merkle state manager with what it rebuilds on every call
 * kept instead. Every call ends in a revert, which empties the caches of what the call read and
 * drops every storage trie, so each call would again read each contract's code and build a new trie
 * object (a copy of the account trie, logger and database wrapper included) for each contract whose
 * storage it reads. Accounts are decoded once per RLP, as for every ChainStateManager.
 */
export class CallStateManager extends ChainStateManager {
  private readonly codeCache: CodeCache
  /** Contract code by code hash: what a hash names never changes, so every call at every root shares it. */
  private readonly codes = new Map<string, Uint8Array>()
  private readonly spareTries = new Map<string, MerklePatriciaTrie>()
  private readonly hashedIds = new Map<string, string>()

  constructor(common: Common, store: StateDB) {
    const caches = new Caches()
    super({ common, trie: memoizedStateTrie(common, store), caches })
    this.codeCache = caches.code!
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
