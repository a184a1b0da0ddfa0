/** Summarises runs into the side-by-side table, and writes BENCHMARKS.md with the machine and versions. */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DevnetKind } from '../test/support/devnetProcess.ts'
import { validatorsMethod, validatorsTable } from './validators/report.ts'
import { BLOCK_PERIOD_MS, VALIDATORS, readValidatorsSettings } from './validators/settings.ts'
import { ANVIL_MAX_BLOCK_TXS, LOAD_CONCURRENCY, LOAD_WARMUP_MS, SENDERS, TXS_PER_SENDER, type BenchConfig } from './config.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** One node's outcome on one workload: its run figures, or why it stopped. */
export interface Outcome {
  runs: number[]
  error?: string
}

export interface WorkloadResult {
  name: string
  unit: string
  outcomes: Partial<Record<DevnetKind, Outcome>>
  /** Set on rows of a section with its own table (bench/validators), absent on the node-vs-anvil rows. */
  section?: 'validators'
  /** When and on which commit it was measured (set when the result is recorded). */
  measured?: string
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

function figure(o: Outcome | undefined): number | undefined {
  return o && !o.error && o.runs.length > 0 ? median(o.runs) : undefined
}

function cell(o: Outcome | undefined): string {
  if (!o) return 'not run'
  if (o.error) return 'failed'
  return fmt(median(o.runs))
}

function ratio(r: WorkloadResult): string {
  const ours = figure(r.outcomes.olnode)
  const theirs = figure(r.outcomes.anvil)
  return ours !== undefined && theirs !== undefined ? `${(ours / theirs).toFixed(2)}x` : '-'
}

export function table(all: WorkloadResult[]): string {
  const results = all.filter((r) => !r.section)
  const rows = results.map((r) => `| ${r.name} (${r.unit}) | ${cell(r.outcomes.olnode)} | ${cell(r.outcomes.anvil)} | ${ratio(r)} |${r.measured ? ` ${r.measured} |` : ''}`)
  const withDates = results.some((r) => r.measured)
  return [`| workload | olnode | anvil | ours/anvil |${withDates ? ' measured |' : ''}`, `|---|---:|---:|---:|${withDates ? '---|' : ''}`, ...rows].join('\n')
}

/** Every run's figure and every failure, so the noise behind each median is visible. */
function details(results: WorkloadResult[]): string {
  const lines: string[] = []
  for (const r of results) {
    for (const [kind, o] of Object.entries(r.outcomes)) {
      const runs = o.runs.map(fmt).join(', ') || 'none'
      lines.push(`- ${r.name}, ${kind}: runs ${runs}${o.error ? `; failed: ${o.error.split('\n')[0]}` : ''}`)
    }
  }
  return lines.join('\n')
}

function machine(): string {
  const cpus = os.cpus()
  const gib = (os.totalmem() / 2 ** 30).toFixed(1)
  // The load average says how much else was running on a shared machine, i.e. how far to trust the figures.
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ')
  return `${cpus.length} cores, ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${gib} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}; load average (1/5/15 min) at the end: ${load}`
}

function firstLine(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim()
  } catch {
    return 'unknown'
  }
}

function versions(): string {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  const commit = firstLine('git', ['describe', '--always', '--dirty'])
  const anvil = firstLine(path.join(root, 'node_modules/.bin/anvil'), ['--version'])
  return `olnode ${pkg.version} (git ${commit}); ${anvil}`
}

function method(config: BenchConfig): string {
  const txs = SENDERS * TXS_PER_SENDER
  return [
    `Each figure is the median of ${config.runs} runs. Every run starts a fresh node process on 127.0.0.1: olnode on a new`,
    'temporary LevelDB datadir (not --in-memory), anvil with --chain-id 1337; both automine and log at their defaults.',
    'The two nodes alternate going first. Both are driven by the same client: raw JSON-RPC over node:http keep-alive.',
    `anvil also gets --max-transactions ${ANVIL_MAX_BLOCK_TXS}: at its default (1,000) its automine livelocks (100% CPU, no`,
    'more blocks) once 1,000 transactions are waiting, which these workloads reach; smaller blocks are unaffected.',
    '',
    `- Transfers and ERC-20 transfers: ${txs} EIP-1559 transactions (maxFeePerGas 10 gwei), ${TXS_PER_SENDER} from each of dev`,
    `  accounts 1..${SENDERS}, each to a fresh address, signed with ethers before the clock starts. Clock: from the first`,
    '  eth_sendRawTransaction to the last receipt. One send loop per sender (nonce order, each send awaited); then',
    "  polling of each sender's last transaction (batched eth_getTransactionReceipt), then all receipts fetched: all",
    `  ${txs} must have status 1. The token (bench/contracts/BenchToken.sol, solc optimizer on) is deployed and funded`,
    '  before the clock.',
    `- eth_call (BenchToken balanceOf) and eth_blockNumber: ${LOAD_CONCURRENCY} requests in flight on keep-alive sockets for`,
    `  ${config.loadDurationMs / 1_000} s after a ${LOAD_WARMUP_MS / 1_000} s warm-up; only responses with the correct result count.`,
    '- debug_traceTransaction: callTracer on one BenchToken transfer; eth_getProof: the token account and one holder\'s',
    '  balance slot at latest; both under the same concurrent load, checked (top frame a CALL to the token returning',
    '  true; the proven slot value is the balance).',
    '- eth_getLogs: the token\'s Transfer logs over the last 10,000 blocks, which hold one transfer every 100 blocks',
    '  (the blocks between mined empty with anvil_mine), under the same concurrent load; an answer counts only with',
    '  all 100 logs.',
    '',
    'The client shares the machine with the node and takes CPU from it, equally for both.',
  ].join('\n')
}

/**
 * Records `results` in bench/results.json over the earlier figures of the same workloads (a run of a
 * few workloads, BENCH_WORKLOADS, keeps the others' figures), and returns every recorded result.
 */
function record(results: WorkloadResult[]): WorkloadResult[] {
  const file = path.join(root, 'bench/results.json')
  const stored = JSON.parse(readFileSync(file, 'utf8')) as WorkloadResult[]
  const measured = `${new Date().toISOString().slice(0, 10)}, ${firstLine('git', ['describe', '--always', '--dirty'])}`
  for (const r of results) {
    const entry = { ...r, measured }
    const at = stored.findIndex((s) => s.name === r.name)
    if (at >= 0) stored[at] = entry
    else stored.push(entry)
  }
  writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`)
  return stored
}

export function writeReport(fresh: WorkloadResult[], config: BenchConfig): string {
  const results = record(fresh)
  const file = path.join(root, 'BENCHMARKS.md')
  const text = [
    '# Benchmarks: olnode devnet vs anvil',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString()}; each row says when and on which commit it was last measured`,
    '(`BENCH_WORKLOADS` re-measures some rows and keeps the others, from bench/results.json).',
    '',
    `- Machine: ${machine()}`,
    `- Versions: ${versions()}`,
    '',
    table(results),
    '',
    '## Runs',
    details(results),
    '',
    '## Method',
    method(config),
    '',
    `## Validators: ${VALIDATORS} on loopback, ${BLOCK_PERIOD_MS / 1_000} s blocks`,
    '',
    validatorsTable(results),
    '',
    validatorsMethod(readValidatorsSettings()),
    '',
  ].join('\n')
  writeFileSync(file, text)
  return file
}
