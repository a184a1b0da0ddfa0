/** The part of autocannon 8's programmatic API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  interface Options {
    url: string
    connections?: number
    workers?: number
    /** Seconds. */
    duration?: number
    method?: string
    headers?: Record<string, string>
    body?: string
    /** A function, or with `workers` the path of a module exporting one. */
    verifyBody?: string | ((body: string) => boolean)
  }

  interface Result {
    /** Seconds, to 10 ms. */
    duration: number
    '2xx': number
    non2xx: number
    /** Responses `verifyBody` refused. */
    mismatches: number
    /** Socket errors and timeouts: requests without a response. */
    errors: number
    timeouts: number
  }

  function autocannon(opts: Options): Promise<Result>
  export default autocannon
}
