import { InvalidParamsError } from './errors.ts'
import type { Validator } from './validators.ts'

/** EIP-712 typed data: an object, or the same as a JSON string (MetaMask sends a string). */
export const typedData: Validator<Record<string, unknown>> = {
  describe: 'typed data',
  parse(value, path) {
    let data = value
    if (typeof value === 'string') {
      try {
        data = JSON.parse(value)
      } catch {
        throw new InvalidParamsError(`invalid argument ${path}: typed data is not valid JSON`)
      }
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InvalidParamsError(`invalid argument ${path}: typed data must be an object`)
    return data as Record<string, unknown>
  },
}

/** `primaryType` and the struct types its fields refer to, recursively (EIP-712 encodeType's set). */
export function typesReachableFrom(primaryType: string, types: Record<string, unknown>): Record<string, unknown> {
  const reached: Record<string, unknown> = {}
  const visit = (name: string) => {
    const fields = Object.hasOwn(types, name) ? types[name] : undefined
    if (Object.hasOwn(reached, name) || !Array.isArray(fields)) return
    reached[name] = fields
    for (const field of fields as { type?: unknown }[]) {
      if (typeof field?.type === 'string') visit(field.type.replace(/(\[\d*\])+$/, ''))
    }
  }
  visit(primaryType)
  return reached
}
