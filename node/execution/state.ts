import type { Common, StateManagerInterface } from '@ethereumjs/common'
import { RLP } from '@ethereumjs/rlp'
import { Caches, CODEHASH_PREFIX, MerkleStateManager, type MerkleStateManagerOpts } from '@ethereumjs/statemanager'
import { Account, concatBytes, createAddressFromString, unprefixedHexToBytes, ValueEncoding, type Address, type DB } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { decodeAccount } from './decodedAccount.ts'
import { FlushUnderCheckpointError } from './errors.ts'
import { MemoizedTrie, type NodesAtHand, type TrieReads, type TrieWriteNotes } from './memoizedTrie.ts'
import type { TrieWrite } from './trieBatch.ts'

/**
 * A trie database that carries the memo of trie reads and notes the preimages of the keys written
 * (the TrieStore, or a scratch layer over it).
 */
export type StateDB = DB<string | Uint8Array, string | Uint8Array> & TrieWriteNotes & NodesAtHand & { reads: TrieReads }

/**
 * Accounts and storage slots the caches keep from block to block. ethereumjs' caches are ordered maps
 * that never evict (its LRU kind would drop a block's writes not yet flushed), so every account a
 * chain ever touched stayed in memory: 100,000 of them, 42 MB, after 100,000 transfers to new
 * addresses. Emptied once flushed past this, they fill again from the store's node cache. An entry
 * costs about 400 bytes (heap snapshot: tree node, hex key, account RLP), and the caches are anywhere
 * between empty and full when memory is looked at: 16,000 bounds them at about 7 MB (50,000 was 20 MB).
 */
const CACHED_ENTRIES_LIMIT = 16_000

export interface ChainStateManagerOpts extends MerkleStateManagerOpts {
  /** Accounts and slots the caches may hold after a flush before they are emptied (tests set a small one). */
  cachedEntriesLimit?: number
  /**
   * false: checkpoints are the caches' alone (see ChainStateManager.checkpoint). Needs caches, and no
   * flush under a checkpoint (getStateRoot there throws FlushUnderCheckpointError).
   */
  trieCheckpoints?: boolean
}

/**
 * ethereumjs' Merkle state manager, with its count of open checkpoints made readable, each trie flushed
 * in one go, and (for the head VM) no trie checkpoints.
 */
export class ChainStateManager extends MerkleStateManager {
  private readonly cachedEntriesLimit: number
  private readonly trieCheckpoints: boolean

  constructor(opts: ChainStateManagerOpts) {
    super(opts)
    this.cachedEntriesLimit = opts.cachedEntriesLimit ?? CACHED_ENTRIES_LIMIT
    this.trieCheckpoints = opts.trieCheckpoints ?? true
    if (!this.trieCheckpoints && !(this._caches?.account && this._caches.storage && this._caches.code)) {
      throw new TypeError('a state manager without trie checkpoints needs account, storage and code caches')
    }
  }

  /**
   * Without trie checkpoints, only the caches checkpoint. With caches, nothing is written to the tries
   * below the outermost checkpoint (flush runs there alone), so the trie's checkpoints have nothing to
   * undo; but its CheckpointDB keeps every node read under one and puts them all back into the store on
   * the outermost commit. Each block's reads came back as writes of unchanged nodes, and made the store
   * walk the new trie for superseded nodes on every block.
   */
  override async checkpoint(): Promise<void> {
    if (this.trieCheckpoints) return super.checkpoint()
    this._caches!.checkpoint()
    this._checkpointCount++
  }

  override async commit(): Promise<void> {
    if (this.trieCheckpoints) return super.commit()
    this._caches!.commit()
    await this.closeCheckpoint()
  }

  override async revert(): Promise<void> {
    if (this.trieCheckpoints) return super.revert()
    this._caches!.revert()
    this._storageTries = {}
    await this.closeCheckpoint()
  }

  /** As ethereumjs closes one: the outermost flushes the caches into the tries. */
  private async closeCheckpoint(): Promise<void> {
    this._checkpointCount--
    if (this._checkpointCount > 0) return
    await this.flush()
    this.originalStorageCache.clear()
  }

  /** As MerkleStateManager.getAccount, each RLP decoded once (decodeAccount). */
  override async getAccount(address: Address): Promise<Account | undefined> {
    const elem = this._caches?.account?.get(address)
    if (elem !== undefined) return elem.accountRLP === undefined ? undefined : decodeAccount(elem.accountRLP)
    const rlp = await this._trie.get(address.bytes)
    const account = rlp === null ? undefined : decodeAccount(rlp)
    this._caches?.account?.put(address, account)
    return account
  }

  /** Open checkpoints: the count the state manager keeps (the EVM journal's own is reset by runTx's cleanup). */
  get checkpointDepth(): number {
    return this._checkpointCount
  }

  /**
   * Reverts every checkpoint opened since the count was `depth`. ethereumjs reverts only its own: an
   * exception from inside the EVM (a precompile, a failed read) leaves the message's checkpoint open.
   */
  async revertTo(depth: number): Promise<void> {
    while (this._checkpointCount > depth) await this.revert()
  }

  /**
   * With a storage cache the write waits in it for the flush, as ethereumjs means: its putStorage reads
   * `cache.put(...) ?? this._writeContractStorage(...)`, but put returns nothing, so every SSTORE also
   * re-hashed the slot's path in the storage trie, put its nodes into the store and the account again.
   * putStorage is the only caller left: flush is ours.
   */
  protected override async _writeContractStorage(address: Address, account: Account, key: Uint8Array, value: Uint8Array): Promise<void> {
    if (this._caches?.storage) return
    await super._writeContractStorage(address, account, key, value)
  }

  /** The state manager's keccak (ethereumjs keeps its own private): the chain's, or @noble's. */
  protected get keccak256(): (bytes: Uint8Array) => Uint8Array {
    return this.common.customCrypto.keccak256 ?? keccak_256
  }

  /** Where code is stored in the code database, by its hash (prefixed as ethereumjs stores it). */
  protected codeKey(codeHash: Uint8Array): Uint8Array {
    return this._prefixCodeHashes ? concatBytes(CODEHASH_PREFIX, codeHash) : codeHash
  }

  /**
   * As MerkleStateManager.flush (code, then storage, then accounts), but each trie takes all its
   * writes at once (MemoizedTrie.putAll). ethereumjs puts them one by one: every slot and account
   * re-hashed its path from the root, and a contract's account was put again after each of its slots.
   * Then the caches are emptied if they have grown past their bound: all they held is in the tries now.
   */
  override async flush(): Promise<void> {
    if (!this.trieCheckpoints && this._checkpointCount > 0) throw new FlushUnderCheckpointError(this._checkpointCount)
    await this.flushCode()
    await this.flushStorage()
    await this.flushAccounts()
    if (this.cachedEntries > this.cachedEntriesLimit) this.emptyCaches()
  }

  /** The caches, and the storage trie objects ethereumjs keeps for every contract touched since its last revert. */
  private emptyCaches(): void {
    this.clearCaches()
    this._storageTries = {}
  }

  /** Accounts and storage slots in the caches. */
  get cachedEntries(): number {
    let slots = 0
    this._caches?.storage?._orderedMapCache?.forEach(([, slotsOf]) => (slots += slotsOf.size))
    return (this._caches?.account?.size() ?? 0) + slots
  }

  private async flushCode(): Promise<void> {
    for (const [addressHex, { code }] of this._caches?.code?.flush() ?? []) {
      if (code === undefined) continue
      const address = createAddressFromString(`0x${addressHex}`)
      const codeHash = this.keccak256(code)
      await this._getCodeDB().put(this.codeKey(codeHash), code)
      if ((await this.getAccount(address)) === undefined) await this.putAccount(address, new Account())
      await this.modifyAccountFields(address, { codeHash })
    }
  }

  /**
   * Each contract's slots into its storage trie in one go, then its account once with the new storage
   * root. The trie starts from the account's root: ethereumjs keeps a contract's trie object past the
   * account's deletion, and a contract created again would otherwise take back the storage it had.
   */
  private async flushStorage(): Promise<void> {
    const byContract = new Map<string, TrieWrite[]>()
    for (const [addressHex, keyHex, value] of this._caches?.storage?.flush() ?? []) {
      const decoded = RLP.decode(value ?? new Uint8Array(0)) as Uint8Array
      const writes = byContract.get(addressHex) ?? byContract.set(addressHex, []).get(addressHex)!
      writes.push({ key: unprefixedHexToBytes(keyHex), value: decoded.length > 0 ? RLP.encode(decoded) : null })
    }
    for (const [addressHex, writes] of byContract) {
      const address = createAddressFromString(`0x${addressHex}`)
      const account = await this.getAccount(address)
      if (!account) continue
      const trie = this._getStorageTrie(address, account) as MemoizedTrie
      trie.root(account.storageRoot)
      await trie.putAll(writes)
      account.storageRoot = trie.root()
      await this.putAccount(address, account)
    }
  }

  private async flushAccounts(): Promise<void> {
    const writes = (this._caches?.account?.flush() ?? []).map(([addressHex, { accountRLP }]) => ({ key: unprefixedHexToBytes(addressHex), value: accountRLP ?? null }))
    await (this._trie as MemoizedTrie).putAll(writes)
  }
}

/**
 * A Merkle state manager over the node's trie store, positioned at `root`. Account and storage
 * caches pay off for a VM that writes; read-only views go without (the store caches trie nodes).
 */
export function createStateManager(
  common: Common,
  store: StateDB,
  root?: Uint8Array,
  opts: { caches?: boolean; cachedEntriesLimit?: number; trieCheckpoints?: boolean } = {},
): ChainStateManager {
  const caches = opts.caches === false ? undefined : new Caches()
  const { cachedEntriesLimit, trieCheckpoints } = opts
  return new ChainStateManager({ common, trie: memoizedStateTrie(common, store, root), caches, cachedEntriesLimit, trieCheckpoints })
}

/** The account trie of a state manager over `store`, its reads memoized. */
export function memoizedStateTrie(common: Common, store: StateDB, root?: Uint8Array): MemoizedTrie {
  return new MemoizedTrie({ db: store, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes, common, root }, store.reads, store)
}

/**
 * Runs a block's transactions under one checkpoint of `state`: ethereumjs writes the accounts and
 * slots it caches into the tries when the outermost checkpoint commits, so this hashes each touched
 * trie path once per block instead of once per transaction. On a throw the checkpoint stays open:
 * the caller resets the state to the head (Execution.resetToHead reverts every checkpoint).
 */
export async function underOneCheckpoint<T>(state: StateManagerInterface, run: () => Promise<T>): Promise<T> {
  await state.checkpoint()
  const out = await run()
  await state.commit()
  return out
}
