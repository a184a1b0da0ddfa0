/** Polls `condition` every `everyMs` until it holds; throws naming `what` after `ms`. */
export async function until(condition: () => Promise<boolean> | boolean, what: string, ms = 30_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
