import type { Common } from '@ethereumjs/common'
import { createMethodTable } from '../rpc/methods/index.ts'
import { RpcServer } from '../rpc/server.ts'
import { ChainStore } from './chain/chainStore.ts'
import { openChain } from './chain/openChain.ts'
import { openKV, type KV } from './db/kv.ts'
import { DevControls } from './dev/devControls.ts'
import { TrieStore } from './db/trieStore.ts'
import { createChainCommon } from './execution/common.ts'
import { Execution } from './execution/execution.ts'
import { Miner } from './miner/miner.ts'
import type { NodeOptions } from './options.ts'
import { TxPool } from './txpool/txPool.ts'
import { CLIENT_VERSION } from './version.ts'

/**
 * The composition root: `init` wires db -> chain -> execution -> txpool -> miner -> rpc,
 * `close` takes them down in reverse.
 */
export class Node {
  private constructor(
    readonly common: Common,
    readonly kv: KV,
    readonly chain: ChainStore,
    readonly execution: Execution,
    readonly txpool: TxPool,
    readonly miner: Miner,
    readonly rpc: RpcServer | undefined,
    private readonly opts: NodeOptions,
  ) {}

  static async init(opts: NodeOptions): Promise<Node> {
    const log = opts.logger
    const kv = await openKV({ path: opts.datadir, sync: opts.syncWrites })
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
      const miner = new Miner({ chain, execution, txpool, logger: log.child({ module: 'miner' }), coinbase: opts.coinbase }, opts.mining)
      const dev = opts.devMethods ? new DevControls({ chain, execution, txpool, miner }) : undefined
      const rpc = opts.rpc
        ? await RpcServer.start({
            host: opts.rpc.host,
            port: opts.rpc.port,
            methods: createMethodTable({ common, chain, execution, txpool, miner, devAccounts: opts.devAccounts, clientVersion: CLIENT_VERSION, limits: opts.rpc, devMethods: opts.devMethods, dev }),
            logger: log,
          })
        : undefined
      miner.start()
      log.info({ head: Number(chain.headBlock.header.number), datadir: opts.datadir ?? '(memory)' }, 'node started')
      return new Node(common, kv, chain, execution, txpool, miner, rpc, opts)
    } catch (err) {
      await kv.close()
      throw err
    }
  }

  /** Stops taking requests, finishes the block being sealed, then closes the database. */
  async close(): Promise<void> {
    await this.rpc?.close()
    await this.miner.stop()
    await this.kv.close()
    this.opts.logger.info('node stopped')
  }
}

