import { Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { Account, Address, bytesToHex, setLengthLeft } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { devnetGenesis } from '../../../genesis/genesis.ts'
import { Bucket } from '../../../node/db/buckets.ts'
import { openKV, type KV } from '../../../node/db/kv.ts'
import { TrieStore } from '../../../node/db/trieStore.ts'
import { createChainCommon } from '../../../node/execution/common.ts'
import { FlushUnderCheckpointError } from '../../../node/execution/errors.ts'
import { createStateManager, type ChainStateManager } from '../../../node/execution/state.ts'

const common = createChainCommon(devnetGenesis())

/** Deterministic randomness (xorshift), so a failure reproduces. */
function rng(seed: number) {
  let x = seed
  return () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0)
}

const address = (i: number) => new Address(setLengthLeft(Uint8Array.of(0xab, i), 20))
const slot = (i: number) => setLengthLeft(Uint8Array.of(i), 32)

type Edit = (state: MerkleStateManager) => Promise<void>

/**
 * Creates the account if it is missing, clearing its storage as the EVM's CREATE does: ethereumjs would
 * give a deleted account created again its old storage (see the test of that below). With the edits
 * below, which change accounts field by field as the EVM does, the roots compared are ones the EVM reaches.
 */
async function ensureAccount(s: MerkleStateManager, who: Address): Promise<void> {
  if ((await s.getAccount(who)) !== undefined) return
  await s.putAccount(who, new Account())
  await s.clearStorage(who)
}

/** Blocks of edits: balances and nonces, slots written and zeroed, code, accounts deleted and storage cleared. */
function blocks(seed: number, count: number): Edit[][] {
  const next = rng(seed)
  return Array.from({ length: count }, () =>
    Array.from({ length: 40 }, (): Edit => {
      const who = address(next() % 24)
      const roll = next() % 12
      if (roll < 4) {
        const [nonce, balance] = [BigInt(next() % 5), BigInt(next())]
        return async (s) => {
          await ensureAccount(s, who)
          await s.modifyAccountFields(who, { nonce, balance })
        }
      }
      if (roll < 8) {
        const key = slot(next() % 30)
        const value = next() % 4 === 0 ? new Uint8Array(0) : Uint8Array.of(next() & 0xff, 1)
        return async (s) => {
          await ensureAccount(s, who)
          await s.putStorage(who, key, value)
        }
      }
      if (roll < 10) {
        const code = Uint8Array.of(0x60, next() & 0xff, 0x00)
        return async (s) => {
          await ensureAccount(s, who)
          await s.putCode(who, code)
        }
      }
      if (roll < 11) return async (s) => s.deleteAccount(who)
      return async (s) => {
        if ((await s.getAccount(who)) !== undefined) await s.clearStorage(who)
      }
    }),
  )
}

/** Each block's edits under one checkpoint (as blocks run), and the state root after it. */
async function roots(state: MerkleStateManager, edits: Edit[][]): Promise<string[]> {
  const out: string[] = []
  for (const block of edits) {
    await state.checkpoint()
    for (const edit of block) await edit(state)
    await state.commit()
    out.push(bytesToHex(await state.getStateRoot()))
  }
  return out
}

describe('ChainStateManager.flush (each trie takes its writes at once)', () => {
  it("gives ethereumjs' state roots block after block, with storage, code and deletes", async () => {
    const store = new TrieStore(await openKV({}))
    const ours: ChainStateManager = createStateManager(common, store)
    const theirs = new MerkleStateManager({ common, caches: new Caches() })
    const edits = blocks(21, 15)
    expect(await roots(ours, edits)).toEqual(await roots(theirs, edits))
  })

  it('reads back every account and slot from a fresh view over the store', async () => {
    const store = new TrieStore(await openKV({}))
    const ours = createStateManager(common, store)
    const theirs = new MerkleStateManager({ common, caches: new Caches() })
    const edits = blocks(22, 6)
    const [root] = (await roots(ours, edits)).slice(-1)
    await roots(theirs, edits)
    const view = createStateManager(common, store, Buffer.from(root.slice(2), 'hex'), { caches: false })
    // Read ethereumjs' side through a view without caches too: its storage cache can outlive a deleted account.
    const expected = new MerkleStateManager({ common, trie: (await theirs.shallowCopy(false))['_trie'] })
    let slots = 0
    for (let i = 0; i < 24; i++) {
      expect((await view.getAccount(address(i)))?.serialize(), `account ${i}`).toEqual((await expected.getAccount(address(i)))?.serialize())
      for (let k = 0; k < 30; k++) {
        const value = await expected.getStorage(address(i), slot(k))
        expect(await view.getStorage(address(i), slot(k)), `slot ${k} of ${i}`).toEqual(value)
        if (value.length > 0) slots++
      }
    }
    expect(slots).toBeGreaterThan(20)
  })
  it('gives a deleted account created again no storage but what is written after, as geth does', async () => {
    const store = new TrieStore(await openKV({}))
    const state = createStateManager(common, store)
    const who = address(7)
    const block = async (edit: Edit) => {
      await state.checkpoint()
      await edit(state)
      await state.commit()
      return state.getStateRoot()
    }
    await block(async (s) => {
      await s.putAccount(who, new Account())
      await s.putStorage(who, slot(1), Uint8Array.of(1))
    })
    // The read leaves ethereumjs' trie object for the contract behind, at the old root.
    await block(async (s) => {
      await s.getStorage(who, slot(1))
      await s.deleteAccount(who)
    })
    const root = await block(async (s) => {
      await s.putAccount(who, new Account())
      await s.putStorage(who, slot(2), Uint8Array.of(2))
    })
    const view = createStateManager(common, store, root, { caches: false })
    expect(await view.getStorage(who, slot(1))).toEqual(new Uint8Array(0))
    expect(await view.getStorage(who, slot(2))).toEqual(Uint8Array.of(2))
  })
})

describe('ChainStateManager caches (bounded between blocks)', () => {
  /** One block that puts `count` accounts with a slot each, from `from` on. */
  async function block(state: ChainStateManager, from: number, count: number): Promise<void> {
    await state.checkpoint()
    for (let i = from; i < from + count; i++) {
      await state.putAccount(address(i), new Account(1n, BigInt(i)))
      await state.putStorage(address(i), slot(1), Uint8Array.of(i + 1))
    }
    await state.commit()
  }

  it('keeps what blocks touched while under the bound, and empties the caches once flushed past it', async () => {
    const state = createStateManager(common, new TrieStore(await openKV({})), undefined, { cachedEntriesLimit: 100 })
    await block(state, 0, 40)
    expect(state.cachedEntries).toBe(80)
    await block(state, 40, 20)
    expect(state.cachedEntries).toBe(0)
  })

  it('reads every account and slot back after the caches were emptied, and the root is the uncached one', async () => {
    const bounded = createStateManager(common, new TrieStore(await openKV({})), undefined, { cachedEntriesLimit: 30 })
    const unbounded = createStateManager(common, new TrieStore(await openKV({})))
    for (const state of [bounded, unbounded]) for (let b = 0; b < 6; b++) await block(state, b * 10, 25)
    expect(bounded.cachedEntries).toBeLessThanOrEqual(30 + 50)
    expect(unbounded.cachedEntries).toBeGreaterThan(100)
    expect(bytesToHex(await bounded.getStateRoot())).toBe(bytesToHex(await unbounded.getStateRoot()))
    for (let i = 0; i < 75; i++) {
      const account = await bounded.getAccount(address(i))
      expect([account?.nonce, account?.balance], `account ${i}`).toEqual([1n, BigInt(i)])
      expect(await bounded.getStorage(address(i), slot(1)), `slot of ${i}`).toEqual(Uint8Array.of(i + 1))
    }
  })
})

describe('ChainStateManager without trie checkpoints (the head VM: only the caches checkpoint)', () => {
  /** Each edit under a checkpoint of its own, reverted one time in three, inside each block's checkpoint. */
  async function rootsWithReverts(state: MerkleStateManager, edits: Edit[][]): Promise<string[]> {
    const next = rng(7)
    const out: string[] = []
    for (const block of edits) {
      await state.checkpoint()
      for (const edit of block) {
        await state.checkpoint()
        await edit(state)
        await (next() % 3 === 0 ? state.revert() : state.commit())
      }
      await state.commit()
      out.push(bytesToHex(await state.getStateRoot()))
    }
    return out
  }

  it("gives ethereumjs' state roots block after block, with nested checkpoints committed and reverted", async () => {
    const ours = createStateManager(common, new TrieStore(await openKV({})), undefined, { trieCheckpoints: false })
    const theirs = new MerkleStateManager({ common, caches: new Caches() })
    const edits = blocks(23, 12)
    expect(await rootsWithReverts(ours, edits)).toEqual(await rootsWithReverts(theirs, edits))
  })

  /** Nodes the store holds when `block` (under one checkpoint, after `setup` was stored) is done, and the ones it stores then. */
  async function heldAndStored(trieCheckpoints: boolean, setup: Edit, block: Edit): Promise<{ heldBeforeCommit: number; held: number; stored: number }> {
    const kv: KV = await openKV({})
    const store = new TrieStore(kv)
    const pending = () => (store as unknown as { pending: Map<string, unknown> }).pending.size
    const state = createStateManager(common, store, undefined, { trieCheckpoints })
    await state.checkpoint()
    await setup(state)
    await state.commit()
    await kv.batch(store.drain(await state.getStateRoot()))
    state.clearCaches()
    await state.checkpoint()
    await block(state)
    const heldBeforeCommit = pending()
    await state.commit()
    const held = pending()
    const stored = store.drain(await state.getStateRoot()).filter((op) => op.key[0] === Bucket.state).length
    await kv.close()
    return { heldBeforeCommit, held, stored }
  }

  /** Like a transfer block: senders and fresh recipients read, then written. */
  const fundSenders: Edit = async (state) => {
    for (let i = 0; i < 64; i++) await state.putAccount(address(i), new Account(0n, 100n))
  }
  const transfers: Edit = async (state) => {
    for (let i = 0; i < 8; i++) {
      const sender = (await state.getAccount(address(i)))!
      await state.putAccount(address(i), new Account(1n, sender.balance - 1n))
      await state.getAccount(address(100 + i))
      await state.putAccount(address(100 + i), new Account(0n, 1n))
    }
  }

  it('holds only the nodes it stores: no node read during the block comes back as a write', async () => {
    const without = await heldAndStored(false, fundSenders, transfers)
    expect(without.stored).toBeGreaterThan(0)
    expect(without.held).toBe(without.stored)
    // ethereumjs' trie checkpoint puts back the nodes it read through its CheckpointDB; reads of nodes the
    // store has at hand (MemoizedTrie's peek) go past it, so here it has none to put back either.
    const withTrieCheckpoints = await heldAndStored(true, fundSenders, transfers)
    expect(withTrieCheckpoints.stored).toBe(without.stored)
    expect(withTrieCheckpoints.held).toBe(withTrieCheckpoints.stored)
  })

  /** Like a token's transfer block: each transfer takes from one balance slot and adds to another, some slots written again. */
  const token = address(200)
  const fundHolders: Edit = async (state) => {
    await state.putAccount(token, new Account())
    for (let i = 0; i < 64; i++) await state.putStorage(token, slot(i), Uint8Array.of(100))
  }
  const tokenTransfers: Edit = async (state) => {
    for (let i = 0; i < 16; i++) {
      const [from, to] = [slot(i % 8), slot(100 + (i % 4))]
      const balance = (await state.getStorage(token, from))[0]
      await state.putStorage(token, from, Uint8Array.of(balance - 1))
      const received = (await state.getStorage(token, to))[0] ?? 0
      await state.putStorage(token, to, Uint8Array.of(received + 1))
    }
  }

  it('writes storage slots into their trie only at the flush, so the store gets no node that is replaced within the block', async () => {
    const { heldBeforeCommit, held, stored } = await heldAndStored(false, fundHolders, tokenTransfers)
    expect(heldBeforeCommit).toBe(0)
    expect(stored).toBeGreaterThan(0)
    expect(held).toBe(stored)
  })

  it('refuses a flush under an open checkpoint, which its trie could not undo', async () => {
    const state = createStateManager(common, new TrieStore(await openKV({})), undefined, { trieCheckpoints: false })
    await state.checkpoint()
    await state.putAccount(address(1), new Account(0n, 9n))
    await expect(state.getStateRoot()).rejects.toBeInstanceOf(FlushUnderCheckpointError)
    await state.revert()
    expect(await state.getAccount(address(1))).toBeUndefined()
  })

  it('needs caches', async () => {
    const store = new TrieStore(await openKV({}))
    expect(() => createStateManager(common, store, undefined, { caches: false, trieCheckpoints: false })).toThrow(TypeError)
  })
})
