import { CliUsageError } from './errors.ts'

/** An integer flag within [min, max]; anything else is a CliUsageError naming the flag. */
export function integerFlag(name: string, value: string, min: number, max: number): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < min || n > max) throw new CliUsageError(`${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`)
  return n
}
