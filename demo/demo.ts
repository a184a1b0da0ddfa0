/**
 * `npm run demo [-- --rpc URL]`: the OpenLedger story on a devnet of its own (or the node at URL),
 * printed as who earned what. Exit 0 when every check holds, 1 otherwise.
 */
import { parseArgs } from 'node:util'
import { BaseError, ContractFunctionRevertedError } from 'viem'
import { devCast, openChain } from './chain.ts'
import { formatReport, storyChecks } from './report.ts'
import { runStory } from './story.ts'

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { rpc: { type: 'string' } }, strict: true })
  const chain = await openChain(values.rpc)
  try {
    console.log(`OpenLedger demo on ${chain.url}\n`)
    const cast = await devCast(chain.url)
    const result = await runStory(cast)
    const checks = storyChecks(result, cast.user.wallet.account.address)
    console.log(formatReport(result, cast, checks))
    return checks.every((c) => c.ok) ? 0 : 1
  } finally {
    await chain.close()
  }
}

/** viem's one-line summary, with the precompile's custom error when a call reverted with one. */
function failure(err: unknown): string {
  if (!(err instanceof BaseError)) return err instanceof Error ? err.message : String(err)
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null
  const decoded = reverted?.data ? ` ${reverted.data.errorName}(${(reverted.data.args ?? []).join(', ')})` : ''
  return `${err.shortMessage}${decoded}`
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`demo failed: ${failure(err)}`)
    process.exit(1)
  },
)
