import type { EVM, EVMResult, InterpreterStep, Message } from '@ethereumjs/evm'
import { Address, bigIntToBytes, setLengthLeft } from '@ethereumjs/util'
import { TraceTimeoutError } from './errors.ts'
import { gethError, gethOpName } from './gethText.ts'
import type { FrameStart, FrameType, Tracer } from './tracer.ts'

const CALL_OPS: ReadonlySet<string> = new Set(['CALL', 'CALLCODE', 'DELEGATECALL', 'STATICCALL'])
const FRAME_OPS: ReadonlySet<string> = new Set([...CALL_OPS, 'CREATE', 'CREATE2'])
const EMPTY = new Uint8Array()

type Resolve = (result?: unknown) => void

/**
 * Feeds `tracer` geth's hooks from the events of `evm` (an EVM of a trace VM, never the head's) until
 * the returned function detaches it. ethereumjs does not say which opcode opened a frame, so the last
 * frame opcode stepped names it. `failure()` is an error a hook raised (ethereumjs drops async ones).
 */
export function attachTracer(evm: EVM, tracer: Tracer, deadline: number): { detach(): void; failure(): unknown } {
  let failure: unknown
  let frameOp: string | undefined
  let pendingCreate: FrameStart | undefined
  const depths: number[] = []
  const lastOp: string[] = []
  const returnData: Uint8Array[] = []

  const enterCreate = async (to: Address | undefined) => {
    const frame = pendingCreate
    pendingCreate = undefined
    if (frame) await tracer.onEnter?.({ ...frame, to })
  }

  const onMessage = async (msg: Message) => {
    const type = frameType(msg, frameOp)
    depths.push(msg.depth)
    returnData[msg.depth] = EMPTY
    const frame: FrameStart = {
      depth: msg.depth,
      type,
      // geth's frame runs from the contract that called to the code it runs: under DELEGATECALL
      // that is the current contract and the library, where ethereumjs keeps the outer caller.
      from: type === 'DELEGATECALL' && msg.to ? msg.to : msg.caller,
      to: msg.to && msg.codeAddress,
      // A view of the caller's memory, which later opcodes overwrite.
      input: msg.data.slice(),
      gas: msg.gasLimit,
      // DELEGATECALL carries its parent's value (ethereumjs puts it on the message); STATICCALL has none.
      value: type === 'STATICCALL' ? undefined : msg.value,
    }
    if (type === 'CREATE' || type === 'CREATE2') pendingCreate = frame
    else await tracer.onEnter?.(frame)
  }

  const onResult = async (result: EVMResult) => {
    await enterCreate(undefined)
    const depth = depths.pop()!
    const { exceptionError, executionGasUsed } = result.execResult
    const returnValue = result.execResult.returnValue.slice()
    const error = exceptionError && gethError(exceptionError, lastOp[depth])
    tracer.onExit?.({ depth, output: returnValue, gasUsed: executionGasUsed, error })
    // The caller's RETURNDATA: a creation leaves none unless it reverted (geth's opCreate).
    if (depth > 0) returnData[depth - 1] = result.createdAddress === undefined || error === 'execution reverted' ? returnValue : EMPTY
  }

  const onStep = async (step: InterpreterStep) => {
    const op = gethOpName(step.opcode.name)
    lastOp[step.depth] = op
    if (FRAME_OPS.has(op)) frameOp = op
    if (tracer.onOpcode) {
      const cost = (step.opcode.dynamicFee ?? BigInt(step.opcode.fee)) + (CALL_OPS.has(op) ? forwardedGas(step) : 0n)
      await tracer.onOpcode({
        pc: step.pc,
        op,
        gas: step.gasLeft,
        cost,
        depth: step.depth + 1,
        stack: step.stack,
        memory: step.memory,
        address: step.address,
        refund: step.gasRefund,
        returnData: returnData[step.depth] ?? EMPTY,
        state: step.stateManager,
      })
    }
    if (tracer.onLog && op.startsWith('LOG')) tracer.onLog(logOf(step, Number(op.slice(3))), step.depth)
    if (op === 'SELFDESTRUCT' && tracer.onEnter) await selfdestructFrame(step)
  }

  /** geth reports SELFDESTRUCT as a frame of its own, moving the whole balance. */
  const selfdestructFrame = async (step: InterpreterStep) => {
    const balance = (await step.stateManager.getAccount(step.address))?.balance ?? 0n
    const beneficiary = addressOf(step.stack[step.stack.length - 1])
    const depth = step.depth + 1
    await tracer.onEnter!({ depth, type: 'SELFDESTRUCT', from: step.address, to: beneficiary, input: EMPTY, gas: 0n, value: balance })
    tracer.onExit?.({ depth, output: EMPTY, gasUsed: 0n, error: undefined })
  }

  /** ethereumjs awaits a listener of two parameters; a hook's own error is kept and thrown at the next event. */
  const guard =
    <T>(hook: (data: T) => Promise<void>) =>
    (data: T, resolve?: Resolve) => {
      if (failure !== undefined) throw failure
      hook(data).then(
        () => resolve!(),
        (err: unknown) => {
          failure = err
          resolve!()
        },
      )
    }

  const listeners = {
    beforeMessage: guard(onMessage),
    afterMessage: guard(onResult),
    newContract: guard((event: { address: Address }) => enterCreate(event.address)),
    step: (step: InterpreterStep, resolve?: Resolve) => {
      // Thrown synchronously, the timeout stops execution at once (ethereumjs rethrows non-EVM errors).
      if (Date.now() >= deadline) throw new TraceTimeoutError()
      guard(onStep)(step, resolve)
    },
  }
  evm.events.on('beforeMessage', listeners.beforeMessage)
  evm.events.on('afterMessage', listeners.afterMessage)
  evm.events.on('newContract', listeners.newContract)
  evm.events.on('step', listeners.step)
  return {
    detach() {
      evm.events.off('beforeMessage', listeners.beforeMessage)
      evm.events.off('afterMessage', listeners.afterMessage)
      evm.events.off('newContract', listeners.newContract)
      evm.events.off('step', listeners.step)
    },
    failure: () => failure,
  }
}

function frameType(msg: Message, frameOp: string | undefined): FrameType {
  if (msg.depth === 0) return msg.to ? 'CALL' : 'CREATE'
  if (frameOp && FRAME_OPS.has(frameOp)) return frameOp as FrameType
  return msg.to ? 'CALL' : 'CREATE'
}

/** The gas a CALL-family opcode hands on (EIP-150: all but 1/64 of what is left, at most what was asked); geth counts it in the cost. */
function forwardedGas(step: InterpreterStep): bigint {
  const available = step.gasLeft - (step.opcode.dynamicFee ?? 0n)
  if (available <= 0n) return 0n
  const cap = available - available / 64n
  const asked = step.stack[step.stack.length - 1]
  return asked < cap ? asked : cap
}

function logOf(step: InterpreterStep, topicCount: number) {
  const { stack, memory } = step
  const top = stack.length - 1
  const offset = Number(stack[top])
  const size = Number(stack[top - 1])
  const topics = Array.from({ length: topicCount }, (_, i) => setLengthLeft(bigIntToBytes(stack[top - 2 - i]), 32))
  // The step's memory is the memory before this opcode grows it: bytes past its end are zeros.
  const data = new Uint8Array(size)
  data.set(memory.subarray(offset, offset + size))
  return { address: step.address, topics, data }
}

function addressOf(word: bigint): Address {
  return new Address(setLengthLeft(bigIntToBytes(word), 32).subarray(12))
}
