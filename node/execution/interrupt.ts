import type { Common } from '@ethereumjs/common'
import { EVMError, getOpcodesForHF, type EVMOpts } from '@ethereumjs/evm'
import { setImmediate as nextMacrotask } from 'node:timers/promises'

type CustomOpcodes = NonNullable<EVMOpts['customOpcodes']>

/**
 * Opcodes every unbounded execution passes through again and again: loops jump, recursion calls or
 * creates. Watching these alone keeps an ordinary call's overhead to a counter increment per jump.
 */
const WATCHED_OPCODES = [0x56, 0x57, 0xf0, 0xf1, 0xf2, 0xf4, 0xf5, 0xfa]
/** Watched opcodes between two looks at the clock. */
const CHECK_EVERY = 256
/** Longest run of EVM work before other requests get the event loop back, ms. */
const SLICE_MS = 10

/**
 * Keeps a long EVM execution from starving the event loop, and stops it at a deadline.
 * ethereumjs' interpreter awaits once per opcode but only on microtasks, so a tight loop never lets
 * timers or sockets run; here every SLICE_MS of execution yields a macrotask turn. At the deadline
 * every frame halts at its next watched opcode (as out of gas) and `expired` tells the caller why.
 */
export class Interrupter {
  private deadline = Infinity
  private sliceStart = 0
  private count = 0
  /** Set once the current execution ran past its deadline. */
  expired = false

  /** Arms the interrupter for one execution ending at `deadline` (performance.now() time; Infinity for none). */
  arm(deadline: number): void {
    this.deadline = deadline
    this.sliceStart = performance.now()
    this.count = 0
    this.expired = deadline <= this.sliceStart
  }

  /** EVM options replacing the watched opcodes by the same opcodes preceded by a look at the clock. */
  evmOpts(common: Common): Pick<EVMOpts, 'customOpcodes'> {
    const { opcodes, handlers, dynamicGasHandlers } = getOpcodesForHF(common)
    const customOpcodes: CustomOpcodes = WATCHED_OPCODES.map((code) => {
      const handler = handlers.get(code)!
      const info = opcodes.get(code)!
      return {
        opcode: code,
        opcodeName: info.name,
        baseFee: info.fee,
        gasFunction: dynamicGasHandlers.get(code),
        logicFunction: (runState, c) => {
          if (this.expired) throw new EVMError(EVMError.errorMessages.OUT_OF_GAS)
          if (++this.count % CHECK_EVERY !== 0) return handler(runState, c)
          return this.checkpoint().then(() => handler(runState, c))
        },
      }
    })
    return { customOpcodes }
  }

  /** Yields if the slice is used up; halts the execution past the deadline. */
  private async checkpoint(): Promise<void> {
    const now = performance.now()
    if (now >= this.deadline) this.expired = true
    else if (now - this.sliceStart >= SLICE_MS) {
      await nextMacrotask()
      this.sliceStart = performance.now()
      if (this.sliceStart >= this.deadline) this.expired = true
    }
    if (this.expired) throw new EVMError(EVMError.errorMessages.OUT_OF_GAS)
  }
}
