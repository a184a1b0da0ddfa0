/**
 * The issue's full-node test at its size: a full node started after 500 blocks syncs to the head and
 * serves the same balances and logs as a validator. Four in-process validators decide about a block a
 * second here, so the first 500 blocks are made ahead: a devnet seals them (transfers and a contract
 * emitting logs), each gets a certificate of three of the four validators' precommits (the keys the
 * validators run with), and every validator's datadir starts with them. The validators then keep
 * deciding on top, and the full node, started last, syncs all of it from its peers.
 */
import type { Block } from '@ethereumjs/block'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { certificateOf, encodeCertificate } from '../../../node/consensus/certificate.ts'
import { signMessage } from '../../../node/consensus/messages.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { allReach, height, until, ValidatorNet } from '../../support/validatorNet.ts'
import { CHAIN_ID, DEV_ADDRESSES, devWallet, probe, probeDeployData, sendAndMine } from '../rpc/helpers.ts'

const HISTORY = 500
const hex = (n: number) => `0x${n.toString(16)}`

/** The certificate three of the four validators would make for `block`, at round 0. */
function certify(net: ValidatorNet, block: Block): Uint8Array {
  const vote = { kind: 'precommit' as const, height: block.header.number, round: 0, blockHash: block.hash() }
  return encodeCertificate(certificateOf(net.keys.slice(0, 3).map((key) => signMessage(vote, key, Number(CHAIN_ID)))))
}

/** HISTORY blocks sealed by a devnet of the validators' genesis: a contract emitting logs, calls to it and transfers. */
async function history(source: TestNode): Promise<{ blocks: Block[]; probeAddress: string }> {
  const deployed = await sendAndMine(source, devWallet(0), { data: probeDeployData(7n) })
  for (let i = 2; i <= HISTORY; i++) {
    const tx = i % 3 === 0 ? { to: deployed.contractAddress, data: probe.encodeFunctionData('setValue', [BigInt(i)]) } : { to: DEV_ADDRESSES[8], value: BigInt(i) }
    await sendAndMine(source, devWallet(1 + (i % 3)), tx)
  }
  const blocks: Block[] = []
  for (let n = 1n; n <= BigInt(HISTORY); n++) blocks.push((await source.node.chain.blockByNumber(n))!)
  return { blocks, probeAddress: deployed.contractAddress }
}

describe(`a full node joining after ${HISTORY} blocks`, () => {
  let net: ValidatorNet
  let probeAddress: string

  beforeAll(async () => {
    const timing = { blockPeriodMs: 300, roundTimeoutMs: 2_000, roundTimeoutDeltaMs: 1_000 }
    // The devnet's genesis is the validators' but for openledger.consensus, which no block hash or state root holds.
    const source = await spawnNode()
    const made = await history(source).finally(() => source.close())
    probeAddress = made.probeAddress
    net = await ValidatorNet.start(4, timing, { blocks: made.blocks, certify })
    await allReach(net.live, HISTORY + 3, 120_000)
  }, 300_000)

  afterAll(async () => {
    await net?.close()
  })

  it('syncs to the head and serves the same balances and logs as a validator', { timeout: 180_000 }, async () => {
    const validator = net.node(0)
    const full = await net.startFullNode()
    await until(async () => (await height(full)) >= HISTORY + 3, 'the full node to pass the first 500 blocks', 150_000)
    const at = hex(Math.min(await height(full), await height(validator)))
    for (const n of [1, 250, HISTORY, Number(at)]) {
      const tag = [hex(n), false]
      expect((await full.call('eth_getBlockByNumber', tag)).hash).toBe((await validator.call('eth_getBlockByNumber', tag)).hash)
    }
    for (const address of [DEV_ADDRESSES[0], DEV_ADDRESSES[2], DEV_ADDRESSES[8], probeAddress]) {
      expect(await full.call('eth_getBalance', [address, at])).toBe(await validator.call('eth_getBalance', [address, at]))
    }
    const filter = { fromBlock: '0x0', toBlock: at, address: probeAddress }
    const logs = await full.call('eth_getLogs', [filter])
    expect(logs.length).toBeGreaterThan(100)
    expect(logs).toEqual(await validator.call('eth_getLogs', [filter]))
  })
})
