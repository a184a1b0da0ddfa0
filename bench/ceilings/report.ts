/** The ceilings section of BENCHMARKS.md: each ceiling beside the row it bounds, and how it was measured. */
import { CANNON_CONNECTIONS } from '../load/cannon.ts'
import { INTERVAL_GAS_LIMIT, OFFERED_TX_PER_S } from '../load/intervalLoad.ts'
import { bestPeer, figure, type WorkloadResult } from '../report.ts'

const fmt = (x: number | undefined) => (x === undefined ? '-' : Math.round(x).toLocaleString('en-US'))

/** Above 1x the ceiling leaves room to beat the peer: a higher rate, or less CPU per call. */
function row(ceiling: WorkloadResult, bounded: WorkloadResult | undefined): string {
  const top = figure(ceiling.outcomes.olnode)
  const peer = bounded && bestPeer(bounded)
  const ratio = top !== undefined && peer !== undefined ? `${(ceiling.lowerIsBetter ? peer / top : top / peer).toFixed(2)}x` : '-'
  const name = ceiling.name.replace(/^Ceiling: /, '')
  return `| ${name} (${ceiling.unit}) | ${ceiling.bounds} | ${fmt(top)} | ${fmt(bounded && figure(bounded.outcomes.olnode))} | ${fmt(peer)} | ${ratio} | ${ceiling.measured ?? ''} |`
}

export function ceilingsTable(results: WorkloadResult[]): string {
  const byName = new Map(results.map((r) => [r.name, r]))
  const rows = results.filter((r) => r.section === 'ceilings').map((r) => row(r, byName.get(r.bounds!)))
  const header = '| ceiling | row it bounds | ceiling | olnode | faster peer | ceiling vs faster peer (above 1x: room) | measured |'
  return [header, '|---|---|---:|---:|---:|---:|---|', ...rows].join('\n')
}

export function ceilingsMethod(): string {
  return [
    'Medians of the same number of runs, each against the row it bounds as last recorded above (olnode\'s figure',
    'and the faster peer\'s). The bare server and the interpreter are the stack olnode is built on, each measured',
    'as a rate and as CPU per call: below 1x, no change to olnode\'s own code can bring that row to its peer on this',
    'machine. The call executor and the sealer are olnode\'s own parts, each alone: how far they are from the row,',
    'and from the stack\'s ceiling, shows where the row\'s time goes.',
    '',
    `- Bare node:http JSON-RPC server: bench/ceilings/bareRpcServer.cjs, in its own process, reads each POST, parses it`,
    '  and answers a constant result under its id, nothing else. Same load and check as the eth_blockNumber row',
    `  (autocannon, ${CANNON_CONNECTIONS} keep-alive connections). olnode serves JSON-RPC on node:http, so it can be no faster.`,
    '  Its CPU per call is that of its process over the window (/proc, as for the nodes): the least any node:http',
    '  server spends on an answer, the kernel\'s share of the exchange included.',
    "- balanceOf in ethereumjs' interpreter alone: the same BenchToken call, run by the chain's EVM (olnode's Common,",
    '  precompiles and jump-analysis cache) with evm.runCall on an in-memory state, in the benchmark\'s process: no',
    '  transaction around it, no state trie, no RPC, one call after another, each answer checked. Every olnode',
    '  eth_call runs this interpreter on its one main thread, so none answers more a second. Its CPU per call (of this',
    '  process, over the timed calls) is the least an olnode eth_call costs before any RPC: with the bare server\'s CPU',
    '  per call added, the least one costs in all.',
    "- balanceOf through olnode's call executor: the same call through the call executor of an olnode (node/node.ts,",
    '  in the benchmark\'s process, fresh LevelDB datadir) at its head, with no RPC at all, one call after another,',
    '  each answer checked: the interpreter with the state read through the trie and what the executor does',
    '  around a call.',
    `- Transfers sealed: the sustained row's pre-signed transfers, ${fmt(OFFERED_TX_PER_S)} to a block (a second's offer), sent to an`,
    `  olnode like the one above (manual mining, the sustained row's ${fmt(INTERVAL_GAS_LIMIT / 1e6)}M block gas limit) before each block, then`,
    '  sealed by its miner with nothing else running: transfers over the time the seals took (build, commit with its',
    '  LevelDB write, pool update), every receipt checked, the first block a warm-up. Under the sustained load the',
    '  same thread also admits every transfer, so it seals fewer a second.',
  ].join('\n')
}
