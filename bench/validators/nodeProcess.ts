/**
 * One node of the validators benchmark, in its own process (so the four validators do not share an event
 * loop): argv[2] is a NodeSpec as JSON. Prints `READY {rpc, ws, p2p}` once serving; closes on SIGTERM.
 */
import { hexToBytes } from '@ethereumjs/util'
import { devnetGenesis, type Genesis } from '../../genesis/genesis.ts'
import { DEFAULT_CONSENSUS_TIMING } from '../../genesis/openledger.ts'
import { addressOf } from '../../node/keys/keystore.ts'
import { createLogger } from '../../node/logger.ts'
import { Node } from '../../node/node.ts'
import { DEFAULT_RPC, testNodeOptions } from '../../node/options.ts'
import { READY_MARKER, type NodeEndpoints, type NodeSpec } from './spec.ts'

function genesisFor(spec: NodeSpec): Genesis {
  const genesis = devnetGenesis()
  const consensus = { ...DEFAULT_CONSENSUS_TIMING, validators: spec.validators, blockPeriodMs: spec.blockPeriodMs }
  return { ...genesis, openledger: { ...genesis.openledger, consensus } }
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as NodeSpec
  const key = spec.privateKey ? hexToBytes(spec.privateKey as `0x${string}`) : undefined
  const node = await Node.init(
    testNodeOptions({
      genesis: genesisFor(spec),
      datadir: spec.datadir,
      rpc: { ...DEFAULT_RPC, port: 0 },
      devMethods: false,
      mining: { kind: 'manual' },
      network: { host: '127.0.0.1', port: 0, bootnodes: spec.bootnodes, identitySeed: hexToBytes(spec.identitySeed as `0x${string}`), maxConnections: 20 },
      validator: key && { key: { privateKey: key, address: addressOf(key) }, guardFile: spec.guardFile! },
      // Warnings and errors only, to stderr: the parent keeps the tail for its error reports.
      logger: createLogger({ level: process.env.OLNODE_LOG_LEVEL ?? 'warn' }),
    }),
  )
  process.once('SIGTERM', () => void node.close().finally(() => process.exit(0)))
  const ready: NodeEndpoints = { rpc: node.rpc!.url, ws: node.rpc!.wsUrl, p2p: node.network!.addresses()[0] }
  process.stdout.write(`${READY_MARKER}${JSON.stringify(ready)}\n`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
