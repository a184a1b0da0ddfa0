import type { Block } from '@ethereumjs/block'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { Account, type Address } from '@ethereumjs/util'
import type { ChainStore } from '../chain/chainStore.ts'
import type { Execution } from '../execution/execution.ts'
import { loadAccounts } from '../execution/stateDump.ts'
import type { ClockReading } from '../miner/clock.ts'
import type { Miner } from '../miner/miner.ts'
import type { TxPool } from '../txpool/txPool.ts'
import { decodeAnvilState, encodeAnvilState } from './anvilState.ts'
import { TimestampTooLowError } from './errors.ts'

export interface DevDeps {
  chain: ChainStore
  execution: Execution
  txpool: TxPool
  miner: Miner
}

/** Where evm_snapshot left the chain: evm_revert comes back to exactly this. */
interface Snapshot {
  blockHash: Uint8Array
  stateRoot: Uint8Array
  clock: ClockReading
}

/**
 * The devnet's controls (evm_*, anvil_*, hardhat_*), driving the miner, the execution, the chain and
 * the pool. Everything that touches the head runs between blocks, so no block is sealed on a state
 * being changed. Snapshots and impersonations live in memory, as in anvil.
 *
 * After a revert the pool keeps its transactions (anvil's choice; Hardhat restores the pool as it
 * was), re-checked against the restored state: those whose nonce is now ahead wait as queued.
 */
export class DevControls {
  private readonly snapshots = new Map<bigint, Snapshot>()
  private nextSnapshotId = 0n
  private readonly impersonated = new Set<string>()
  /** anvil_autoImpersonateAccount: every address may send without a key. */
  private impersonateAll = false

  constructor(private readonly deps: DevDeps) {}

  // ---- snapshots and reset

  snapshot(): Promise<bigint> {
    const { chain, miner } = this.deps
    return miner.betweenBlocks(async () => {
      const id = this.nextSnapshotId++
      this.snapshots.set(id, { blockHash: chain.headBlock.hash(), stateRoot: chain.headStateRoot, clock: miner.clock.reading() })
      return id
    })
  }

  /** Rewinds to snapshot `id` and drops it and every later one; false for an unknown id. */
  revert(id: bigint): Promise<boolean> {
    const { chain, miner } = this.deps
    return miner.betweenBlocks(async () => {
      const snapshot = this.snapshots.get(id)
      if (!snapshot) return false
      for (const taken of [...this.snapshots.keys()]) if (taken >= id) this.snapshots.delete(taken)
      await this.rewind((await chain.blockByHash(snapshot.blockHash))!, snapshot.stateRoot)
      miner.clock.restore(snapshot.clock)
      return true
    })
  }

  /** Back to genesis: chain, state, pool, snapshots, impersonations and clock (anvil_reset without a fork). */
  reset(): Promise<void> {
    const { chain, txpool, miner } = this.deps
    return miner.betweenBlocks(async () => {
      txpool.clear()
      const genesis = (await chain.blockByNumber(0n))!
      await this.rewind(genesis, genesis.header.stateRoot)
      this.snapshots.clear()
      this.nextSnapshotId = 0n
      this.impersonated.clear()
      this.impersonateAll = false
      miner.clock.reset()
    })
  }

  // ---- state edits: no block is mined, the next one builds on them

  setBalance(address: Address, balance: bigint): Promise<void> {
    return this.edit((state) => state.modifyAccountFields(address, { balance }))
  }

  setNonce(address: Address, nonce: bigint): Promise<void> {
    return this.edit((state) => state.modifyAccountFields(address, { nonce }))
  }

  setCode(address: Address, code: Uint8Array): Promise<void> {
    return this.edit((state) => state.putCode(address, code))
  }

  setStorageAt(address: Address, slot: Uint8Array, value: Uint8Array): Promise<void> {
    return this.edit(async (state) => {
      if (!(await state.getAccount(address))) await state.putAccount(address, new Account())
      await state.putStorage(address, slot, value)
    })
  }

  /** anvil_dumpState: the head state in anvil's format (gzipped JSON). */
  async dumpState(): Promise<Uint8Array> {
    const { chain, execution, miner } = this.deps
    return miner.betweenBlocks(async () => encodeAnvilState(await execution.dumpHeadState(), chain.headBlock))
  }

  /** anvil_loadState: merges a dump into the head state. */
  async loadState(dump: Uint8Array): Promise<void> {
    const accounts = decodeAnvilState(dump)
    await this.edit((state) => loadAccounts(state, accounts))
  }

  // ---- time and mining

  /** Moves block time forward; returns the whole offset from the wall clock, in seconds. */
  increaseTime(seconds: bigint): bigint {
    return this.deps.miner.clock.increase(seconds)
  }

  setNextBlockTimestamp(timestamp: bigint): void {
    const head = this.deps.chain.headBlock.header.timestamp
    if (timestamp <= head) throw new TimestampTooLowError(timestamp, head)
    this.deps.miner.clock.setNextTimestamp(timestamp)
  }

  /** Mines `blocks` blocks; with `intervalSeconds`, time moves on by that much before each (anvil_mine). */
  async mine(blocks: bigint, intervalSeconds?: bigint): Promise<void> {
    for (let i = 0n; i < blocks; i++) {
      if (intervalSeconds !== undefined) this.deps.miner.clock.increase(intervalSeconds)
      await this.deps.miner.mine()
    }
  }

  get automine(): boolean {
    return this.deps.miner.miningMode.kind === 'auto'
  }

  /** As anvil: turning automine off leaves interval mining on; turning it on replaces any mode. */
  setAutomine(enabled: boolean): void {
    if (enabled && !this.automine) this.deps.miner.setMode({ kind: 'auto' })
    if (!enabled && this.automine) this.deps.miner.setMode({ kind: 'manual' })
  }

  /** A block every `seconds` (anvil's unit; Hardhat's is milliseconds); 0 stops mining on a timer. */
  setIntervalMining(seconds: bigint): void {
    this.deps.miner.setMode(seconds === 0n ? { kind: 'manual' } : { kind: 'interval', blockTimeMs: Number(seconds) * 1000 })
  }

  // ---- impersonation

  impersonate(address: Address): void {
    this.impersonated.add(address.toString())
  }

  stopImpersonating(address: Address): void {
    this.impersonated.delete(address.toString())
  }

  setAutoImpersonate(enabled: boolean): void {
    this.impersonateAll = enabled
  }

  isImpersonated(address: Address): boolean {
    return this.impersonateAll || this.impersonated.has(address.toString())
  }

  // ---- pool and block producer

  /** Removes a pooled transaction; false if the pool does not hold it. */
  dropTransaction(hash: Uint8Array): Promise<boolean> {
    return this.deps.txpool.drop(hash)
  }

  setCoinbase(address: Address): void {
    this.deps.miner.coinbase = address.bytes
  }

  private async edit(change: (state: MerkleStateManager) => Promise<void>): Promise<void> {
    const { execution, txpool, miner } = this.deps
    await miner.betweenBlocks(async () => {
      await execution.editHeadState(change)
      await txpool.revalidate()
    })
  }

  /** Moves the head back (inside betweenBlocks), then lets the pool re-check its transactions. */
  private async rewind(block: Block, stateRoot: Uint8Array): Promise<void> {
    const { chain, execution, txpool } = this.deps
    await chain.rewindTo(block, stateRoot)
    await execution.resetToHead()
    await txpool.revalidate()
  }
}
