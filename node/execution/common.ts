import { paramsBlock } from '@ethereumjs/block'
import { Common, ConsensusAlgorithm, ConsensusType, Hardfork, type ChainConfig, type CommonOpts, type ParamsDict } from '@ethereumjs/common'
import { paramsEVM } from '@ethereumjs/evm'
import { paramsTx } from '@ethereumjs/tx'
import { paramsVM } from '@ethereumjs/vm'
import { bigIntToHex, bytesToHex } from '@ethereumjs/util'
import type { Genesis, OpenLedgerConfig } from '../../genesis/genesis.ts'
import { chainCrypto } from './crypto.ts'

/** The hardfork the chain runs from block 0: Cancun (Prague's EIP-7685 needs system-contract predeploys). */
export const CHAIN_HARDFORK = Hardfork.Cancun

const FORKS_UP_TO_CANCUN = [
  Hardfork.Chainstart,
  Hardfork.Homestead,
  Hardfork.TangerineWhistle,
  Hardfork.SpuriousDragon,
  Hardfork.Byzantium,
  Hardfork.Constantinople,
  Hardfork.Petersburg,
  Hardfork.Istanbul,
  Hardfork.MuirGlacier,
  Hardfork.Berlin,
  Hardfork.London,
  Hardfork.Paris,
  Hardfork.Shanghai,
  Hardfork.Cancun,
]

/** The parameter sets ethereumjs' tx, block, VM and EVM constructors merge into their Common. */
const PRELOADED_PARAMS: ReadonlySet<ParamsDict> = new Set([paramsTx, paramsBlock, paramsVM, paramsEVM])

/**
 * ethereumjs copies the Common into every transaction and header it builds and merges its parameter
 * set into the copy again (a JSON deep copy and a cache rebuild: most of the cost of an eth_call).
 * This Common merges those sets once, at construction, and skips the identical merges after: the
 * parameters every copy sees are the same.
 */
class ChainCommon extends Common {
  constructor(
    opts: CommonOpts,
    /** The genesis' `openledger` section: the precompiles' parameters travel with the chain's Common. */
    readonly openledger: OpenLedgerConfig,
  ) {
    super(opts)
    for (const params of PRELOADED_PARAMS) super.updateParams(params)
  }

  override updateParams(params: ParamsDict): void {
    if (!PRELOADED_PARAMS.has(params)) super.updateParams(params)
  }

  /**
   * The active EIPs as a set: the EVM asks on nearly every step, and ethereumjs searches an array.
   * `declare`: set from the base constructor (through the cache build), so no field initializer may reset it.
   */
  declare private activatedEIPs: ReadonlySet<number>

  protected override _buildActivatedEIPsCache(): void {
    super._buildActivatedEIPsCache()
    this.activatedEIPs = new Set(this._activatedEIPsCache)
  }

  override isActivatedEIP(eip: number): boolean {
    return this.activatedEIPs.has(eip)
  }
}

/** The chain's Common: every fork active at block 0, our genesis, proof-of-stake style headers. */
export function createChainCommon(genesis: Genesis): Common {
  const chain: ChainConfig = {
    name: 'olnode',
    chainId: genesis.chainId,
    defaultHardfork: CHAIN_HARDFORK,
    genesis: {
      gasLimit: bigIntToHex(genesis.gasLimit),
      difficulty: bigIntToHex(genesis.difficulty),
      nonce: bytesToHex(genesis.nonce),
      extraData: bytesToHex(genesis.extraData),
      timestamp: bigIntToHex(genesis.timestamp),
      baseFeePerGas: bigIntToHex(genesis.baseFeePerGas),
    },
    hardforks: FORKS_UP_TO_CANCUN.map((name) => ({ name, block: 0 })),
    bootstrapNodes: [],
    consensus: { type: ConsensusType.ProofOfStake, algorithm: ConsensusAlgorithm.Casper },
  }
  return new ChainCommon({ chain, hardfork: CHAIN_HARDFORK, customCrypto: chainCrypto }, genesis.openledger)
}

/** The OpenLedger parameters of a Common made by createChainCommon. */
export function openLedgerConfigOf(common: Common): OpenLedgerConfig {
  if (!(common instanceof ChainCommon)) throw new TypeError('not the chain Common (createChainCommon): it carries no openledger parameters')
  return common.openledger
}
