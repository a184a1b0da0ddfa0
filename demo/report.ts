/** What the demo prints of a story's result: the payout table, the checks on it, and the earnings views. */
import { formatEther, type Address } from 'viem'
import { REWARD_ROLES } from '../precompiles/client.ts'
import { DOCUMENTS } from './documents.ts'
import { participants, type Cast, type StoryResult } from './story.ts'

export interface Check {
  name: string
  ok: boolean
}

/** The story's accounting, checked from what the chain reported: shares, balances and earnedBy must agree to the wei. */
export function storyChecks(result: StoryResult, payer: Address): Check[] {
  const total = result.shares.reduce((sum, s) => sum + s.amount, 0n)
  const paidTo = sharesByRecipient(result)
  const received = [...result.balanceDeltas].filter(([a]) => a !== payer)
  return [
    { name: `shares sum to the fee (${formatEther(total)} = ${formatEther(result.fee)} OPEN)`, ok: total === result.fee },
    { name: 'every recipient\'s balance moved by exactly its shares', ok: received.every(([a, delta]) => delta === (paidTo.get(a) ?? 0n)) },
    { name: 'the payer\'s balance fell by the fee plus gas', ok: result.balanceDeltas.get(payer) === -(result.fee + result.gasCost) },
    { name: 'earnedBy grew by exactly each account\'s shares', ok: [...result.earnedDeltas].every(([a, delta]) => delta === (paidTo.get(a) ?? 0n)) },
    { name: 'the inference is settled', ok: result.views.isSettled },
  ]
}

function sharesByRecipient(result: StoryResult): Map<Address, bigint> {
  const paid = new Map<Address, bigint>()
  for (const s of result.shares) paid.set(s.recipient, (paid.get(s.recipient) ?? 0n) + s.amount)
  return paid
}

export function formatReport(result: StoryResult, cast: Cast, checks: readonly Check[]): string {
  return [
    `Datanet #${result.datanetId}: contributions ${result.contributionIds.map((id) => `#${id}`).join(', ')} approved`,
    `LoRA model #${result.modelId} on meta-llama/Llama-3.1-8B, agent #${result.agentId}`,
    `Attribution of the output: ${scoreLine(result)}`,
    `Inference ${result.inferenceId}, fee ${formatEther(result.fee)} OPEN`,
    '',
    table(['recipient', 'role', 'id', 'amount (OPEN)'], result.shares.map((s) => [s.recipient, roleName(s.role, s.id, result), String(s.id), formatEther(s.amount)])),
    '',
    ...checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}`),
    '',
    'Rewards.earnedBy',
    table(['account', 'part', 'earned (OPEN)'], earnedRows(result, cast)),
  ].join('\n')
}

function scoreLine(result: StoryResult): string {
  return result.score.contributionIds.map((id, i) => `#${id} ${(result.score.weightsPpm[i] / 10_000).toFixed(4)}%`).join(', ') || 'nothing'
}

function roleName(role: number, id: bigint, result: StoryResult): string {
  const name = REWARD_ROLES[role] ?? `role ${role}`
  const doc = result.contributionIds.indexOf(id)
  return name === 'Contributor' && doc >= 0 ? `${name} (${DOCUMENTS[doc].title})` : name
}

function earnedRows(result: StoryResult, cast: Cast): string[][] {
  const accounts = [...participants(cast), { part: 'treasury', address: result.treasury }]
  return accounts.map(({ part, address }) => [address, part, formatEther(result.earnedBy.get(address)!)])
}

/** Columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
