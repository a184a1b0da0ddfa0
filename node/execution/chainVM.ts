import type { Common } from '@ethereumjs/common'
import type { EVMMockBlockchainInterface, EVMOpts } from '@ethereumjs/evm'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { createVM, type VM } from '@ethereumjs/vm'
import { createChainEVM } from '../../precompiles/chain.ts'
import { openLedgerConfigOf } from './common.ts'
import { cacheJumpAnalysis } from './jumpAnalysis.ts'

/**
 * Every VM of the node is made here, so each runs the chain's EVM: the OpenLedger precompiles with
 * the parameters the chain's Common carries from genesis.
 */
export async function createChainVM(opts: {
  common: Common
  stateManager: MerkleStateManager
  blockchain: EVMMockBlockchainInterface
  /** Opcode hooks of a VM of its own (the call VM's time limit); never on the VM that seals blocks. */
  evmOpts?: Pick<EVMOpts, 'customOpcodes'>
}): Promise<VM> {
  const { common, stateManager, blockchain, evmOpts } = opts
  await cacheJumpAnalysis()
  return createVM({ common, stateManager, blockchain, evm: createChainEVM({ common, stateManager, blockchain, ...evmOpts }, openLedgerConfigOf(common)) })
}
