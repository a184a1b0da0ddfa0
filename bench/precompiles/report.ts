/** The precompile section of BENCHMARKS.md: a row per measurement, a column per Datanet size. */
import { median } from '../report.ts'
import { CONTRIBUTION_SHINGLES, OUTPUT_SHINGLES } from './shingles.ts'
import { MAX_CONTRIBUTORS } from './measure.ts'
import { ROW, type PrecompileRow } from './rows.ts'

const fmt = (n: number) => (Math.abs(n) < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US'))

function sizesOf(rows: PrecompileRow[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.figures)))].sort((a, b) => Number(a) - Number(b))
}

function cell(row: PrecompileRow, size: string): string {
  const o = row.figures[size]
  if (!o) return '-'
  if (o.error) return 'failed'
  return fmt(median(o.runs))
}

/** The dates and commits of a row's figures, each once. */
function measured(row: PrecompileRow): string {
  return [...new Set(Object.values(row.figures).map((f) => f.measured).filter(Boolean))].join('; ')
}

/** In the order of ROW, however the figures were recorded. */
const ordered = (rows: PrecompileRow[]) => {
  const order = Object.values(ROW).map((k) => k.name)
  return [...rows].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))
}

export function precompileTable(rows: PrecompileRow[]): string {
  const sizes = sizesOf(rows)
  const head = `| measurement (Datanet of …) | unit | ${sizes.map((s) => Number(s).toLocaleString('en-US')).join(' | ')} | measured |`
  const rule = `|---|---|${sizes.map(() => '---:').join('|')}|---|`
  const body = ordered(rows).map((r) => `| ${r.name} | ${r.unit} | ${sizes.map((s) => cell(r, s)).join(' | ')} | ${measured(r)} |`)
  return [head, rule, ...body].join('\n')
}

/** Each figure's sample count and spread, its note, or why it failed. */
export function precompileDetails(rows: PrecompileRow[]): string {
  const lines: string[] = []
  for (const r of ordered(rows)) {
    for (const [size, o] of Object.entries(r.figures)) {
      const spread = o.runs.length > 1 ? `, ${o.runs.length} samples, ${fmt(Math.min(...o.runs))} to ${fmt(Math.max(...o.runs))}` : ''
      const figure = o.error ? `failed: ${o.error.split('\n')[0]}` : `${fmt(median(o.runs))} ${r.unit}${spread}`
      const tail = `${figure}${o.note ? `; ${o.note}` : ''}`
      lines.push(`- ${r.name}, ${Number(size).toLocaleString('en-US')}: ${tail}`)
    }
  }
  return lines.join('\n')
}

export function precompileMethod(samples: number): string {
  return [
    "One olnode in the benchmark's own process (node/node.ts, as the integration tests run it: it can then be",
    'closed, compacted and copied), on a LevelDB datadir in a temporary directory, with the devnet genesis (30M gas',
    'blocks). Every call is JSON-RPC over HTTP on 127.0.0.1; every transaction is EIP-1559, signed by the client',
    '(libsecp256k1, about 3 ms each, counted in the growth times) and checked by the node. Client and node share',
    'one thread, so the client\'s little work (signing, JSON) counts against the node.',
    '',
    `- Data (bench/precompiles/shingles.ts): a model output of ${OUTPUT_SHINGLES.toLocaleString('en-US')} shingles; contributions of ${CONTRIBUTION_SHINGLES} shingles.`,
    '  Contribution i is, by its index: every 100th a source the output quotes at length (60 consecutive output',
    "  shingles, at 37·(i/100) mod 940 into the output); every odd one a document sharing 1 to 8 of the output's",
    '  common phrases, drawn by a Zipf law (s = 1), so the most common are in far more than 64 contributions and',
    '  DatanetRegistry stops indexing them; every other one unrelated. So the output draws on 1, 10 and 100 sources',
    '  and on about 50, 500 and 5,000 documents through common phrases at 100, 1,000 and 10,000 contributions.',
    '  No two contributions share 80% of their shingles: none is refused as a near duplicate.',
    '- Growth: an open Datanet (approved on submission: one transaction per contribution) grown 0 -> 100 -> 1,000',
    '  -> 10,000 by dev accounts 1..8, 25 transactions each per round, sent as one JSON-RPC batch with automine',
    '  off, then evm_mine until the pool is empty, then every receipt checked. Each submission carries its',
    '  estimate + 25% as gas limit: 6 to 9 fit a 30M block (blocks of 300M were tried: no faster, the same bytes,',
    '  since the node hashes the storage trie per transaction). Gas: every submission\'s receipt. Datadir bytes:',
    '  the LevelDB directory after closing the node and compactRange over all keys, its growth divided by the',
    '  contributions added (blocks, receipts, logs and every state\'s trie nodes included: the node is an archive).',
    `- After each growth step, on a node started from a copy of that datadir: ${samples} contributions submitted to a`,
    '  curated Datanet and each approved (send to receipt, automine; receipts polled every 2 ms); a model registered',
    `  on the open Datanet (its version now) and an agent on it; score(model, output, ${MAX_CONTRIBUTORS}) ${samples} times by eth_call`,
    `  (checked: weights sum to 1,000,000 ppm) and its gas by eth_estimateGas; payInference(model, agent, output, id)`,
    `  ${samples} times as transactions (send to receipt), gas from the receipts. Figures are medians.`,
    '- BENCH_DATANET_FIXTURE keeps the grown datadirs: a later run measures on them without growing again (the',
    '  growth rows keep the date and commit of the run that grew them) and grows on from the largest.',
  ].join('\n')
}
