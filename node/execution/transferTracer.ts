import type { EVM, EVMResult, InterpreterStep, Log, Message } from '@ethereumjs/evm'
import { bigIntToBytes, hexToBytes, setLengthLeft, setLengthRight, utf8ToBytes, type Address } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'

/** The pseudo-address geth gives ether transfers logged as ERC-20 Transfer events (ERC-7528). */
const TRANSFER_ADDRESS = hexToBytes('0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee')
const TRANSFER_TOPIC = keccak_256(utf8ToBytes('Transfer(address,address,uint256)'))
const LOG_TOPICS: Record<string, number> = { LOG0: 0, LOG1: 1, LOG2: 2, LOG3: 3, LOG4: 4 }

const word = (value: bigint): Uint8Array => setLengthLeft(bigIntToBytes(value), 32)

/**
 * geth's simulation tracer with traceTransfers (internal/ethapi/logtracer.go): a transaction's
 * logs in the order they were emitted, with every ether transfer (the transaction's value, a call's
 * or a creation's) as a Transfer log among them; a failed frame's logs are dropped with it.
 * Self-destruct payouts are not traced.
 */
export class TransferTracer {
  /** Logs of the frames open now, innermost last. */
  private frames: Log[][] = []
  private completed: Log[] = []
  /** A creation's value waits for the created address. */
  private pendingCreation: { from: Address; value: bigint } | undefined

  /** Listens to `evm` until the returned function is called. */
  attach(evm: EVM): () => void {
    const events = evm.events
    events.on('beforeMessage', this.onEnter)
    events.on('newContract', this.onCreated)
    events.on('afterMessage', this.onExit)
    events.on('step', this.onStep)
    return () => {
      events.off('beforeMessage', this.onEnter)
      events.off('newContract', this.onCreated)
      events.off('afterMessage', this.onExit)
      events.off('step', this.onStep)
    }
  }

  /** The last transaction's logs, transfers among them; forgotten once taken. */
  take(): Log[] {
    const logs = this.completed
    this.completed = []
    return logs
  }

  private readonly onEnter = (message: Message): void => {
    this.frames.push([])
    if (message.value === 0n || message.delegatecall) return
    if (message.to) this.transfer(message.caller, message.to, message.value)
    else this.pendingCreation = { from: message.caller, value: message.value }
  }

  private readonly onCreated = ({ address }: { address: Address }): void => {
    if (!this.pendingCreation) return
    this.transfer(this.pendingCreation.from, address, this.pendingCreation.value)
    this.pendingCreation = undefined
  }

  private readonly onExit = (result: EVMResult): void => {
    const frame = this.frames.pop() ?? []
    const failed = result.execResult.exceptionError !== undefined
    if (this.frames.length === 0) this.completed = failed ? [] : frame
    else if (!failed) this.frames[this.frames.length - 1].push(...frame)
  }

  /** LOGn, read from the stack and memory as the opcode is about to read them. */
  private readonly onStep = (step: InterpreterStep): void => {
    const topicCount = LOG_TOPICS[step.opcode.name]
    const stack = step.stack
    // Too short a stack: the opcode halts its frame, which drops the frame's logs anyway.
    if (topicCount === undefined || stack.length < 2 + topicCount) return
    const offset = Number(stack[stack.length - 1])
    const size = Number(stack[stack.length - 2])
    const topics = Array.from({ length: topicCount }, (_, i) => word(stack[stack.length - 3 - i]))
    const data = setLengthRight(step.memory.slice(offset, offset + size), size)
    this.frames[this.frames.length - 1]?.push([step.address.bytes, topics, data])
  }

  private transfer(from: Address, to: Address, value: bigint): void {
    const topics = [TRANSFER_TOPIC, setLengthLeft(from.bytes, 32), setLengthLeft(to.bytes, 32)]
    this.frames[this.frames.length - 1].push([TRANSFER_ADDRESS, topics, word(value)])
  }
}
