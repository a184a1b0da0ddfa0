/**
 * Runs async tasks one at a time, in call order. The pool's admissions and block updates each read
 * state (await) and then change the pool; running them one after another means none acts on a
 * state read that another has since made stale.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task)
    this.tail = result.catch(() => undefined)
    return result
  }
}
