import type { RpcBackend } from '../backend.ts'
import type { MethodTable } from '../method.ts'
import { blockMethods } from './blocks.ts'
import { devMethods } from './dev.ts'
import { debugMethods } from './debug.ts'
import { feeMethods } from './fees.ts'
import { filterMethods } from './filters.ts'
import { logMethods } from './logs.ts'
import { sendMethods } from './send.ts'
import { simulateMethods } from './simulate.ts'
import { stateMethods } from './state.ts'
import { subscriptionMethods } from './subscribe.ts'
import { txpoolMethods } from './txpool.ts'
import { netMethods, web3Methods } from './web3.ts'

/**
 * Every JSON-RPC method the node serves, by name: the one table the server dispatches on. The devnet
 * methods are in it only with `devMethods`; otherwise they are unknown methods like any other.
 */
export function createMethodTable(node: RpcBackend): MethodTable {
  return {
    ...web3Methods(node),
    ...netMethods(node),
    ...feeMethods(node),
    ...stateMethods(node),
    ...simulateMethods(node),
    ...blockMethods(node),
    ...logMethods(node),
    ...filterMethods(node),
    ...sendMethods(node),
    ...subscriptionMethods(node),
    ...txpoolMethods(node),
    ...debugMethods(node),
    ...(node.devMethods && node.dev ? devMethods(node.dev) : {}),
  }
}
