import type { OpenLedgerConfig } from '../../genesis/openledger.ts'
import { PRECOMPILE_ADDRESSES } from '../addresses.ts'
import { calldataBound, definePrecompile, type Precompile } from '../framework/definePrecompile.ts'
import { iAttributionAbi } from './abi.ts'
import { checkOutput, scoreOutput } from './score.ts'

/** Attribution at 0x…0A04, with the chain's caps from genesis `openledger.attribution`. */
export function attribution(config: OpenLedgerConfig): Precompile {
  const limits = config.attribution
  return definePrecompile({
    name: 'Attribution',
    address: PRECOMPILE_ADDRESSES.attribution,
    abi: iAttributionAbi,
    // score: modelId, the array's offset, maxContributors, then the array. Twice the cap, so an output
    // somewhat too long gets the precise OutputTooLong and only an attacker-sized one is cut short.
    maxCalldataBytes: calldataBound({ words: 3, arrayItems: [2 * limits.maxOutputShingles] }),
    handlers: {
      async score(ctx, [modelId, outputFingerprint, maxContributors]) {
        // The output first, as the README orders the checks (scoreOutput repeats them: a Set of at most maxOutputShingles).
        checkOutput(ctx, outputFingerprint, limits.maxOutputShingles)
        if (maxContributors < 1n || maxContributors > BigInt(limits.maxContributors)) ctx.revert('InvalidMaxContributors', [maxContributors, BigInt(limits.maxContributors)])
        const { contributionIds, weightsPpm } = await scoreOutput(ctx, limits, modelId, outputFingerprint, Number(maxContributors))
        return [contributionIds, weightsPpm.map(Number)] as const
      },

      async limits() {
        return limits
      },
    },
  })
}
