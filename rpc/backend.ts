import type { Common } from '@ethereumjs/common'
import type { ChainStore } from '../node/chain/chainStore.ts'
import type { DevAccount } from '../node/devAccounts.ts'
import type { DevControls } from '../node/dev/devControls.ts'
import type { Execution } from '../node/execution/execution.ts'
import type { RpcOptions } from '../node/options.ts'
import type { Miner } from '../node/miner/miner.ts'
import type { TxPool } from '../node/txpool/txPool.ts'
import type { FilterStore } from './filters/filterStore.ts'

/** What the RPC methods read and drive: the node's parts, wired by `Node.init`. */
import type { SenderRecovery } from '../node/crypto/recoveryWorkers.ts'

export interface RpcBackend {
  common: Common
  chain: ChainStore
  execution: Execution
  txpool: TxPool
  miner: Miner
  devAccounts: DevAccount[]
  /** The polled filters (eth_newFilter and its kin), fed by the chain and the pool. */
  filters: FilterStore
  clientVersion: string
  /** The server's limits (gas cap, log range, fee cap, ...), as configured. */
  limits: RpcOptions
  /** Whether the devnet methods (evm_*, anvil_*, hardhat_*) are served. */
  devMethods: boolean
  /** Recovers the senders of raw transactions ahead of admission, off the main thread. */
  recovery: SenderRecovery
  /** What the devnet methods drive (snapshots, clock, state edits, impersonation); only with devMethods. */
  dev?: DevControls
}
