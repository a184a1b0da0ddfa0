import type { Common } from '@ethereumjs/common'
import type { ConsensusParams } from '../../genesis/openledger.ts'
import type { ChainStore } from '../chain/chainStore.ts'
import type { Execution } from '../execution/execution.ts'
import { BlockImporter } from '../execution/importBlock.ts'
import type { ValidatorKey } from '../keys/keystore.ts'
import type { Logger } from '../logger.ts'
import type { NodeMetrics } from '../metrics/metrics.ts'
import { BlockFollower } from '../network/blockFollower.ts'
import type { Network } from '../network/network.ts'
import type { TxPool } from '../txpool/txPool.ts'
import { certifiedBlockCheck } from './certificate.ts'
import { NotAValidatorError } from './errors.ts'
import { ConsensusEngine } from './engine.ts'
import { SignGuard } from './signGuard.ts'
import { GuardedSigner } from './signer.ts'
import { Tendermint } from './tendermint.ts'
import { ValidatorSet } from './validatorSet.ts'

/** A validator's signing key and the file of its double-sign guard. */
export interface ValidatorOptions {
  key: ValidatorKey
  guardFile: string
}

export interface ConsensusParts {
  common: Common
  chain: ChainStore
  execution: Execution
  txpool: TxPool
  network: Network
  metrics?: NodeMetrics
}

/**
 * What a node on a chain with validators runs: the follower (certified blocks from gossip and
 * catch-up) always, and for a validator the consensus engine. Both import through one BlockImporter,
 * so blocks reach the chain one at a time, and every new head is taken out of the pool.
 */
export class ConsensusServices {
  private constructor(
    readonly follower: BlockFollower,
    readonly engine: ConsensusEngine | undefined,
  ) {}

  static async start(params: ConsensusParams, parts: ConsensusParts, validator: ValidatorOptions | undefined, log: Logger): Promise<ConsensusServices> {
    const { common, chain, execution, txpool, network } = parts
    const validators = new ValidatorSet(params.validators)
    const chainId = Number(common.chainId())
    const importer = new BlockImporter(chain, execution)
    chain.events.on('head', ({ block }) => void txpool.onBlock(block.transactions))
    const follower = new BlockFollower(network, chain, importer, common, certifiedBlockCheck(validators, chainId), log.child({ module: 'follower' }))
    follower.start()
    if (!validator) return new ConsensusServices(follower, undefined)
    if (!validators.has(validator.key.address)) throw new NotAValidatorError(validator.key.address)
    const guard = await SignGuard.open(validator.guardFile)
    const engine = new ConsensusEngine({
      machine: new Tendermint({ validators, self: validator.key.address, timing: params }),
      signer: new GuardedSigner(validator.key.privateKey, validator.key.address, chainId, guard),
      guard,
      validators,
      network,
      importer,
      chain,
      txpool,
      common,
      log: log.child({ module: 'consensus' }),
      metrics: parts.metrics,
    })
    engine.start(params.roundTimeoutMs)
    return new ConsensusServices(follower, engine)
  }

  /** The engine's height and round, for /metrics. */
  state(): { height: bigint; round: number } | undefined {
    return this.engine?.state()
  }

  stop(): void {
    this.engine?.stop()
    this.follower.stop()
  }

  /** Resolves once the engine has finished the input it was handling (a block being committed). */
  async idle(): Promise<void> {
    await this.engine?.idle()
  }
}
