import { invalidParam, object, optional, type Validator } from '../validators.ts'

const MAX_UINT256 = 2n ** 256n - 1n

/**
 * A non-negative integer up to 256 bits as anvil's U256 params read it: a JSON number, a 0x hex
 * string (leading zeros allowed, as ethers' toBeHex pads them) or a decimal string.
 */
export const numeric: Validator<bigint> = {
  describe: 'number or quantity',
  parse(value, path) {
    const parsed = typeof value === 'number' ? fromNumber(value) : typeof value === 'string' ? fromString(value) : undefined
    if (parsed === undefined || parsed > MAX_UINT256) throw invalidParam(path, `expected a non-negative integer up to 256 bits, got ${JSON.stringify(value)}`)
    return parsed
  },
}

function fromNumber(value: number): bigint | undefined {
  return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined
}

function fromString(value: string): bigint | undefined {
  return /^0[xX][0-9a-fA-F]{1,64}$/.test(value) || /^[0-9]{1,78}$/.test(value) ? BigInt(value) : undefined
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
