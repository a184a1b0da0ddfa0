import { bigIntToHex, bytesToHex, type Address } from '@ethereumjs/util'
import { decodeRevertReason } from '../revertReason.ts'
import type { FrameEnd, FrameStart, FrameType, TraceLog, Tracer, TxOutcome, TxStart } from './tracer.ts'

export interface CallTracerConfig {
  /** Only the transaction's own frame, no sub-calls. */
  onlyTopCall?: boolean
  /** Collect logs into the frames that emitted them. */
  withLog?: boolean
}

interface CallLog {
  address: Address
  topics: Uint8Array[]
  data: Uint8Array
  /** How many sub-calls of the frame came before the log. */
  position: number
  /** Its logIndex in the block's receipts; set once the frames' outcomes are known. */
  index?: number
}

/** A frame of any depth (onlyTopCall keeps no CallFrame for most): whether its logs took effect. */
interface Scope {
  parent: Scope | undefined
  failed: boolean
}

/** Every log in emission order, kept or not: the ones that took effect are numbered in this order. */
interface Emitted {
  scope: Scope
  log: CallLog | undefined
}

interface CallFrame {
  type: FrameType
  from: Address
  to: Address | undefined
  input: Uint8Array
  gas: bigint
  gasUsed: bigint
  value: bigint | undefined
  output?: Uint8Array
  error?: string
  revertReason?: string
  calls: CallFrame[]
  logs: CallLog[]
}

/** geth's callTracer (eth/tracers/native/call.go): the tree of call frames of a transaction. */
export class CallTracer implements Tracer {
  private readonly stack: CallFrame[] = []
  private gasLimit = 0n
  private firstLogIndex = 0
  private scope: Scope | undefined
  private readonly emitted: Emitted[] = []

  constructor(private readonly config: CallTracerConfig) {}

  onTxStart(start: TxStart): void {
    this.gasLimit = start.tx.gasLimit
    this.firstLogIndex = start.firstLogIndex
  }

  onEnter(frame: FrameStart): void {
    this.scope = { parent: this.scope, failed: false }
    if (this.config.onlyTopCall && frame.depth > 0) return
    this.stack.push({
      type: frame.type,
      from: frame.from,
      to: frame.to,
      input: frame.input,
      gas: frame.depth === 0 ? this.gasLimit : frame.gas,
      gasUsed: 0n,
      value: frame.value,
      calls: [],
      logs: [],
    })
  }

  onExit(end: FrameEnd): void {
    this.scope!.failed = end.error !== undefined
    if (end.depth > 0) this.scope = this.scope!.parent
    if (end.depth === 0) {
      if (this.stack.length === 1) finish(this.stack[0], end)
      return
    }
    if (this.config.onlyTopCall || this.stack.length <= 1) return
    const frame = this.stack.pop()!
    frame.gasUsed = end.gasUsed
    finish(frame, end)
    this.stack[this.stack.length - 1].calls.push(frame)
  }

  onLog(log: TraceLog, depth: number): void {
    if (!this.config.withLog) return
    const kept = !(this.config.onlyTopCall && depth > 0)
    const frame = this.stack[this.stack.length - 1]
    const entry = kept ? { ...log, position: frame.calls.length } : undefined
    if (entry) frame.logs.push(entry)
    this.emitted.push({ scope: this.scope!, log: entry })
  }

  result(outcome: TxOutcome): unknown {
    const top = this.stack[0]
    top.gasUsed = outcome.gasUsed
    if (this.config.withLog) {
      clearFailedLogs(top, false)
      this.numberLogs()
    }
    return frameJson(top)
  }

  /** Logs that took effect get the logIndex their receipt gives them; those of failed frames are dropped and use none. */
  private numberLogs(): void {
    let index = this.firstLogIndex
    for (const { scope, log } of this.emitted) {
      if (!tookEffect(scope)) continue
      if (log) log.index = index
      index++
    }
  }
}

/** geth's processOutput: output on success; on failure the error, and for a revert its data and reason. */
function finish(frame: CallFrame, end: FrameEnd): void {
  if (end.error === undefined) {
    frame.output = end.output
    return
  }
  frame.error = end.error
  if (frame.type === 'CREATE' || frame.type === 'CREATE2') frame.to = undefined
  if (end.error !== 'execution reverted' || end.output.length === 0) return
  frame.output = end.output
  frame.revertReason = decodeRevertReason(end.output)
}

function tookEffect(scope: Scope | undefined): boolean {
  for (let s = scope; s; s = s.parent) if (s.failed) return false
  return true
}

/** A failed frame's logs (and its sub-calls') never made it on chain. */
function clearFailedLogs(frame: CallFrame, parentFailed: boolean): void {
  const failed = parentFailed || frame.error !== undefined
  if (failed) frame.logs = []
  for (const call of frame.calls) clearFailedLogs(call, failed)
}

/** Fields in geth's order, left out where geth leaves them out (omitempty). */
function frameJson(frame: CallFrame): Record<string, unknown> {
  return {
    from: frame.from.toString(),
    gas: bigIntToHex(frame.gas),
    gasUsed: bigIntToHex(frame.gasUsed),
    to: frame.to?.toString(),
    input: bytesToHex(frame.input),
    output: frame.output && frame.output.length > 0 ? bytesToHex(frame.output) : undefined,
    error: frame.error,
    revertReason: frame.revertReason || undefined,
    calls: frame.calls.length > 0 ? frame.calls.map(frameJson) : undefined,
    logs: frame.logs.length > 0 ? frame.logs.map(logJson) : undefined,
    value: frame.value === undefined ? undefined : bigIntToHex(frame.value),
    type: frame.type,
  }
}

function logJson(log: CallLog): Record<string, unknown> {
  return {
    address: log.address.toString(),
    topics: log.topics.map((t) => bytesToHex(t)),
    data: bytesToHex(log.data),
    position: `0x${log.position.toString(16)}`,
    index: log.index === undefined ? undefined : `0x${log.index.toString(16)}`,
  }
}
