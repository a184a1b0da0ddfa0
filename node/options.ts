import { devnetGenesis, type Genesis } from '../genesis/genesis.ts'
import { deriveDevAccounts, type DevAccount } from './devAccounts.ts'
import { silentLogger, type Logger } from './logger.ts'
import type { MiningMode } from './miner/miner.ts'
import type { PoolLimits } from './txpool/txPool.ts'
import type { ValidatorOptions } from './consensus/services.ts'

/** The RPC server's address and limits; each limit is a flag, with geth's default. */
export interface RpcOptions {
  host: string
  /** 0 picks a free port (tests). */
  port: number
  /** eth_call / eth_estimateGas gas cap (geth's --rpc.gascap; 0 = none). */
  gasCap: bigint
  /** eth_call / eth_estimateGas time limit in ms (geth's --rpc.evmtimeout; 0 = none). */
  evmTimeoutMs: number
  /** Largest request body in bytes; beyond it HTTP 413 (geth's 5 MiB). */
  bodyLimit: number
  /** Most requests in one batch (geth's --rpc.batch-request-limit). */
  batchRequestLimit: number
  /** Most bytes of response to one batch (geth's --rpc.batch-response-max-size). */
  batchResponseMaxSize: number
  /** Widest block range of one eth_getLogs query. */
  logsBlockRange: number
  /** Most logs one eth_getLogs query returns. */
  logsResultLimit: number
  /** Most subscriptions one WebSocket connection holds. */
  wsSubscriptionLimit: number
  /** Idle time after which a polled filter (eth_newFilter, ...) is uninstalled (geth's 5 minutes). */
  filterTimeoutMs: number
  /** Largest fee (gas * price) of a transaction sent over RPC, raw or signed by the node, in wei (geth's --rpc.txfeecap: 1 OPEN; 0 = none). */
  txFeeCap: bigint
  /** Accept pre-EIP-155 (non-replay-protected) transactions over RPC (geth's --rpc.allow-unprotected-txs). */
  allowUnprotectedTxs: boolean
  /** Origins allowed by CORS (geth's --http.corsdomain); '*' for any. */
  corsDomains: string[]
  /** Host header values accepted (geth's --http.vhosts); '*' for any. IP addresses are always accepted. */
  vhosts: string[]
}

/** libp2p: where to listen, whom to dial, who we are (validator and full nodes; never the devnet). */
export interface NetworkOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  /** Multiaddrs ending in /p2p/<peer id>. */
  bootnodes: string[]
  /** 32 bytes the node's Ed25519 peer identity is made from: the same seed, the same peer ID. */
  identitySeed: Uint8Array
  maxConnections: number
}

/** Everything `Node.init` needs; `devnetOptions` and `testOptions` are the presets. */
export interface NodeOptions {
  genesis: Genesis
  /** LevelDB directory; undefined keeps the whole chain in memory. */
  datadir: string | undefined
  /** fsync every block's batch. */
  syncWrites: boolean
  rpc: RpcOptions | false
  /** Serve the devnet methods (evm_*, anvil_*, hardhat_*): `olnode devnet` only, never a validator or full node. */
  devMethods: boolean
  mining: MiningMode
  /** Accounts whose keys the node holds: eth_accounts, eth_sendTransaction, eth_sign. */
  devAccounts: DevAccount[]
  /** Who receives the fees of sealed blocks. */
  coinbase: Uint8Array
  txpool?: Partial<PoolLimits>
  /** Join a network of peers over libp2p; absent for a devnet. */
  network?: NetworkOptions
  /** Take part in consensus (with `network`, on a genesis with openledger.consensus); absent for a full node. */
  validator?: ValidatorOptions
  /** Serve Prometheus metrics at http://host:port/metrics (geth's --metrics.addr / --metrics.port). */
  metrics?: { host: string; port: number }
  /** Worker threads recovering the senders of transactions sent over RPC; defaults to defaultRecoveryThreads(). */
  recoveryThreads?: number
  logger: Logger
}

export const DEFAULT_RPC: RpcOptions = {
  host: '127.0.0.1',
  port: 8545,
  gasCap: 50_000_000n,
  evmTimeoutMs: 5_000,
  bodyLimit: 5 * 1024 * 1024,
  batchRequestLimit: 1_000,
  batchResponseMaxSize: 25_000_000,
  logsBlockRange: 10_000,
  logsResultLimit: 20_000,
  wsSubscriptionLimit: 1_024,
  filterTimeoutMs: 5 * 60_000,
  txFeeCap: 10n ** 18n,
  allowUnprotectedTxs: false,
  // A devnet is reached from browser dapps on any origin (anvil allows every origin).
  corsDomains: ['*'],
  vhosts: ['localhost'],
}

/** anvil's Config.test(): in-memory, automine, RPC on a free port of 127.0.0.1, no log output. */
export function testNodeOptions(overrides: Partial<NodeOptions> = {}): NodeOptions {
  return {
    genesis: devnetGenesis(),
    datadir: undefined,
    syncWrites: false,
    rpc: { ...DEFAULT_RPC, port: 0 },
    devMethods: true,
    mining: { kind: 'auto' },
    devAccounts: deriveDevAccounts(10),
    coinbase: new Uint8Array(20),
    logger: silentLogger(),
    ...overrides,
  }
}
