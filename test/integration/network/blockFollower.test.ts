/**
 * Following a certified chain over libp2p on 127.0.0.1: a node that joins late catches up with the
 * certified blocks of a peer and then serves the same balances and logs; a certified block gossiped
 * later is imported on arrival; a block whose certificate lacks a quorum, and bytes that are no block,
 * are rejected before they are forwarded and count against the sender.
 */
import { randomBytes } from 'node:crypto'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bytesToHex } from '@ethereumjs/util'
import { computeAddress } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { devnetGenesis, type Genesis } from '../../../genesis/genesis.ts'
import { encodeCertifiedBlock } from '../../../node/chain/certifiedBlocks.ts'
import { certificateOf, encodeCertificate } from '../../../node/consensus/certificate.ts'
import { signMessage } from '../../../node/consensus/messages.ts'
import { BlockImporter } from '../../../node/execution/importBlock.ts'
import { spawnNode, tempDir, type TestNode } from '../../support/spawnNode.ts'
import { CHAIN_ID, DEV_ADDRESSES, devWallet, probe, probeDeployData, sendAndMine } from '../rpc/helpers.ts'
import type { Block } from '@ethereumjs/block'
import { until as untilHolds } from '../../support/until.ts'

const KEYS = Array.from({ length: 4 }, () => secp256k1.utils.randomSecretKey())
const VALIDATORS = KEYS.map((key) => computeAddress(bytesToHex(key)).toLowerCase())

function validatorGenesis(): Genesis {
  const genesis = devnetGenesis()
  const consensus = { validators: [...VALIDATORS].sort(), blockPeriodMs: 1_000, roundTimeoutMs: 2_000, roundTimeoutDeltaMs: 1_000, epochLength: 30_000 }
  return { ...genesis, openledger: { ...genesis.openledger, consensus } }
}

/** The commit certificate `signers` of the validators would make for `block` at round 0. */
function certify(block: Block, signers = KEYS.slice(0, 3)): Uint8Array {
  const vote = { kind: 'precommit' as const, height: block.header.number, round: 0, blockHash: block.hash() }
  return encodeCertificate(certificateOf(signers.map((key) => signMessage(vote, key, Number(CHAIN_ID)))))
}

/** This file's waits: 15,000 ms unless a call says otherwise. */
const until = (condition: () => Promise<boolean> | boolean, what: string, ms = 15_000) => untilHolds(condition, what, ms, 100)

const network = (bootnodes: string[]) => ({ host: '127.0.0.1', port: 0, bootnodes, identitySeed: randomBytes(32), maxConnections: 20 })
const BLOCKS = 12

describe('following the certified chain', () => {
  const genesis = validatorGenesis()
  let source: TestNode
  let server: TestNode
  let follower: TestNode
  let probeAddress: string
  const dirs: { remove(): Promise<void> }[] = []

  beforeAll(async () => {
    // The source builds the chain (a devnet sealing blocks); the server holds it, certified, and serves it.
    source = await spawnNode({ genesis })
    const deployed = await sendAndMine(source, devWallet(0), { data: probeDeployData(7n) })
    probeAddress = deployed.contractAddress
    for (let i = 2; i <= BLOCKS; i++) {
      const tx = i % 2 === 0 ? { to: probeAddress, data: probe.encodeFunctionData('setValue', [BigInt(i)]) } : { to: DEV_ADDRESSES[8], value: BigInt(i) }
      await sendAndMine(source, devWallet(i % 3), tx)
    }
    const dir = await tempDir()
    dirs.push(dir)
    const loading = await spawnNode({ genesis, datadir: dir.dir, mining: { kind: 'manual' }, devMethods: false })
    const importer = new BlockImporter(loading.node.chain, loading.node.execution)
    for (let n = 1n; n <= BigInt(BLOCKS); n++) {
      const block = (await source.node.chain.blockByNumber(n))!
      await importer.importBlock(block, certify(block))
    }
    await loading.close()
    server = await spawnNode({ genesis, datadir: dir.dir, mining: { kind: 'manual' }, devMethods: false, network: network([]) })
    follower = await spawnNode({ genesis, mining: { kind: 'manual' }, devMethods: false, network: network([server.node.network!.addresses()[0]]) })
  }, 120_000)

  afterAll(async () => {
    await Promise.all([source, server, follower].map((t) => t?.close()))
    await Promise.all(dirs.map((d) => d.remove()))
  })

  it('catches up a late node to the head, with the same blocks, balances and logs', async () => {
    await until(async () => Number(await follower.call('eth_blockNumber')) === BLOCKS, 'the follower to reach the head')
    for (const n of [1, 6, BLOCKS]) {
      const tag = `0x${n.toString(16)}`
      expect((await follower.call('eth_getBlockByNumber', [tag, false])).hash).toBe((await source.call('eth_getBlockByNumber', [tag, false])).hash)
    }
    for (const address of [DEV_ADDRESSES[0], DEV_ADDRESSES[8], probeAddress]) {
      expect(await follower.call('eth_getBalance', [address, 'latest'])).toBe(await source.call('eth_getBalance', [address, 'latest']))
    }
    const filter = { fromBlock: '0x0', toBlock: 'latest', address: probeAddress }
    const logs = await follower.call('eth_getLogs', [filter])
    expect(logs.length).toBeGreaterThan(5)
    expect(logs).toEqual(await source.call('eth_getLogs', [filter]))
  })

  it('imports a certified block gossiped later, and rejects one without a quorum and bytes that are no block', async () => {
    await until(async () => Number(await follower.call('eth_blockNumber')) === BLOCKS, 'the follower to reach the head')
    const gossip = server.node.network!.gossip
    await sendAndMine(source, devWallet(0), { to: DEV_ADDRESSES[7], value: 5n })
    const next = (await source.node.chain.blockByNumber(BigInt(BLOCKS + 1)))!
    const counts = follower.node.network!.gossip.counts.blocks
    // Two of four signatures: under the quorum of three.
    await gossip.publish('blocks', encodeCertifiedBlock({ block: next, certificate: certify(next, KEYS.slice(0, 2)) }))
    await gossip.publish('blocks', Uint8Array.of(0xc2, 0x01, 0x02))
    await until(() => counts.reject === 2, 'the follower to reject both')
    expect(Number(await follower.call('eth_blockNumber'))).toBe(BLOCKS)
    await until(() => follower.node.network!.gossip.score(server.node.network!.peerId) < 0, 'the server’s score at the follower to fall')
    await gossip.publish('blocks', encodeCertifiedBlock({ block: next, certificate: certify(next) }))
    await until(async () => Number(await follower.call('eth_blockNumber')) === BLOCKS + 1, 'the gossiped block')
    expect(await follower.call('eth_getBalance', [DEV_ADDRESSES[7], 'latest'])).toBe(await source.call('eth_getBalance', [DEV_ADDRESSES[7], 'latest']))
    expect(counts.accept).toBe(1)
  })
})
