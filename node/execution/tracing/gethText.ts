import { EVMError } from '@ethereumjs/evm'

const M = EVMError.errorMessages

/** ethereumjs' halt reasons in geth's words (core/vm/errors.go), as geth's tracers print them. */
const GETH_ERRORS: Record<string, string> = {
  [M.REVERT]: 'execution reverted',
  [M.OUT_OF_GAS]: 'out of gas',
  [M.CODESTORE_OUT_OF_GAS]: 'contract creation code storage out of gas',
  [M.CODESIZE_EXCEEDS_MAXIMUM]: 'max code size exceeded',
  [M.INVALID_JUMP]: 'invalid jump destination',
  [M.STATIC_STATE_CHANGE]: 'write protection',
  [M.CREATE_COLLISION]: 'contract address collision',
  [M.INSUFFICIENT_BALANCE]: 'insufficient balance for transfer',
  [M.INVALID_BYTECODE_RESULT]: 'invalid code: must not begin with 0xef',
  [M.INITCODE_SIZE_VIOLATION]: 'max initcode size exceeded',
  [M.OUT_OF_RANGE]: 'return data out of bounds',
  [M.REFUND_EXHAUSTED]: 'refund counter below zero',
}

/** geth's text for an EVM halt; `op` words an invalid opcode as geth does. */
export function gethError(error: EVMError, op: string | undefined): string {
  if (error.error === M.INVALID_OPCODE) return `invalid opcode: ${op ?? 'INVALID'}`
  return GETH_ERRORS[error.error] ?? error.error
}

/** Where geth's opcode names differ from ethereumjs' (geth kept DIFFICULTY for 0x44 after the merge). */
const GETH_OPCODE_NAMES: Record<string, string> = { PREVRANDAO: 'DIFFICULTY' }

export function gethOpName(name: string): string {
  return GETH_OPCODE_NAMES[name] ?? name
}
