/** The Method section of BENCHMARKS.md: how the node-against-peers rows were measured, from the settings in force. */
import { cpus } from 'node:os'
import { ANVIL_MAX_BLOCK_TXS, LOAD_CONCURRENCY, LOAD_WARMUP_MS, SENDERS, TXS_PER_SENDER, type BenchConfig } from './config.ts'
import { CANNON_CONNECTIONS, CANNON_WORKERS } from './load/cannon.ts'
import { DRAIN_MS, INTERVAL_GAS_LIMIT, INTERVAL_REQUEST_TIMEOUT_MS, MAX_WAITING, OFFERED_TX_PER_S } from './load/intervalLoad.ts'
import { SEND_BATCH } from './load/pacedSender.ts'
import { SEND_LOOPS, TRANSFER_SENDERS } from './load/transferPlan.ts'

const n = (x: number) => x.toLocaleString('en-US')

function nodes(config: BenchConfig): string[] {
  return [
    `Each figure is the median of ${config.runs} runs. Every run starts a fresh node process on 127.0.0.1, chain ID 1337:`,
    'olnode (`olnode devnet`) on a new temporary LevelDB datadir (not --in-memory); anvil; Hardhat\'s node (`hardhat node`',
    'run from bench/hardhat, whose hardhat.config.cjs sets only the chain ID: automine, 30M block gas limit and the same',
    'mnemonic\'s dev accounts are its defaults). All three automine and log at their defaults (Hardhat\'s node logs the',
    'methods it serves). The nodes take turns going first. All are driven by the same client.',
    `anvil also gets --max-transactions ${ANVIL_MAX_BLOCK_TXS}: at its default (1,000) its automine livelocks (100% CPU, no`,
    'more blocks) once 1,000 transactions are waiting, which these workloads reach; smaller blocks are unaffected.',
  ]
}

function automined(config: BenchConfig): string[] {
  const txs = SENDERS * TXS_PER_SENDER
  return [
    `- Transfers and ERC-20 transfers: ${txs} EIP-1559 transactions (maxFeePerGas 10 gwei), ${TXS_PER_SENDER} from each of dev`,
    `  accounts 1..${SENDERS}, each to a fresh address, signed with ethers before the clock starts. Clock: from the first`,
    '  eth_sendRawTransaction to the last receipt. One send loop per sender (nonce order, each send awaited, raw JSON-RPC',
    "  over node:http keep-alive); then polling of each sender's last transaction (batched eth_getTransactionReceipt), then",
    `  all receipts fetched: all ${txs} must have status 1. The token (bench/contracts/BenchToken.sol, solc optimizer on) is`,
    '  deployed and funded before the clock.',
    `- eth_call (BenchToken balanceOf) and eth_blockNumber: autocannon, ${CANNON_CONNECTIONS} keep-alive connections from ${CANNON_WORKERS} worker`,
    `  threads sending the same JSON-RPC POST for ${config.loadDurationMs / 1_000} s after a ${LOAD_WARMUP_MS / 1_000} s warm-up. Worker threads because`,
    '  one autocannon thread was the limit: against anvil\'s eth_blockNumber it reached about 7,000 answers/s here where',
    '  two reached about 9,500. Every answer\'s body is checked against the result read once before the window; only',
    '  correct answers count (non-2xx, wrong bodies and socket errors are reported, not counted). Beside each rate, the',
    "  node's CPU per correct answer: the user and system time of its process and every process below it (anvil and",
    '  Hardhat run under a node_modules/.bin launcher; /proc/<pid>/stat) over the window, over the answers.',
    "- debug_traceTransaction: callTracer on one BenchToken transfer; eth_getProof: the token account and one holder's",
    `  balance slot at latest; both with ${LOAD_CONCURRENCY} requests in flight from the benchmark's own JSON-RPC client for the same`,
    '  window, checked (top frame a CALL to the token returning true; the proven slot value is the balance). Hardhat has',
    '  neither (n/a).',
    "- eth_getLogs: the token's Transfer logs over the last 10,000 blocks, which hold one transfer every 100 blocks",
    '  (the blocks between mined empty with hardhat_mine, which all three serve), under the same load; an answer counts',
    '  only with all 100 logs.',
  ]
}

function interval(config: BenchConfig): string[] {
  const perLoop = TRANSFER_SENDERS / SEND_LOOPS
  return [
    '- Sustained transfers, --block-time 1: every node mines a block a second (olnode and anvil --block-time 1; Hardhat',
    `  mining { auto: false, interval: 1000 } in its config) with a ${n(INTERVAL_GAS_LIMIT / 1e6)}M block gas limit (olnode and anvil`,
    `  --gas-limit, Hardhat blockGasLimit): ${n(OFFERED_TX_PER_S)} transfers a second use 84M gas, under half of it, so the base`,
    `  fee falls instead of climbing past the 10 gwei fee cap. ${TRANSFER_SENDERS} senders (keys from a fixed seed, funded with`,
    `  hardhat_setBalance before the clock); ${n(OFFERED_TX_PER_S)} x ${config.sustainMs / 1_000} s transfers, each to a fresh address, pre-signed once per process`,
    '  with native libsecp256k1 and keccak (every node gets the very same ones). They go out from',
    `  ${SEND_LOOPS} concurrent loops (${perLoop} senders each, nonce order) as batches of ${SEND_BATCH} eth_sendRawTransaction, each batch`,
    `  awaited, paced to offer ${n(OFFERED_TX_PER_S)} tx/s in all, with at most ${n(MAX_WAITING)} sent and not yet mined (olnode's pool, like`,
    "  geth's, holds 5,120): a node slow to accept or to mine is offered less. Figure: the transactions in the blocks",
    `  mined from the first send to the end of the ${config.sustainMs / 1_000} s window (eth_getBlockByNumber), per second; beside it, the CPU`,
    "  the node's processes spent over that time (/proc, as for eth_call) per transfer those blocks hold. Then every sent",
    `  transaction must be mined within ${DRAIN_MS / 1_000} s and have a status-1 receipt (all fetched: eth_getBlockReceipts for each block,`,
    '  Hardhat eth_getTransactionReceipt batches, which it alone lacks), and none may be',
    `  refused, or the run fails. Requests may wait ${INTERVAL_REQUEST_TIMEOUT_MS / 1_000} s for an answer (30 s elsewhere): a node sealing a large block`,
    '  on the thread that serves RPC answers nothing until it is done.',
    `- RSS and restart (olnode only): ${n(config.memoryTxs)} transfers sent the same way (1 s blocks, same gas limit) until all are sent,`,
    "  mined and successful; then VmRSS of the node's process (/proc/<pid>/status; the spawned `bin/olnode.js`, node under its heap cap, is",
    '  the node), in MB of 10^6 bytes; then SIGTERM, and olnode started again on the same datadir: milliseconds from the',
    '  spawn to the first eth_blockNumber answer at or above the head it had before the stop (asked every 5 ms).',
  ]
}

export function method(config: BenchConfig): string {
  return [
    ...nodes(config),
    '',
    ...automined(config),
    ...interval(config),
    '',
    `The client shares the machine's ${cpus().length} cores with the node and takes CPU from it, equally for all three.`,
  ].join('\n')
}
