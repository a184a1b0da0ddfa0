import { invalidParam, object, optional, quantity, type Validator } from '../validators.ts'

/** A JSON number or a hex quantity, as anvil's U256/u64 params take either (ethers sends numbers, Hardhat's helpers hex). */
export const numeric: Validator<bigint> = {
  describe: 'number or quantity',
  parse(value, path) {
    if (typeof value !== 'number') return quantity.parse(value, path)
    if (!Number.isSafeInteger(value) || value < 0) throw invalidParam(path, 'expected a non-negative integer')
    return BigInt(value)
  },
}

/** evm_mine's optional param: a timestamp, or anvil's `{ timestamp, blocks }`. */
export interface MineOptions {
  timestamp?: bigint
  blocks?: bigint
}

const mineOptionsShape = object({ timestamp: optional(numeric), blocks: optional(numeric) }, 'mine options')

export const mineOptions: Validator<MineOptions> = {
  describe: 'timestamp or mine options',
  parse: (value, path) => (typeof value === 'object' && value !== null ? mineOptionsShape.parse(value, path) : { timestamp: numeric.parse(value, path) }),
}

/** anvil_reset / hardhat_reset's optional param; only whether it asks for a fork matters here. */
export const resetOptions: Validator<{ forking: boolean }> = {
  describe: 'reset options',
  parse(value, path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidParam(path, 'expected reset options object')
    const fields = value as Record<string, unknown>
    return { forking: fields.forking != null || fields.jsonRpcUrl != null }
  },
}
