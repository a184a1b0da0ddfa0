import { EVM, type EVMResult, type Message } from '@ethereumjs/evm'
import type { Address } from '@ethereumjs/util'
import { PrecompileHostError } from './errors.ts'

/**
 * ethereumjs' EVM, keeping the stack of messages being executed: a precompile is handed only its
 * calldata and gas, and reads its caller, value, static flag and call kind from the top of this
 * stack (a precompile makes no calls of its own, so while it runs the top is its own message).
 */
export class ChainEVM extends EVM {
  private readonly messages: Message[] = []

  /** The message whose code is running now. */
  get currentMessage(): Message {
    const message = this.messages[this.messages.length - 1]
    if (!message) throw new PrecompileHostError('no message is executing')
    return message
  }

  protected override async _executeCall(message: Message & { to: Address }): Promise<EVMResult> {
    this.messages.push(message)
    try {
      return await super._executeCall(message)
    } finally {
      this.messages.pop()
    }
  }
}
