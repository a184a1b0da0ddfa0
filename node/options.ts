import { devnetGenesis, type Genesis } from '../genesis/genesis.ts'
import { deriveDevAccounts, type DevAccount } from './devAccounts.ts'
import { silentLogger, type Logger } from './logger.ts'
import type { MiningMode } from './miner/miner.ts'
import type { PoolLimits } from './txpool/txPool.ts'

export interface RpcOptions {
  host: string
  /** 0 picks a free port (tests). */
  port: number
  /** eth_call / eth_estimateGas gas cap (geth's --rpc.gascap). */
  gasCap: bigint
}

/** Everything `Node.init` needs; `devnetOptions` and `testOptions` are the presets. */
export interface NodeOptions {
  genesis: Genesis
  /** LevelDB directory; undefined keeps the whole chain in memory. */
  datadir: string | undefined
  /** fsync every block's batch. */
  syncWrites: boolean
  rpc: RpcOptions | false
  mining: MiningMode
  /** Accounts whose keys the node holds: eth_accounts, eth_sendTransaction, eth_sign. */
  devAccounts: DevAccount[]
  /** Who receives the fees of sealed blocks. */
  coinbase: Uint8Array
  txpool?: Partial<PoolLimits>
  logger: Logger
}

export const DEFAULT_RPC: RpcOptions = { host: '127.0.0.1', port: 8545, gasCap: 50_000_000n }

/** anvil's Config.test(): in-memory, automine, RPC on a free port of 127.0.0.1, no log output. */
export function testNodeOptions(overrides: Partial<NodeOptions> = {}): NodeOptions {
  return {
    genesis: devnetGenesis(),
    datadir: undefined,
    syncWrites: false,
    rpc: { ...DEFAULT_RPC, port: 0 },
    mining: { kind: 'auto' },
    devAccounts: deriveDevAccounts(10),
    coinbase: new Uint8Array(20),
    logger: silentLogger(),
    ...overrides,
  }
}
