/** Summarises runs into the side-by-side table, and writes BENCHMARKS.md with the machine and versions. */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PEERS, type NodeKind } from './nodeKind.ts'
import { validatorsMethod, validatorsTable } from './validators/report.ts'
import { ceilingsMethod, ceilingsTable } from './ceilings/report.ts'
import { BLOCK_PERIOD_MS, VALIDATORS, readValidatorsSettings } from './validators/settings.ts'
import { precompileDetails, precompileMethod, precompileTable } from './precompiles/report.ts'
import { isPrecompileRow, type PrecompileRow } from './precompiles/rows.ts'
import type { BenchConfig } from './config.ts'
import { method } from './method.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** One node's outcome on one workload: its run figures, or why it stopped. */
export interface Outcome {
  runs: number[]
  error?: string
  /** Why the node was not run: it lacks what the workload calls. */
  unsupported?: string
}

export interface WorkloadResult {
  name: string
  unit: string
  /** A time or a size: the smaller figure wins (absent on rates). */
  lowerIsBetter?: boolean
  outcomes: Partial<Record<NodeKind, Outcome>>
  /** Set on rows of a section with its own table (bench/validators, bench/ceilings), absent on the node-vs-anvil rows. */
  section?: 'validators' | 'ceilings'
  /** A ceiling's: the name of the node-vs-anvil row it bounds. */
  bounds?: string
  /** When and on which commit it was measured (set when the result is recorded). */
  measured?: string
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

export function figure(o: Outcome | undefined): number | undefined {
  return o && !o.error && o.runs.length > 0 ? median(o.runs) : undefined
}

function cell(o: Outcome | undefined): string {
  if (!o) return 'not run'
  if (o.error) return 'failed'
  if (o.unsupported) return 'n/a'
  return fmt(median(o.runs))
}

/** The better of the peers' figures, if any peer has one. */
export function bestPeer(r: WorkloadResult): number | undefined {
  const figures = PEERS.map((k) => figure(r.outcomes[k])).filter((f): f is number => f !== undefined)
  if (figures.length === 0) return undefined
  return r.lowerIsBetter ? Math.min(...figures) : Math.max(...figures)
}

/** Above 1x olnode is ahead: ours over the best peer's rate, or the best peer's time or size over ours. */
function ratio(r: WorkloadResult): string {
  const ours = figure(r.outcomes.olnode)
  const theirs = bestPeer(r)
  if (ours === undefined || theirs === undefined) return '-'
  return `${(r.lowerIsBetter ? theirs / ours : ours / theirs).toFixed(2)}x`
}

const label = (r: WorkloadResult) => `${r.name} (${r.unit}${r.lowerIsBetter ? ', lower is better' : ''})`

export function table(all: WorkloadResult[]): string {
  const results = all.filter((r) => !r.section)
  const rows = results.map((r) => `| ${label(r)} | ${cell(r.outcomes.olnode)} | ${cell(r.outcomes.anvil)} | ${cell(r.outcomes.hardhat)} | ${ratio(r)} |${r.measured ? ` ${r.measured} |` : ''}`)
  const withDates = results.some((r) => r.measured)
  const header = `| workload | olnode | anvil | Hardhat | ours / faster peer |${withDates ? ' measured |' : ''}`
  return [header, `|---|---:|---:|---:|---:|${withDates ? '---|' : ''}`, ...rows].join('\n')
}

/** Every run's figure and every failure, so the noise behind each median is visible. */
function details(results: WorkloadResult[]): string {
  const lines: string[] = []
  for (const r of results) {
    for (const [kind, o] of Object.entries(r.outcomes)) {
      const runs = o.runs.map(fmt).join(', ') || 'none'
      if (o.unsupported) lines.push(`- ${r.name}, ${kind}: not supported (${o.unsupported})`)
      else lines.push(`- ${r.name}, ${kind}: runs ${runs}${o.error ? `; failed: ${o.error.split('\n')[0]}` : ''}`)
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

const packageVersion = (dir: string) => (JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { version: string }).version

/** The checkout the benchmark ran on, as `git describe` names it. */
const checkout = () => firstLine('git', ['describe', '--always', '--dirty'])

function versions(commit: string): string {
  const anvil = firstLine(path.join(root, 'node_modules/.bin/anvil'), ['--version'])
  return `olnode ${packageVersion('.')} (git ${commit}); ${anvil}; Hardhat ${packageVersion('node_modules/hardhat')}`
}

/** A precompile row's new figures over its recorded ones: a run that measured some sizes keeps the others. */
function mergedRow(old: WorkloadResult | PrecompileRow | undefined, fresh: PrecompileRow, measured: string): PrecompileRow {
  const figures = Object.fromEntries(Object.entries(fresh.figures).map(([size, f]) => [size, { ...f, measured }]))
  return { ...fresh, figures: { ...(old && isPrecompileRow(old) ? old.figures : {}), ...figures } }
}

/**
 * Records `results` in bench/results.json over the earlier figures of the same workloads or precompile
 * rows (a run of a few, BENCH_WORKLOADS, keeps the others' figures), and returns every recorded result.
 */
function record(results: (WorkloadResult | PrecompileRow)[], commit: string): (WorkloadResult | PrecompileRow)[] {
  const file = path.join(root, 'bench/results.json')
  const stored = JSON.parse(readFileSync(file, 'utf8')) as (WorkloadResult | PrecompileRow)[]
  const measured = `${new Date().toISOString().slice(0, 10)}, ${commit}`
  for (const r of results) {
    const at = stored.findIndex((s) => s.name === r.name)
    const entry = isPrecompileRow(r) ? mergedRow(stored[at], r, measured) : { ...r, measured }
    if (at >= 0) stored[at] = entry
    else stored.push(entry)
  }
  writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`)
  return stored
}

/** The olnode-only section, when any of its rows is recorded. */
function precompileSection(rows: PrecompileRow[], config: BenchConfig): string[] {
  if (rows.length === 0) return []
  return [
    '## OpenLedger precompiles (olnode only)',
    '',
    precompileTable(rows),
    '',
    '### Figures',
    precompileDetails(rows),
    '',
    '### Method',
    precompileMethod(config.precompileSamples),
    '',
  ]
}

export function writeReport(fresh: WorkloadResult[], precompiles: PrecompileRow[], config: BenchConfig): string {
  // Read before bench/results.json is rewritten, which would mark any checkout dirty.
  const commit = checkout()
  const stored = record([...fresh, ...precompiles], commit)
  const results = stored.filter((r): r is WorkloadResult => !isPrecompileRow(r))
  const file = path.join(root, 'BENCHMARKS.md')
  const text = [
    '# Benchmarks: olnode devnet vs anvil and Hardhat',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString()} on ${os.cpus().length} cores; each row says when and on which commit it was`,
    'last measured (`BENCH_WORKLOADS` re-measures some rows and keeps the others, from bench/results.json).',
    'The ratio is olnode against the better of anvil and Hardhat: above 1x olnode is ahead (for rows where lower is',
    "better, it is the peer's figure over ours).",
    '',
    `- Machine: ${machine()}`,
    `- Versions: ${versions(commit)}`,
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
    "## Ceilings of olnode's stack",
    '',
    ceilingsTable(results),
    '',
    ceilingsMethod(),
    '',
    '',
    ...precompileSection(stored.filter(isPrecompileRow), config),
  ].join('\n')
  writeFileSync(file, text)
  return file
}
