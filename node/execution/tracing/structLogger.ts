import { bytesToHex, bytesToUnprefixedHex, bigIntToHex, setLengthLeft, bigIntToBytes } from '@ethereumjs/util'
import { getHeapStatistics } from 'node:v8'
import { hexKey } from '../../util/hexKey.ts'
import { TraceTooLargeError } from './errors.ts'
import type { FrameEnd, OpStep, Tracer, TxOutcome } from './tracer.ts'

/** geth's logger.Config as debug_trace* options carry it. */
export interface StructLoggerConfig {
  disableStack?: boolean
  disableStorage?: boolean
  enableMemory?: boolean
  enableReturnData?: boolean
  /** At most this many logs (0: no limit). */
  limit?: number
}

type StructLog = Record<string, unknown>

/**
 * Estimated heap bytes of a log: the object with its numbers, then per stack item, memory word and
 * storage entry (the hex string, its slot and the copy each later log keeps).
 */
const LOG_BYTES = 200
const STACK_ITEM_BYTES = 48
const MEMORY_WORD_BYTES = 96
const STORAGE_ENTRY_BYTES = 200

/**
 * What the struct logs of one request (a transaction, a call or a whole block) may take: a quarter of
 * the heap limit, so that the logs and their JSON fit beside the node's caches. Without it one trace
 * with `enableMemory` copies megabytes at every step and ends the process out of memory.
 */
export class LogBudget {
  private left: number

  constructor(readonly bytes = getHeapStatistics().heap_size_limit / 4) {
    this.left = bytes
  }

  take(bytes: number): void {
    this.left -= bytes
    if (this.left < 0) throw new TraceTooLargeError(this.bytes)
  }
}

/** Errors geth hits before the opcode runs and so prints on the opcode's own log. */
const PRE_OPCODE_ERRORS: ReadonlySet<string> = new Set(['out of gas', 'stack underflow', 'stack overflow'])

/**
 * geth's default tracer (eth/tracers/logger StructLogger): one log per opcode, printed as geth's
 * legacy JSON: stack as hex quantities, memory as 32-byte words and storage as 32-byte hex without 0x.
 */
export class StructLogger implements Tracer {
  private readonly logs: StructLog[] = []
  /** Per contract, the slots read or written so far in the transaction, as geth accumulates them. */
  private readonly storage = new Map<string, Map<string, string>>()

  constructor(
    private readonly config: StructLoggerConfig,
    private readonly budget = new LogBudget(),
  ) {}

  async onOpcode(step: OpStep): Promise<void> {
    if (this.config.limit && this.logs.length >= this.config.limit) return
    // Counted before anything is copied: the step that would pass the budget copies nothing.
    this.budget.take(this.logBytes(step))
    const log: StructLog = { pc: step.pc, op: step.op, gas: Number(step.gas), gasCost: Number(step.cost), depth: step.depth }
    if (!this.config.disableStack) log.stack = step.stack.map((v) => bigIntToHex(v))
    if (this.config.enableReturnData && step.returnData.length > 0) log.returnData = bytesToHex(step.returnData)
    if (this.config.enableMemory && step.memory.length > 0) log.memory = words(step.memory)
    const storage = this.config.disableStorage ? undefined : await this.storageAfter(step)
    if (storage) log.storage = Object.fromEntries(storage)
    if (step.refund > 0n) log.refund = Number(step.refund)
    this.logs.push(log)
  }

  onExit(end: FrameEnd): void {
    if (!end.error || !PRE_OPCODE_ERRORS.has(end.error)) return
    const last = this.logs[this.logs.length - 1]
    if (last && last.depth === end.depth + 1) this.logs[this.logs.length - 1] = withError(last, end.error)
  }

  result(outcome: TxOutcome): unknown {
    const failed = outcome.error !== undefined
    // The return data when the call succeeded or reverted; nothing for other failures.
    const returned = failed && outcome.error !== 'execution reverted' ? new Uint8Array() : outcome.output
    return { gas: Number(outcome.gasUsed), failed, returnValue: bytesToHex(returned), structLogs: this.logs }
  }

  /** What the log of `step` will take, by the estimates above (storage as known before this step). */
  private logBytes(step: OpStep): number {
    const { disableStack, enableMemory, enableReturnData, disableStorage } = this.config
    const stack = disableStack ? 0 : step.stack.length * STACK_ITEM_BYTES
    const memory = enableMemory ? Math.ceil(step.memory.length / 32) * MEMORY_WORD_BYTES : 0
    const returnData = enableReturnData ? step.returnData.length * 2 : 0
    const storage = disableStorage ? 0 : (this.storage.get(step.address.toString())?.size ?? 0) * STORAGE_ENTRY_BYTES
    return LOG_BYTES + stack + memory + returnData + storage
  }

  /** The contract's known slots after recording what this SLOAD reads or this SSTORE writes. */
  private async storageAfter(step: OpStep): Promise<Map<string, string> | undefined> {
    const top = step.stack.length - 1
    if (!((step.op === 'SLOAD' && top >= 0) || (step.op === 'SSTORE' && top >= 1))) return undefined
    const key = word(step.stack[top])
    const value =
      step.op === 'SSTORE'
        ? word(step.stack[top - 1])
        : bytesToUnprefixedHex(setLengthLeft(await step.state.getStorage(step.address, setLengthLeft(bigIntToBytes(step.stack[top]), 32)), 32))
    const contract = step.address.toString()
    const slots = this.storage.get(contract) ?? new Map<string, string>()
    this.storage.set(contract, slots.set(key, value))
    return new Map(slots)
  }
}

/** geth's key order: the error comes right after depth. */
function withError(log: StructLog, error: string): StructLog {
  const { pc, op, gas, gasCost, depth, ...rest } = log
  return { pc, op, gas, gasCost, depth, error, ...rest }
}

function word(value: bigint): string {
  return value.toString(16).padStart(64, '0')
}

/** Memory as 64-character hex words, cut from one flat hex string (hexKey: a log holds thousands of words). */
function words(memory: Uint8Array): string[] {
  const hex = hexKey(memory.subarray(0, memory.length - (memory.length % 32)))
  const out: string[] = []
  for (let i = 0; i < hex.length; i += 64) out.push(hex.slice(i, i + 64))
  return out
}
