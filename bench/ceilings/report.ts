/** The ceilings section of BENCHMARKS.md: each ceiling beside the row it bounds, and how it was measured. */
import { CANNON_CONNECTIONS } from '../load/cannon.ts'
import { INTERVAL_GAS_LIMIT, OFFERED_TX_PER_S } from '../load/intervalLoad.ts'
import { bestPeer, figure, type WorkloadResult } from '../report.ts'

const fmt = (x: number | undefined) => (x === undefined ? '-' : Math.round(x).toLocaleString('en-US'))

function row(ceiling: WorkloadResult, bounded: WorkloadResult | undefined): string {
  const top = figure(ceiling.outcomes.olnode)
  const peer = bounded && bestPeer(bounded)
  const ratio = top !== undefined && peer !== undefined ? `${(top / peer).toFixed(2)}x` : '-'
  const name = ceiling.name.replace(/^Ceiling: /, '')
  return `| ${name} (${ceiling.unit}) | ${ceiling.bounds} | ${fmt(top)} | ${fmt(bounded && figure(bounded.outcomes.olnode))} | ${fmt(peer)} | ${ratio} | ${ceiling.measured ?? ''} |`
}

export function ceilingsTable(results: WorkloadResult[]): string {
  const byName = new Map(results.map((r) => [r.name, r]))
  const rows = results.filter((r) => r.section === 'ceilings').map((r) => row(r, byName.get(r.bounds!)))
  const header = '| ceiling | row it bounds | ceiling | olnode | faster peer | ceiling / faster peer | measured |'
  return [header, '|---|---|---:|---:|---:|---:|---|', ...rows].join('\n')
}

export function ceilingsMethod(): string {
  return [
    'The most olnode\'s stack allows on three rows, medians of the same number of runs, each against the row it',
    'bounds as last recorded above (olnode\'s figure and the faster peer\'s). Below 1x, no change to olnode\'s',
    'own code can bring that row to its peer on this machine; above 1x, the gap is in olnode\'s own code.',
    '',
    `- Bare node:http JSON-RPC server: bench/ceilings/bareRpcServer.cjs, in its own process, reads each POST, parses it`,
    '  and answers a constant result under its id, nothing else. Same load and check as the eth_blockNumber row',
    `  (autocannon, ${CANNON_CONNECTIONS} keep-alive connections). olnode serves JSON-RPC on node:http, so it can be no faster.`,
    '- balanceOf through the EVM: the same BenchToken call as the eth_call row, through the call executor of an',
    '  olnode (node/node.ts, in the benchmark\'s process, fresh LevelDB datadir) at its head, one call after',
    '  another with no RPC at all, each answer checked. olnode runs eth_call on its one main thread, so no number of',
    '  connections gets more calls a second out of it.',
    `- Transfers sealed: the sustained row's pre-signed transfers, ${fmt(OFFERED_TX_PER_S)} to a block (a second's offer), sent to an`,
    `  olnode like the one above (manual mining, the sustained row's ${fmt(INTERVAL_GAS_LIMIT / 1e6)}M block gas limit) before each block, then`,
    '  sealed by its miner with nothing else running: transfers over the time the seals took (build, commit with its',
    '  LevelDB write, pool update), every receipt checked, the first block a warm-up. Under the sustained load the',
    '  same thread also admits every transfer, so it seals fewer a second.',
  ].join('\n')
}
