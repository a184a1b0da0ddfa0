import type { Common } from '@ethereumjs/common'
import { certifiedBlocks } from '../chain/certifiedBlocks.ts'
import type { ChainStore } from '../chain/chainStore.ts'
import type { Logger } from '../logger.ts'
import type { NetworkOptions } from '../options.ts'
import type { TxPool } from '../txpool/txPool.ts'
import { parseBootnode } from './bootnode.ts'
import { identityFromSeed } from './identity.ts'
import { Network } from './network.ts'
import { TxGossip } from './txGossip.ts'

/** Starts libp2p with the node's identity and bootnodes, gossips the pool's transactions, and serves block ranges. */
export async function startNetwork(opts: NetworkOptions, parts: { common: Common; chain: ChainStore; txpool: TxPool }, log: Logger): Promise<Network> {
  const network = await Network.start(
    {
      chainId: parts.common.chainId(),
      privateKey: await identityFromSeed(opts.identitySeed),
      host: opts.host,
      port: opts.port,
      bootnodes: opts.bootnodes.map(parseBootnode),
      maxConnections: opts.maxConnections,
    },
    log.child({ module: 'network' }),
  )
  new TxGossip(network.gossip, parts.txpool, parts.common, log.child({ module: 'txgossip' })).start()
  await network.sync.serve({ encodedBlocks: (from, count) => certifiedBlocks(parts.chain, from, count) })
  return network
}
