import type { Common } from '@ethereumjs/common'
import type { RpcBackend } from '../rpc/backend.ts'
import { FilterStore } from '../rpc/filters/filterStore.ts'
import { createMethodTable } from '../rpc/methods/index.ts'
import { RpcServer } from '../rpc/server.ts'
import { ChainStore } from './chain/chainStore.ts'
import { openChain } from './chain/openChain.ts'
import { openKV, type KV } from './db/kv.ts'
import { DevControls } from './dev/devControls.ts'
import { TrieStore } from './db/trieStore.ts'
import { createChainCommon } from './execution/common.ts'
import { cryptoBackends } from './crypto/backends.ts'
import { defaultRecoveryThreads, RecoveryWorkers } from './crypto/recoveryWorkers.ts'
import { Execution } from './execution/execution.ts'
import { Miner } from './miner/miner.ts'
import type { Network } from './network/network.ts'
import type { ConsensusServices } from './consensus/services.ts'
import { NodeMetrics } from './metrics/metrics.ts'
import { startMetricsServer, type MetricsServer } from './metrics/server.ts'
import type { NodeOptions, RpcOptions } from './options.ts'
import { TxPool } from './txpool/txPool.ts'
import type { Logger } from './logger.ts'
import { CLIENT_VERSION } from './version.ts'

/**
 * The composition root: `init` wires db -> chain -> execution -> txpool -> network -> consensus ->
 * miner -> recovery workers -> rpc -> metrics, `close` takes them down in reverse.
 */
export class Node {
  private constructor(
    readonly common: Common,
    readonly kv: KV,
    readonly chain: ChainStore,
    readonly execution: Execution,
    readonly txpool: TxPool,
    readonly miner: Miner,
    readonly network: Network | undefined,
    readonly consensus: ConsensusServices | undefined,
    readonly rpc: RpcServer | undefined,
    readonly metrics: MetricsServer | undefined,
    private readonly recovery: RecoveryWorkers,
    private readonly filters: FilterStore | undefined,
    private readonly opts: NodeOptions,
  ) {}

  static async init(opts: NodeOptions): Promise<Node> {
    const log = opts.logger
    const kv = await openKV({ path: opts.datadir, sync: opts.syncWrites })
    let network: Network | undefined
    let consensus: ConsensusServices | undefined
    let metricsServer: MetricsServer | undefined
    let recovery: RecoveryWorkers | undefined
    try {
      const common = createChainCommon(opts.genesis)
      const store = new TrieStore(kv)
      const chain = new ChainStore(kv, common)
      await openChain(chain, store, common, opts.genesis)
      const execution = await Execution.create(common, store, chain, { rpcGasCap: opts.rpc ? opts.rpc.gasCap : 0n, evmTimeoutMs: opts.rpc ? opts.rpc.evmTimeoutMs : 0 })
      const txpool = new TxPool({
        common,
        // The committed head's state, never the builder's half-built block.
        state: { getAccount: async (address) => (await execution.stateAt(chain.headBlock).getAccount(address)) ?? { nonce: 0n, balance: 0n } },
        head: () => ({ gasLimit: chain.headBlock.header.gasLimit, baseFee: chain.headBlock.header.calcNextBaseFee() }),
        logger: log.child({ module: 'txpool' }),
        limits: opts.txpool,
      })
      // libp2p and consensus load only when used: a devnet starts without their hundreds of modules.
      network = opts.network ? await (await import('./network/start.ts')).startNetwork(opts.network, { common, chain, txpool }, log) : undefined
      const joined = network
      const metrics = new NodeMetrics({ headNumber: () => chain.headBlock.header.number, peers: joined && (() => joined.peers().length), consensus: () => consensus?.state() })
      joined?.gossip.observe(metrics.countGossip)
      const params = opts.genesis.openledger.consensus
      if (network && params) consensus = await (await import('./consensus/services.ts')).ConsensusServices.start(params, { common, chain, execution, txpool, network, metrics }, opts.validator, log)
      const miner = new Miner({ chain, execution, txpool, logger: log.child({ module: 'miner' }), coinbase: opts.coinbase }, opts.mining)
      const dev = opts.devMethods ? new DevControls({ chain, execution, txpool, miner }) : undefined
      recovery = RecoveryWorkers.start(opts.rpc ? (opts.recoveryThreads ?? defaultRecoveryThreads()) : 0, log.child({ module: 'recovery' }))
      const served = opts.rpc
        ? await startRpc(opts.rpc, { common, chain, execution, txpool, miner, recovery, devAccounts: opts.devAccounts, clientVersion: CLIENT_VERSION, devMethods: opts.devMethods, dev }, log)
        : undefined
      if (opts.metrics) metricsServer = await startMetricsServer(metrics, opts.metrics.host, opts.metrics.port)
      miner.start()
      logCryptoBackends(log, recovery.threads)
      log.info({ head: Number(chain.headBlock.header.number), datadir: opts.datadir ?? '(memory)' }, 'node started')
      return new Node(common, kv, chain, execution, txpool, miner, network, consensus, served?.server, metricsServer, recovery, served?.filters, opts)
    } catch (err) {
      await metricsServer?.close()
      await recovery?.close()
      consensus?.stop()
      await network?.close()
      await kv.close()
      throw err
    }
  }

  /** Stops taking requests, finishes the block being sealed, then closes the database. */
  async close(): Promise<void> {
    await this.metrics?.close()
    await this.rpc?.close()
    await this.recovery.close()
    this.filters?.close()
    await this.miner.stop()
    this.consensus?.stop()
    await this.consensus?.idle()
    await this.network?.close()
    await this.kv.close()
    this.opts.logger.info('node stopped')
  }
}

/** libp2p with the node's transaction gossip (both ways) and the certified blocks it serves to peers that sync. */

/** The RPC server, and the filter store its methods share (closed again if the server cannot start). */
async function startRpc(limits: RpcOptions, parts: Omit<RpcBackend, 'filters' | 'limits'>, logger: Logger): Promise<{ server: RpcServer; filters: FilterStore }> {
  const filters = new FilterStore({ chain: parts.chain.events, txpool: parts.txpool, timeoutMs: limits.filterTimeoutMs })
  try {
    const server = await RpcServer.start({
      host: limits.host,
      port: limits.port,
      methods: createMethodTable({ ...parts, filters, limits }),
      logger,
      maxBodyBytes: limits.bodyLimit,
      maxBatchItems: limits.batchRequestLimit,
      maxBatchResponseBytes: limits.batchResponseMaxSize,
      corsDomains: limits.corsDomains,
      vhosts: limits.vhosts,
    })
    return { server, filters }
  } catch (err) {
    filters.close()
    throw err
  }
}

/** Which signature and hash implementations run, and why a native one did not load (the node is slower then). */
function logCryptoBackends(log: Logger, recoveryThreads: number): void {
  const { names, fallbackReasons } = cryptoBackends
  if (fallbackReasons.length === 0) log.info({ ...names, recoveryThreads }, 'crypto backends')
  else log.warn({ ...names, recoveryThreads, fallbackReasons }, 'native crypto unavailable: running on the slower fallbacks')
}
