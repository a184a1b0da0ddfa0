/**
 * The index of the first value that repeats an earlier one, or -1 when every value is distinct: each
 * precompile that takes a list of ids or shingles refuses repeats with its own error naming this index.
 */
export function firstRepeat(values: readonly bigint[]): number {
  const seen = new Set<bigint>()
  for (const [index, value] of values.entries()) {
    if (seen.has(value)) return index
    seen.add(value)
  }
  return -1
}
