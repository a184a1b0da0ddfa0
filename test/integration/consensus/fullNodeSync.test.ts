/**
 * A full node (network, no validator key) started once four in-process validators have decided
 * BLOCKS blocks with a very short block period, transfers and a contract emitting logs among them: it syncs
 * to the head from its peers, certified block by certified block, and serves the same blocks,
 * balances (eth_getBalance) and logs (eth_getLogs) as a validator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEV_ADDRESSES, devWallet, probe, probeDeployData, sendTx, waitForReceipt } from '../rpc/helpers.ts'
import { height, until, ValidatorNet } from '../../support/validatorNet.ts'
import type { TestNode } from '../../support/spawnNode.ts'

/**
 * Every block here is decided by the validators, so the count stays small: they share this process's one
 * thread and decide about a block a second. fullNodeSync500.test.ts has the 500, made ahead.
 */
const BLOCKS = 60
const hex = (n: number) => `0x${n.toString(16)}`

describe(`a full node joining after ${BLOCKS} blocks`, () => {
  let net: ValidatorNet

  beforeAll(async () => {
    net = await ValidatorNet.start(4, { blockPeriodMs: 10, roundTimeoutMs: 1_000, roundTimeoutDeltaMs: 500 })
  }, 90_000)

  afterAll(async () => {
    await net?.close()
  })

  /** Transfers and Probe calls (each emits a log) sent to a validator, one round after another, until the chain is `BLOCKS` high. */
  async function runTransactions(validator: TestNode): Promise<string> {
    const deployed = await waitForReceipt(validator, await sendTx(validator, devWallet(0), { data: probeDeployData(7n) }), 60_000)
    expect(deployed.status).toBe('0x1')
    for (let i = 1; (await height(validator)) < BLOCKS; i++) {
      await sendTx(validator, devWallet(1), { to: DEV_ADDRESSES[8], value: BigInt(i) })
      const call = await sendTx(validator, devWallet(2), { to: deployed.contractAddress, data: probe.encodeFunctionData('setValue', [BigInt(i)]) })
      expect((await waitForReceipt(validator, call, 60_000)).status).toBe('0x1')
    }
    return deployed.contractAddress
  }

  it('syncs to the head and serves the same balances and logs as a validator', async () => {
    const validator = net.node(0)
    const started = Date.now()
    const probeAddress = await runTransactions(validator)
    console.log(`${BLOCKS} blocks decided by 4 in-process validators in ${((Date.now() - started) / 1_000).toFixed(1)} s`)

    const full = await net.startFullNode()
    const syncStarted = Date.now()
    const head = await height(validator)
    await until(async () => (await height(full)) >= head, 'the full node to reach the validators’ head', 60_000)
    console.log(`the full node synced ${head} blocks in ${((Date.now() - syncStarted) / 1_000).toFixed(1)} s`)

    for (const n of [1, BLOCKS / 2, BLOCKS]) {
      const tag = [hex(n), false]
      expect((await full.call('eth_getBlockByNumber', tag)).hash).toBe((await validator.call('eth_getBlockByNumber', tag)).hash)
    }
    for (const address of [DEV_ADDRESSES[0], DEV_ADDRESSES[1], DEV_ADDRESSES[8], probeAddress]) {
      const at = [address, hex(BLOCKS)]
      expect(await full.call('eth_getBalance', at)).toBe(await validator.call('eth_getBalance', at))
    }
    expect(BigInt(await full.call('eth_getBalance', [DEV_ADDRESSES[8], hex(BLOCKS)]))).toBeGreaterThan(0n)
    const filter = { fromBlock: '0x0', toBlock: hex(BLOCKS), address: probeAddress }
    const logs = await full.call('eth_getLogs', [filter])
    expect(logs.length).toBeGreaterThan(5)
    expect(logs).toEqual(await validator.call('eth_getLogs', [filter]))
  }, 60_000 + BLOCKS * 2_000)
})
