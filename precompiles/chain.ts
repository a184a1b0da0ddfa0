import type { StateManagerInterface } from '@ethereumjs/common'
import { NobleBN254, type EVMMockBlockchainInterface, type EVMOpts } from '@ethereumjs/evm'
import type { Common } from '@ethereumjs/common'
import type { OpenLedgerConfig } from '../genesis/openledger.ts'
import { agentRegistry } from './agentRegistry/agentRegistry.ts'
import { attribution } from './attribution/attribution.ts'
import { datanetRegistry } from './datanetRegistry/datanetRegistry.ts'
import { ChainEVM } from './framework/chainEvm.ts'
import type { Precompile } from './framework/definePrecompile.ts'
import { modelRegistry } from './modelRegistry/modelRegistry.ts'
import { rewards } from './rewards/rewards.ts'

/** The OpenLedger precompiles the chain runs from genesis, with their genesis parameters. */
export function chainPrecompiles(config: OpenLedgerConfig): Precompile[] {
  return [datanetRegistry(config), modelRegistry(config), agentRegistry(config), attribution(config), rewards(config)]
}

/**
 * The chain's EVM: ethereumjs' (with the BN254 backend createEVM would give it) plus the OpenLedger
 * precompiles, and the message stack they read their caller from. Pass it as createVM's `evm`.
 */
export function createChainEVM(
  opts: { common: Common; stateManager: StateManagerInterface; blockchain: EVMMockBlockchainInterface } & Pick<EVMOpts, 'customOpcodes'>,
  config: OpenLedgerConfig,
): ChainEVM {
  return new ChainEVM({ ...opts, bn254: new NobleBN254(), customPrecompiles: chainPrecompiles(config) })
}
