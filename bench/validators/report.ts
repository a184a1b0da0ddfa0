/** The validators section of BENCHMARKS.md: its own table (no anvil column) and how it was measured. */
import { cpus } from 'node:os'
import type { WorkloadResult } from '../report.ts'
import { BLOCK_PERIOD_MS, LATENCY_RATE_PER_S, LATENCY_TXS, VALIDATORS, type ValidatorsSettings } from './settings.ts'

function cell(r: WorkloadResult): string {
  const o = r.outcomes.olnode
  if (!o) return 'not run'
  if (o.error) return 'failed'
  return Math.round(o.runs[0]).toLocaleString('en-US')
}

export function validatorsTable(results: WorkloadResult[]): string {
  const rows = results.filter((r) => r.section === 'validators').map((r) => `| ${r.name.replace(/^Validators: /, '')} (${r.unit}) | ${cell(r)} | ${r.measured ?? ''} |`)
  return ['| measure | olnode | measured |', '|---|---:|---|', ...rows].join('\n')
}

export function validatorsMethod(settings: ValidatorsSettings): string {
  return [
    `One run (not a median of runs: each figure summarises many samples). ${VALIDATORS} validators (blockPeriodMs ${BLOCK_PERIOD_MS}, the`,
    'other consensus timings at their defaults), each a separate `node` process running Node.init from a bundle of',
    'bench/validators/nodeProcess.ts, with its own LevelDB datadir, joined by libp2p over TCP on 127.0.0.1. The',
    `${VALIDATORS} validators, the load generator and the observer all share the machine's ${cpus().length} cores, so these are lower bounds;`,
    'the machine is also shared with other work (see the load average above), which slows consensus directly.',
    'Every node\'s newHeads is watched over WebSocket from the benchmark process, whose clock times all events.',
    '',
    `- Send to final receipt: ${LATENCY_TXS} signed transfers at a steady ${LATENCY_RATE_PER_S}/s (open loop), each to a random validator,`,
    '  round-robin over 8 senders; from eth_sendRawTransaction until the block holding it is the head of that validator',
    '  (decided blocks are final; all receipts are then checked successful).',
    '- Block propagation: for every block all validators reported, the delay from the proposer\'s newHeads (its',
    '  commit) to each other validator\'s, over the whole run (idle and loaded blocks). Every validator commits on the',
    '  same precommits, so this is mostly the spread of their commits.',
    `- Sustained throughput: 8 senders, 2 per validator, each sending pre-signed transfers in nonce order to its`,
    `  validator for ${settings.throughputWindowMs / 1_000} s with at most 32 not yet included; the transactions decided from the window's`,
    '  start up to and including the first block decided after its end (all checked successful), divided by that time.',
    `- New node catch-up: once the chain has ${settings.catchUpBlocks} blocks (including the load's), a full node starts on an empty`,
    '  datadir with all validators as bootnodes; blocks per second from its process start until its head equals a',
    '  validator\'s (which keeps growing), process start and LevelDB open included.',
    '',
    'blockPeriodMs is the wait after a decision before the next height\'s first round, so blocks come less often',
    'than once a second: about every 2 s, idle, on the 2026-11-26 run.',
  ].join('\n')
}
