import type { StateManagerInterface } from '@ethereumjs/common'
import type { TypedTransaction } from '@ethereumjs/tx'
import type { Address } from '@ethereumjs/util'

/** Frame kinds as geth names them (the opcode that opened the frame). */
export type FrameType = 'CALL' | 'STATICCALL' | 'DELEGATECALL' | 'CALLCODE' | 'CREATE' | 'CREATE2' | 'SELFDESTRUCT'

/** The transaction about to run; `state` is the trace VM's live state (nothing applied yet). */
export interface TxStart {
  state: StateManagerInterface
  tx: TypedTransaction
  from: Address
  /** The recipient, or the address a creation deploys to. */
  to: Address
  coinbase: Address
  /** Logs the block's earlier transactions left: where this transaction's log numbering starts. */
  firstLogIndex: number
}

/** A frame entered (geth's OnEnter); depth 0 is the transaction's own. */
export interface FrameStart {
  depth: number
  type: FrameType
  from: Address
  /** Undefined for a creation that failed before its address was known. */
  to: Address | undefined
  input: Uint8Array
  gas: bigint
  /** Undefined where geth has none (STATICCALL). */
  value: bigint | undefined
}

/** A frame left (geth's OnExit); `error` in geth's words. */
export interface FrameEnd {
  depth: number
  output: Uint8Array
  gasUsed: bigint
  error: string | undefined
}

/** One opcode about to run (geth's OnOpcode): gas before it, its cost as geth counts it, depth from 1. */
export interface OpStep {
  pc: number
  op: string
  gas: bigint
  cost: bigint
  depth: number
  stack: bigint[]
  memory: Uint8Array
  address: Address
  refund: bigint
  returnData: Uint8Array
  state: StateManagerInterface
}

export interface TraceLog {
  address: Address
  topics: Uint8Array[]
  data: Uint8Array
}

/** The traced transaction once run; `state` is the state after it. */
export interface TxOutcome {
  gasUsed: bigint
  output: Uint8Array
  error: string | undefined
  state: StateManagerInterface
}

/** geth's tracing hooks, as much of them as the built-in tracers use; `result` is the JSON answer. */
export interface Tracer {
  onTxStart?(start: TxStart): Promise<void> | void
  onEnter?(frame: FrameStart): Promise<void> | void
  onExit?(end: FrameEnd): void
  onOpcode?(step: OpStep): Promise<void> | void
  /** A LOGn about to run in a frame at `depth` (from 0). */
  onLog?(log: TraceLog, depth: number): void
  result(outcome: TxOutcome): Promise<unknown> | unknown
}
