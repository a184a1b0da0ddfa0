import type { StateManagerInterface } from '@ethereumjs/common'
import { Address, bigIntToBytes, bigIntToHex, bytesToHex, equalsBytes, setLengthLeft } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { FrameStart, OpStep, Tracer, TxOutcome, TxStart } from './tracer.ts'

export interface PrestateTracerConfig {
  /** Answer { pre, post } with only what the transaction changed. */
  diffMode?: boolean
  disableCode?: boolean
  disableStorage?: boolean
}

interface AccountState {
  balance: bigint
  nonce: bigint
  code: Uint8Array
  /** Slot -> value, both 0x-prefixed 32-byte hex. */
  storage: Map<string, string>
  /** No balance, nonce or code when first seen: geth drops such a created account from `pre`. */
  empty: boolean
}

/** The post-state fields that changed; absent ones did not. */
interface AccountChange {
  balance?: bigint
  nonce?: bigint
  code?: Uint8Array
  storage: Map<string, string>
}

const ZERO_WORD = `0x${'0'.repeat(64)}`
const ACCOUNT_OPS: ReadonlySet<string> = new Set(['EXTCODECOPY', 'EXTCODEHASH', 'EXTCODESIZE', 'BALANCE', 'SELFDESTRUCT'])
const CALL_OPS: ReadonlySet<string> = new Set(['CALL', 'CALLCODE', 'DELEGATECALL', 'STATICCALL'])

/**
 * geth's prestateTracer (eth/tracers/native/prestate.go): every account and slot the transaction
 * touched, as it was before; in diffMode, the changed ones before and after.
 */
export class PrestateTracer implements Tracer {
  private readonly pre = new Map<string, AccountState>()
  private readonly created = new Set<string>()
  private readonly deleted = new Set<string>()
  /** The trace VM's live state, read as the transaction runs. */
  private state!: StateManagerInterface

  constructor(private readonly config: PrestateTracerConfig) {}

  async onTxStart(start: TxStart): Promise<void> {
    this.state = start.state
    if (!start.tx.to) this.created.add(start.to.toString())
    for (const address of [start.from, start.to, start.coinbase]) await this.lookupAccount(address)
  }

  async onOpcode(step: OpStep): Promise<void> {
    const { stack, op, address } = step
    const top = stack.length - 1
    if ((op === 'SLOAD' || op === 'SSTORE') && top >= 0) {
      await this.lookupStorage(address, word(stack[top]))
    } else if (ACCOUNT_OPS.has(op) && top >= 0) {
      await this.lookupAccount(addressOf(stack[top]))
      if (op === 'SELFDESTRUCT') this.deleted.add(address.toString())
    } else if (CALL_OPS.has(op) && top >= 4) {
      await this.lookupAccount(addressOf(stack[top - 1]))
    }
  }

  /** A creation's address is known when its frame starts (geth reads it off the CREATE opcode). */
  async onEnter(frame: FrameStart): Promise<void> {
    if (frame.depth === 0 || !frame.to || (frame.type !== 'CREATE' && frame.type !== 'CREATE2')) return
    this.created.add(frame.to.toString())
    // Read before the creation touches it: nothing there, unless the address was prefunded.
    await this.lookupAccount(frame.to)
  }

  async result(outcome: TxOutcome): Promise<unknown> {
    if (!this.config.diffMode) {
      this.dropEmptyCreated()
      return Object.fromEntries([...this.pre].map(([a, s]) => [a, this.accountJson(s)]))
    }
    const post = await this.changes(outcome.state)
    this.dropEmptyCreated()
    return {
      post: Object.fromEntries([...post].map(([a, c]) => [a, this.changeJson(c)])),
      pre: Object.fromEntries([...this.pre].map(([a, s]) => [a, this.accountJson(s)])),
    }
  }

  private async lookupAccount(address: Address): Promise<void> {
    const key = address.toString()
    if (this.pre.has(key)) return
    const account = await this.state.getAccount(address)
    const code = account ? await this.state.getCode(address) : new Uint8Array()
    const balance = account?.balance ?? 0n
    const nonce = account?.nonce ?? 0n
    this.pre.set(key, { balance, nonce, code, storage: new Map(), empty: balance === 0n && nonce === 0n && code.length === 0 })
  }

  private async lookupStorage(address: Address, slot: string): Promise<void> {
    await this.lookupAccount(address)
    const account = this.pre.get(address.toString())!
    if (!account.storage.has(slot)) account.storage.set(slot, await readSlot(this.state, address, slot))
  }

  /** geth's processDiffState: the post values that differ; unchanged accounts and slots leave `pre`. */
  private async changes(state: StateManagerInterface): Promise<Map<string, AccountChange>> {
    const post = new Map<string, AccountChange>()
    for (const [key, before] of this.pre) {
      if (this.deleted.has(key)) continue
      const address = new Address(hexBytes(key))
      const account = await state.getAccount(address)
      const change: AccountChange = { storage: new Map() }
      let modified = false
      if ((account?.balance ?? 0n) !== before.balance) [modified, change.balance] = [true, account?.balance ?? 0n]
      if ((account?.nonce ?? 0n) !== before.nonce) [modified, change.nonce] = [true, account?.nonce ?? 0n]
      if (!this.config.disableCode) {
        const code = account ? await state.getCode(address) : new Uint8Array()
        if (!equalsBytes(code, before.code)) [modified, change.code] = [true, code]
      }
      if (!this.config.disableStorage) {
        for (const [slot, value] of before.storage) {
          if (value === ZERO_WORD) before.storage.delete(slot)
          const now = await readSlot(state, address, slot)
          if (now === value) before.storage.delete(slot)
          else {
            modified = true
            if (now !== ZERO_WORD) change.storage.set(slot, now)
          }
        }
      }
      if (modified) post.set(key, change)
      else this.pre.delete(key)
    }
    return post
  }

  /** A contract created by the transaction had no state before it, unless its address was prefunded. */
  private dropEmptyCreated(): void {
    for (const key of this.created) if (this.pre.get(key)?.empty) this.pre.delete(key)
  }

  private accountJson(account: AccountState): Record<string, unknown> {
    return {
      balance: bigIntToHex(account.balance),
      ...this.codeJson(account.code),
      nonce: account.nonce > 0n ? Number(account.nonce) : undefined,
      storage: !this.config.disableStorage && account.storage.size > 0 ? Object.fromEntries(account.storage) : undefined,
    }
  }

  private changeJson(change: AccountChange): Record<string, unknown> {
    return {
      balance: change.balance === undefined ? undefined : bigIntToHex(change.balance),
      ...(change.code ? this.codeJson(change.code) : {}),
      nonce: change.nonce ? Number(change.nonce) : undefined,
      storage: change.storage.size > 0 ? Object.fromEntries(change.storage) : undefined,
    }
  }

  /** Code and (as geth since 1.16.3) its hash, for accounts that have code. */
  private codeJson(code: Uint8Array): Record<string, string | undefined> {
    if (code.length === 0) return {}
    return { code: this.config.disableCode ? undefined : bytesToHex(code), codeHash: bytesToHex(keccak_256(code)) }
  }
}

async function readSlot(state: StateManagerInterface, address: Address, slot: string): Promise<string> {
  return bytesToHex(setLengthLeft(await state.getStorage(address, hexBytes(slot)), 32))
}

function word(value: bigint): string {
  return bytesToHex(setLengthLeft(bigIntToBytes(value), 32))
}

function addressOf(value: bigint): Address {
  return new Address(setLengthLeft(bigIntToBytes(value), 32).subarray(12))
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
}
