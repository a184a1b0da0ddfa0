import type { Common } from '@ethereumjs/common'
import type { EVMMockBlockchainInterface } from '@ethereumjs/evm'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { createVM, type VM } from '@ethereumjs/vm'
import { createChainEVM } from '../../precompiles/chain.ts'
import { openLedgerConfigOf } from './common.ts'

/**
 * Every VM of the node is made here, so each runs the chain's EVM: the OpenLedger precompiles with
 * the parameters the chain's Common carries from genesis.
 */
export function createChainVM(opts: { common: Common; stateManager: MerkleStateManager; blockchain: EVMMockBlockchainInterface }): Promise<VM> {
  return createVM({ ...opts, evm: createChainEVM(opts, openLedgerConfigOf(opts.common)) })
}
