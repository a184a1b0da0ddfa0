/**
 * Four in-process validators over libp2p on 127.0.0.1 run Tendermint: they decide the same blocks at
 * every height, a transaction sent to any of them is included, and with one of them stopped the other
 * three keep deciding.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { devnetGenesis, type Genesis } from '../../../genesis/genesis.ts'
import { addressOf } from '../../../node/keys/keystore.ts'
import { spawnNode, tempDir, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, devWallet, sendTx, waitForReceipt } from '../rpc/helpers.ts'
import { until as untilHolds } from '../../support/until.ts'

const KEYS = Array.from({ length: 4 }, () => secp256k1.utils.randomSecretKey())

function validatorGenesis(): Genesis {
  const genesis = devnetGenesis()
  const consensus = { validators: KEYS.map(addressOf).sort(), blockPeriodMs: 300, roundTimeoutMs: 2_000, roundTimeoutDeltaMs: 1_000, epochLength: 30_000 }
  return { ...genesis, openledger: { ...genesis.openledger, consensus } }
}

/** This file's waits: 90,000 ms unless a call says otherwise. */
const until = (condition: () => Promise<boolean> | boolean, what: string, ms = 90_000) => untilHolds(condition, what, ms, 100)

const height = async (t: TestNode) => Number(await t.call('eth_blockNumber'))
const hashAt = async (t: TestNode, n: number) => (await t.call('eth_getBlockByNumber', [`0x${n.toString(16)}`, false]))?.hash

describe('four validators', () => {
  const genesis = validatorGenesis()
  const nodes: TestNode[] = []
  let dir: { dir: string; remove(): Promise<void> }

  beforeAll(async () => {
    dir = await tempDir()
    for (const [i, key] of KEYS.entries()) {
      const bootnodes = nodes.map((t) => t.node.network!.addresses()[0])
      nodes.push(
        await spawnNode({
          genesis,
          mining: { kind: 'manual' },
          devMethods: false,
          network: { host: '127.0.0.1', port: 0, bootnodes, identitySeed: randomBytes(32), maxConnections: 20 },
          validator: { key: { privateKey: key, address: addressOf(key) }, guardFile: path.join(dir.dir, `guard-${i}.json`) },
        }),
      )
    }
  }, 60_000)

  afterAll(async () => {
    await Promise.all(nodes.map((t) => t.close()))
    await dir?.remove()
  })

  // Four validators share this process's one thread, and the machine with the other test files: generous limits.
  it('decide the same block at every height', { timeout: 120_000 }, async () => {
    await until(async () => (await Promise.all(nodes.map(height))).every((h) => h >= 5), 'five blocks on every validator')
    for (let n = 1; n <= 5; n++) {
      const hashes = await Promise.all(nodes.map((t) => hashAt(t, n)))
      expect(new Set(hashes).size).toBe(1)
    }
    // Proposers rotate by height and round: a round lost while peers were still connecting moves it on.
    const miners = await Promise.all([1, 2, 3, 4, 5].map(async (n) => (await nodes[0].call('eth_getBlockByNumber', [`0x${n}`, false])).miner))
    expect(miners.every((m) => genesis.openledger.consensus!.validators.includes(m))).toBe(true)
    expect(new Set(miners).size).toBeGreaterThanOrEqual(3)
  })

  it('include a transaction sent to any validator', { timeout: 120_000 }, async () => {
    const hash = await sendTx(nodes[3], devWallet(0), { to: DEV_ADDRESSES[5], value: 1234n, gasLimit: 21_000n })
    const receipt = await waitForReceipt(nodes[0], hash, 90_000)
    expect(receipt.status).toBe('0x1')
    await until(async () => (await nodes[2].call('eth_getTransactionReceipt', [hash])) !== null, 'the receipt on another validator')
  })

  it('keep deciding with one of four stopped', { timeout: 120_000 }, async () => {
    await nodes[3].close()
    const live = nodes.slice(0, 3)
    const from = await height(live[0])
    await until(async () => (await Promise.all(live.map(height))).every((h) => h >= from + 4), 'four more blocks without the fourth validator')
    const top = Math.min(...(await Promise.all(live.map(height))))
    const hashes = await Promise.all(live.map((t) => hashAt(t, top)))
    expect(new Set(hashes).size).toBe(1)
    nodes.pop()
  })
})
