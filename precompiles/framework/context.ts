import type { Log } from '@ethereumjs/evm'
import type { StateManagerInterface } from '@ethereumjs/common'
import { Account, bigIntToBytes, bigIntToUnpaddedBytes, bytesToBigInt, setLengthLeft, type Address } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import {
  encodeAbiParameters,
  encodeErrorResult,
  encodeEventTopics,
  getAddress,
  hexToBytes,
  type Abi,
  type AbiEvent,
  type ContractErrorArgs,
  type ContractErrorName,
  type ContractEventArgsFromTopics,
  type ContractEventName,
  type EncodeErrorResultParameters,
  type Hex,
} from 'viem'
import { iOpenLedgerPrecompileAbi } from './abi.ts'
import { PrecompileOutOfGas, PrecompileRevert } from './errors.ts'
import { GAS, logGas } from './gas.ts'

/**
 * What a precompile uses of the EVM it runs in: the journal for EIP-2929 warm slots and accounts and
 * for balance writes (it marks accounts touched, for EIP-161), the state for storage and accounts.
 */
export interface PrecompileHost {
  stateManager: StateManagerInterface
  journal: {
    isWarmedStorage(address: Uint8Array, slot: Uint8Array): boolean
    addWarmedStorage(address: Uint8Array, slot: Uint8Array): void
    isWarmedAddress(address: Uint8Array): boolean
    addWarmedAddress(address: Uint8Array): void
    putAccount(address: Address, account: Account | undefined): Promise<void>
  }
}

export interface CallInfo {
  /** The precompile's own account. */
  self: Address
  caller: Address
  value: bigint
  /** Writes are refused: a STATICCALL, or a view function. */
  readOnly: boolean
  gasLimit: bigint
}

/** Storage slots of one account as a precompile sees them, every access charged before it is made. */
export interface Slots {
  load(slot: bigint): Promise<bigint>
  store(slot: bigint, value: bigint): Promise<void>
  hashWords(...words: bigint[]): bigint
}

/**
 * One call into a precompile, as its handlers see it: who called, with what value, the gas left,
 * the precompile's storage (each access charged before it is made) and the logs it emits.
 */
export class CallContext<A extends Abi> implements Slots {
  readonly logs: Log[] = []
  private gas: bigint

  constructor(
    readonly abi: A,
    private readonly host: PrecompileHost,
    private readonly info: CallInfo,
  ) {
    this.gas = info.gasLimit
  }

  /** msg.sender, checksummed. */
  get caller(): Hex {
    return getAddress(this.info.caller.toString())
  }

  /** msg.sender as a storage word. */
  get callerWord(): bigint {
    return bytesToBigInt(this.info.caller.bytes)
  }

  get value(): bigint {
    return this.info.value
  }

  get gasLeft(): bigint {
    return this.gas
  }

  get gasUsed(): bigint {
    return this.info.gasLimit - this.gas
  }

  /** Takes `amount` from the call's gas, or ends the call out of gas (nothing it did survives). */
  charge(amount: bigint): void {
    if (amount > this.gas) {
      const left = this.gas
      this.gas = 0n
      throw new PrecompileOutOfGas(amount, left)
    }
    this.gas -= amount
  }

  /** Ends the call with a REVERT carrying the custom error `name(args)` of this precompile's ABI. */
  revert<N extends ContractErrorName<A>>(name: N, ...args: ContractErrorArgs<A, N> extends readonly [] ? [] : [ContractErrorArgs<A, N>]): never {
    const data = encodeErrorResult({ abi: this.abi, errorName: name, args: args[0] } as EncodeErrorResultParameters)
    throw new PrecompileRevert(hexToBytes(data), name)
  }

  /** Reverts with the framework's `TooLong(field, length, max)` when `text` has more than `max` UTF-8 bytes. */
  checkLength(field: string, text: string, max: number): void {
    const length = encoder.encode(text).length
    if (length <= max) return
    const data = encodeErrorResult({ abi: iOpenLedgerPrecompileAbi, errorName: 'TooLong', args: [field, BigInt(length), BigInt(max)] })
    throw new PrecompileRevert(hexToBytes(data), 'TooLong')
  }

  /**
   * Moves `amount` wei from the precompile's own balance (what callers sent it) to `recipient`.
   * Priced as a CALL with value to an account without code: the account access (EIP-2929), the value
   * transfer less the stipend no code will use, and the new-account cost when the recipient is empty.
   */
  async pay(recipient: Address, amount: bigint): Promise<void> {
    if (this.info.readOnly) throw new TypeError('a read-only call tried to move value')
    if (amount === 0n) return
    this.charge(this.warmAccount(recipient) ? GAS.warmAccess : GAS.coldAccount)
    const to = (await this.host.stateManager.getAccount(recipient)) ?? new Account()
    this.charge(GAS.valueTransfer + (to.isEmpty() ? GAS.newAccount : 0n))
    const self = await this.host.stateManager.getAccount(this.info.self)
    if (self === undefined || self.balance < amount) throw new RangeError(`precompile ${this.info.self} cannot pay ${amount}: its balance is ${self?.balance ?? 0n}`)
    self.balance -= amount
    await this.host.journal.putAccount(this.info.self, self)
    const fresh = (await this.host.stateManager.getAccount(recipient)) ?? new Account()
    fresh.balance += amount
    await this.host.journal.putAccount(recipient, fresh)
  }

  hashWords(...words: bigint[]): bigint {
    this.charge(GAS.keccak + GAS.keccakWord * BigInt(words.length))
    const bytes = new Uint8Array(32 * words.length)
    words.forEach((w, i) => bytes.set(wordBytes(w), 32 * i))
    return bytesToBigInt(keccak_256(bytes))
  }

  /** SLOAD of the precompile's own slot. */
  load(slot: bigint): Promise<bigint> {
    return this.loadAt(this.info.self, slot)
  }

  /** SSTORE into the precompile's own slot: access first, then the write priced on the slot's current value. */
  async store(slot: bigint, value: bigint): Promise<void> {
    if (this.info.readOnly) throw new TypeError('a read-only call tried to write storage')
    this.charge(this.access(this.info.self, slot) ? 0n : GAS.coldSload)
    const current = await this.read(this.info.self, slot)
    this.charge(current === value ? GAS.warmAccess : current === 0n ? GAS.sstoreSet : GAS.sstoreReset)
    if (current !== value) await this.host.stateManager.putStorage(this.info.self, wordBytes(slot), bigIntToUnpaddedBytes(value))
  }

  /**
   * Another account's storage, read-only, priced as this precompile's own (EIP-2929 per account and
   * slot): how one precompile reads another's state, with the other's layout functions.
   */
  slotsOf(account: Address): Slots {
    return {
      load: (slot) => this.loadAt(account, slot),
      store: () => Promise.reject(new TypeError(`a precompile tried to write the storage of ${account}`)),
      hashWords: (...words) => this.hashWords(...words),
    }
  }

  /** Appends the event `name` (LOGn priced as the EVM prices it), as a log of the precompile's account. */
  emit<N extends ContractEventName<A>>(name: N, args: ContractEventArgsFromTopics<A, N>): void {
    if (this.info.readOnly) throw new TypeError('a read-only call tried to emit a log')
    const event = this.abi.find((item): item is AbiEvent => item.type === 'event' && item.name === name)
    if (!event) throw new TypeError(`no event ${name} in the ABI`)
    const values = args as Record<string, unknown>
    const topics = encodeEventTopics({ abi: [event], eventName: name, args: values } as Parameters<typeof encodeEventTopics>[0]) as Hex[]
    const unindexed = event.inputs.filter((input) => !input.indexed)
    const data = hexToBytes(encodeAbiParameters(unindexed, unindexed.map((input) => values[input.name!])))
    this.charge(logGas(topics.length, data.length))
    this.logs.push([this.info.self.bytes, topics.map((t) => hexToBytes(t)), data])
  }

  private async loadAt(account: Address, slot: bigint): Promise<bigint> {
    this.charge(this.access(account, slot) ? GAS.warmAccess : GAS.coldSload)
    return this.read(account, slot)
  }

  /** Whether `account` was already accessed in the transaction; it is from now on. */
  private warmAccount(account: Address): boolean {
    if (this.host.journal.isWarmedAddress(account.bytes)) return true
    this.host.journal.addWarmedAddress(account.bytes)
    return false
  }

  /** Whether `account`'s `slot` was already accessed in the transaction; it is from now on. */
  private access(account: Address, slot: bigint): boolean {
    const key = wordBytes(slot)
    if (this.host.journal.isWarmedStorage(account.bytes, key)) return true
    this.host.journal.addWarmedStorage(account.bytes, key)
    return false
  }

  private async read(account: Address, slot: bigint): Promise<bigint> {
    return bytesToBigInt(await this.host.stateManager.getStorage(account, wordBytes(slot)))
  }
}

const encoder = new TextEncoder()

/** A 256-bit word as 32 big-endian bytes (taken modulo 2^256, as slot arithmetic wraps). */
export function wordBytes(word: bigint): Uint8Array {
  return setLengthLeft(bigIntToBytes(BigInt.asUintN(256, word)), 32)
}
