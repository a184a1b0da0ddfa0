import type { InterpreterStep } from '@ethereumjs/evm'
import { bigIntToBytes, bytesToHex, setLengthLeft } from '@ethereumjs/util'

export interface AccessListItem {
  address: string
  storageKeys: string[]
}

const SLOT_OPS = new Set(['SLOAD', 'SSTORE'])
/** Opcodes whose top stack item is the address they touch. */
const ADDRESS_OPS = new Set(['EXTCODECOPY', 'EXTCODEHASH', 'EXTCODESIZE', 'BALANCE', 'SELFDESTRUCT'])
/** Calls: the address is the second stack item. */
const CALL_OPS = new Set(['CALL', 'CALLCODE', 'DELEGATECALL', 'STATICCALL'])

const word = (value: bigint, bytes: number): string => bytesToHex(setLengthLeft(bigIntToBytes(value), bytes))

/**
 * geth's access list tracer (eth/tracers/logger/access_list_tracer.go): the accounts and slots a
 * transaction touches, seeded with a list, leaving out the excluded accounts (sender, recipient,
 * precompiles) unless one of their slots is touched.
 */
export class AccessListTracer {
  private readonly list = new Map<string, Set<string>>()

  constructor(
    seed: AccessListItem[],
    private readonly excluded: ReadonlySet<string>,
  ) {
    for (const { address, storageKeys } of seed) {
      const addr = address.toLowerCase()
      if (!excluded.has(addr)) this.addAddress(addr)
      for (const key of storageKeys) this.addSlot(addr, key.toLowerCase())
    }
  }

  /** The EVM 'step' listener. */
  readonly onStep = (step: InterpreterStep): void => {
    const stack = step.stack
    const op = step.opcode.name
    if (SLOT_OPS.has(op) && stack.length >= 1) this.addSlot(step.address.toString(), word(stack[stack.length - 1], 32))
    else if (ADDRESS_OPS.has(op) && stack.length >= 1) this.touch(word(stack[stack.length - 1] & ((1n << 160n) - 1n), 20))
    else if (CALL_OPS.has(op) && stack.length >= 5) this.touch(word(stack[stack.length - 2] & ((1n << 160n) - 1n), 20))
  }

  /** The list, sorted by address and key as geth returns it. */
  accessList(): AccessListItem[] {
    return [...this.list.keys()].sort().map((address) => ({ address, storageKeys: [...this.list.get(address)!].sort() }))
  }

  equals(other: AccessListTracer): boolean {
    if (this.list.size !== other.list.size) return false
    for (const [address, keys] of this.list) {
      const theirs = other.list.get(address)
      if (!theirs || theirs.size !== keys.size || [...keys].some((k) => !theirs.has(k))) return false
    }
    return true
  }

  private touch(address: string): void {
    if (!this.excluded.has(address)) this.addAddress(address)
  }

  private addAddress(address: string): void {
    if (!this.list.has(address)) this.list.set(address, new Set())
  }

  private addSlot(address: string, key: string): void {
    this.addAddress(address)
    this.list.get(address)!.add(key)
  }
}
