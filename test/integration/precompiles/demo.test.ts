/**
 * The demo's story (demo/story.ts) against the in-process node, its amounts checked against the chain
 * and the reward policy; and `npm run demo -- --rpc URL` run as a process against the same node.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { formatEther, type Address, type ContractFunctionReturnType } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { devCast } from '../../../demo/chain.ts'
import { DOCUMENTS, QUOTED } from '../../../demo/documents.ts'
import { storyChecks } from '../../../demo/report.ts'
import { AGENT_FEE, MODEL_FEE, runStory, TIP, type Cast, type StoryResult } from '../../../demo/story.ts'
import { openLedgerContracts, REWARD_ROLES } from '../../../precompiles/client.ts'
import type { iRewardsAbi } from '../../../precompiles/rewards/abi.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'

/** `npm run demo -- --rpc URL`, as a process of its own. */
const runDemo = (url: string) => promisify(execFile)('npx', ['tsx', 'demo/demo.ts', '--rpc', url], { cwd: new URL('../../../', import.meta.url) })
const BPS = 10_000n
const role = (name: (typeof REWARD_ROLES)[number]) => REWARD_ROLES.indexOf(name)

describe('the demo story', () => {
  let t: TestNode
  let cast: Cast
  let result: StoryResult
  let policy: ContractFunctionReturnType<typeof iRewardsAbi, 'view', 'policy'>

  beforeAll(async () => {
    t = await spawnNode()
    cast = await devCast(t.url)
    result = await runStory(cast)
    policy = await openLedgerContracts(cast.user.public).rewards.read.policy()
  })

  afterAll(async () => {
    await t?.close()
  })

  const addressOf = (who: keyof Omit<Cast, 'contributors'>): Address => cast[who].wallet.account.address
  const contributorOf = (doc: number): Address => cast.contributors[doc].wallet.account.address
  const paidTo = (address: Address) => result.shares.filter((s) => s.recipient === address).reduce((sum, s) => sum + s.amount, 0n)

  it('pays the model\'s fee, the agent\'s and the tip, split to the wei by the policy', () => {
    expect(result.fee).toBe(MODEL_FEE + AGENT_FEE + TIP)
    expect(result.shares.reduce((sum, s) => sum + s.amount, 0n)).toBe(result.fee)
    expect(result.shares.filter((s) => s.role === role('Model'))).toEqual([{ role: role('Model'), recipient: addressOf('modelOwner'), id: result.modelId, amount: (result.fee * BigInt(policy.modelBps)) / BPS }])
    expect(result.shares.filter((s) => s.role === role('Agent'))).toEqual([{ role: role('Agent'), recipient: addressOf('agentOwner'), id: result.agentId, amount: (result.fee * BigInt(policy.agentBps)) / BPS }])
    const toContributors = result.shares.filter((s) => s.role === role('Contributor')).reduce((sum, s) => sum + s.amount, 0n)
    expect(toContributors).toBeGreaterThan(0n)
    expect(toContributors).toBeLessThanOrEqual((result.fee * BigInt(policy.contributorsBps)) / BPS)
    expect(paidTo(result.treasury)).toBe(result.fee - paidTo(addressOf('modelOwner')) - paidTo(addressOf('agentOwner')) - toContributors)
  })

  it('credits the two quoted documents\' contributors, by their weights, and not the third', () => {
    const pool = (result.fee * BigInt(policy.contributorsBps)) / BPS
    const quotedIds = QUOTED.map((doc) => result.contributionIds[doc])
    const unquoted = DOCUMENTS.findIndex((_, doc) => !(QUOTED as readonly number[]).includes(doc))
    expect([...result.score.contributionIds].sort()).toEqual([...quotedIds].sort())
    expect(result.score.weightsPpm.reduce((a, b) => a + b, 0)).toBe(1_000_000)
    for (const doc of QUOTED) {
      const id = result.contributionIds[doc]
      const share = result.shares.find((s) => s.role === role('Contributor') && s.id === id)
      const weight = BigInt(result.score.weightsPpm[result.score.contributionIds.indexOf(id)])
      expect(share?.recipient).toBe(contributorOf(doc))
      expect(share!.amount).toBe((pool * weight) / 1_000_000n)
      expect(share!.amount).toBeGreaterThan(0n)
      expect(result.balanceDeltas.get(contributorOf(doc))).toBe(share!.amount)
      expect(result.views.earnedByContribution[doc]).toBe(share!.amount)
    }
    expect(result.balanceDeltas.get(contributorOf(unquoted))).toBe(0n)
    expect(result.views.earnedByContribution[unquoted]).toBe(0n)
    expect(result.shares.some((s) => s.recipient === contributorOf(unquoted))).toBe(false)
  })

  it('moves every balance and earnedBy exactly: recipients by their shares, the payer by the fee and gas', () => {
    expect(storyChecks(result, addressOf('user')).filter((c) => !c.ok)).toEqual([])
    expect(result.balanceDeltas.get(addressOf('user'))).toBe(-(result.fee + result.gasCost))
    expect(result.gasCost).toBeGreaterThan(0n)
    for (const [address, delta] of result.balanceDeltas) if (address !== addressOf('user')) expect(delta).toBe(paidTo(address))
    for (const [address, delta] of result.earnedDeltas) expect(delta).toBe(paidTo(address))
    expect(result.views).toMatchObject({ earnedByModel: paidTo(addressOf('modelOwner')), earnedByAgent: paidTo(addressOf('agentOwner')), isSettled: true })
  })

  it('prints the payout table, the checks and earnedBy when run as `npm run demo -- --rpc URL`, and exits 0', async () => {
    const { stdout } = await runDemo(t.url)
    const lines = stdout.split('\n')
    // The second run on the same chain makes its own Datanet, model and agent, so its shares are the first run's.
    for (const s of result.shares) expect(lines.some((l) => l.startsWith(s.recipient) && l.trimEnd().endsWith(formatEther(s.amount)))).toBe(true)
    expect(lines.filter((l) => l.startsWith('ok   '))).toHaveLength(storyChecks(result, addressOf('user')).length)
    expect(stdout).not.toContain('FAIL')
    expect(stdout).toContain(`fee ${formatEther(result.fee)} OPEN`)
    const earned = await openLedgerContracts(cast.user.public).rewards.read.earnedBy([addressOf('modelOwner')])
    expect(earned).toBe(2n * paidTo(addressOf('modelOwner')))
    expect(lines.some((l) => l.startsWith(addressOf('modelOwner')) && l.includes('model owner') && l.trimEnd().endsWith(formatEther(earned)))).toBe(true)
  })

  it('prints what went wrong and exits 1 when it cannot reach the node', async () => {
    const err = await runDemo('http://127.0.0.1:9').catch((e) => e)
    expect(err.code).toBe(1)
    expect(err.stderr).toMatch(/^demo failed: HTTP request failed/)
  })
})
