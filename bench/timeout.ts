/** Bounds a benchmark step in time: rejects once `ms` have passed (the step itself is not stopped). */
export function withTimeout<T>(work: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} exceeded ${ms / 1_000} s`)), ms)
  })
  return Promise.race([work, expired]).finally(() => clearTimeout(timer))
}
