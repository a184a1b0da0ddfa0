/** Four validators, each its own process with a LevelDB datadir, joined over libp2p on 127.0.0.1. */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { bytesToHex } from '@ethereumjs/util'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { addressOf } from '../../node/keys/keystore.ts'
import { startNodeProcess, type NodeProcess } from './processes.ts'
import { BLOCK_PERIOD_MS, VALIDATORS } from './settings.ts'
import type { NodeSpec } from './spec.ts'

export interface ValidatorNetwork {
  nodes: NodeProcess[]
  /** Validator address -> index in `nodes`. */
  nodeOf: Map<string, number>
  /** Starts a full node (no key) on the same chain, bootstrapped from every validator. */
  startFullNode(): Promise<NodeProcess>
  stop(): Promise<void>
}

function spec(dir: string, name: string, validators: string[], bootnodes: string[], key?: Uint8Array): NodeSpec {
  return {
    validators,
    blockPeriodMs: BLOCK_PERIOD_MS,
    datadir: path.join(dir, name),
    bootnodes,
    identitySeed: bytesToHex(randomBytes(32)),
    privateKey: key && bytesToHex(key),
    guardFile: key && path.join(dir, `${name}-guard.json`),
  }
}

/** Starts the validators one after another, each dialling those already up; `dir` holds their datadirs. */
export async function startValidators(dir: string): Promise<ValidatorNetwork> {
  const keys = Array.from({ length: VALIDATORS }, () => secp256k1.utils.randomSecretKey())
  const validators = keys.map(addressOf).sort()
  const nodes: NodeProcess[] = []
  const stop = () => Promise.all(nodes.map((n) => n.stop())).then(() => undefined)
  try {
    for (const [i, key] of keys.entries()) nodes.push(await startNodeProcess(spec(dir, `validator-${i}`, validators, nodes.map((n) => n.p2p), key)))
  } catch (err) {
    await stop()
    throw err
  }
  return {
    nodes,
    nodeOf: new Map(keys.map((k, i) => [addressOf(k), i])),
    startFullNode: () => startNodeProcess(spec(dir, 'full-node', validators, nodes.map((n) => n.p2p))),
    stop,
  }
}
