/**
 * olnode only: everything written before a clean stop (SIGTERM) is there after a restart on the same
 * datadir: head number and hash, balances, contract storage, receipts and logs.
 *
 * (anvil keeps its chain in memory; with E2E_ANVIL_STATE=1 the file runs against anvil's --state
 * dump/load instead, which is how the test itself was checked.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Interface, Wallet, getCreateAddress, keccak256 } from 'ethers'
import { compileToken } from '../fixtures/compile.ts'
import {
  CHAIN_ID,
  DEV_ADDRESSES,
  DEV_BALANCE,
  DEV_KEYS,
  IS_OLNODE,
  KIND,
  balanceOf,
  fees,
  makeTempDir,
  nonceOf,
  removeDir,
  rpc,
  startDevnet,
  waitForReceipt,
  type DevnetProcess,
  type RpcLog,
  type RpcReceipt,
} from './helpers.ts'

const ANVIL_STATE = KIND === 'anvil' && process.env.E2E_ANVIL_STATE === '1'

interface Snapshot {
  head: number
  headBlock: Record<string, unknown>
  balances: bigint[]
  nonces: number[]
  tokenBalances: bigint[]
  code: string
  deployReceipt: RpcReceipt
  transferReceipt: RpcReceipt
  logs: RpcLog[]
  blocks: Record<string, unknown>[]
}

describe.runIf(IS_OLNODE || ANVIL_STATE)(`restart on the same datadir (${KIND})`, () => {
  let datadir: string
  let devnet: DevnetProcess | undefined
  let before: Snapshot
  let token: string
  let deployHash: string
  let transferHash: string
  const iface = new Interface(compileToken().abi as any)
  const deployer = new Wallet(DEV_KEYS[0])
  const holders = [DEV_ADDRESSES[0], DEV_ADDRESSES[1], DEV_ADDRESSES[2]]

  const start = () => (ANVIL_STATE ? startDevnet({ extraArgs: ['--state', `${datadir}/anvil-state.json`] }) : startDevnet({ datadir }))

  async function sendRaw(url: string, req: Parameters<Wallet['signTransaction']>[0]): Promise<string> {
    const f = await fees(url)
    const nonce = await nonceOf(url, deployer.address, 'pending')
    const raw = await deployer.signTransaction({ chainId: CHAIN_ID, nonce, type: 2, maxFeePerGas: f.maxFeePerGas, maxPriorityFeePerGas: f.maxPriorityFeePerGas, gasLimit: 2_000_000n, ...req })
    const hash = await rpc<string>(url, 'eth_sendRawTransaction', [raw])
    expect(hash).toBe(keccak256(raw))
    const r = await waitForReceipt(url, hash)
    expect(r.status).toBe('0x1')
    return hash
  }

  async function snapshot(url: string): Promise<Snapshot> {
    const head = Number(await rpc<string>(url, 'eth_blockNumber'))
    const blocks: Record<string, unknown>[] = []
    for (let n = 0; n <= head; n++) blocks.push(await rpc(url, 'eth_getBlockByNumber', [`0x${n.toString(16)}`, true]))
    const tokenBalances: bigint[] = []
    for (const h of holders) tokenBalances.push(BigInt(await rpc<string>(url, 'eth_call', [{ to: token, data: iface.encodeFunctionData('balanceOf', [h]) }, 'latest'])))
    return {
      head,
      headBlock: await rpc(url, 'eth_getBlockByNumber', ['latest', false]),
      balances: await Promise.all(holders.map((h) => balanceOf(url, h))),
      nonces: await Promise.all(holders.map((h) => nonceOf(url, h))),
      tokenBalances,
      code: await rpc<string>(url, 'eth_getCode', [token, 'latest']),
      deployReceipt: await rpc<RpcReceipt>(url, 'eth_getTransactionReceipt', [deployHash]),
      transferReceipt: await rpc<RpcReceipt>(url, 'eth_getTransactionReceipt', [transferHash]),
      logs: await rpc<RpcLog[]>(url, 'eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', address: token }]),
      blocks,
    }
  }

  beforeAll(async () => {
    datadir = makeTempDir('restart')
    devnet = await start()
    const url = devnet.url
    const nonce = await nonceOf(url, deployer.address)
    const { bytecode } = compileToken()
    const args = iface.encodeDeploy(['Restart Token', 'RST', 1_000_000n]).slice(2)
    deployHash = await sendRaw(url, { data: bytecode + args })
    token = getCreateAddress({ from: deployer.address, nonce })
    transferHash = await sendRaw(url, { to: token, data: iface.encodeFunctionData('transfer', [holders[1], 1234n]) })
    // Plain value transfer too, so native balances move.
    await sendRaw(url, { to: holders[2], value: 5n * 10n ** 17n, gasLimit: 21_000n })
    before = await snapshot(url)
    if (ANVIL_STATE) {
      // anvil writes its --state file on SIGINT (Ctrl-C), not on SIGTERM.
      const exited = new Promise((r) => devnet!.proc.once('exit', r))
      devnet.proc.kill('SIGINT')
      await exited
    } else {
      // A clean shutdown on SIGTERM exits with 0.
      expect(await devnet.stop()).toBe(0)
    }
    devnet = await start()
  }, 120_000)

  afterAll(async () => {
    await devnet?.stop()
    removeDir(datadir)
  })

  it('the state before the stop is what was written', () => {
    expect(before.tokenBalances).toEqual([1_000_000n - 1234n, 1234n, 0n])
    expect(before.balances[2]).toBe(DEV_BALANCE + 5n * 10n ** 17n)
    expect(before.nonces[0]).toBe(3)
    expect(before.logs).toHaveLength(2)
    expect(before.head).toBeGreaterThanOrEqual(1)
  })

  it('same head number and hash, and the same blocks all the way down', async () => {
    const url = devnet!.url
    expect(Number(await rpc<string>(url, 'eth_blockNumber'))).toBe(before.head)
    const headBlock = await rpc<Record<string, unknown>>(url, 'eth_getBlockByNumber', ['latest', false])
    expect(headBlock.hash).toBe(before.headBlock.hash)
    expect(headBlock.stateRoot).toBe(before.headBlock.stateRoot)
    expect(headBlock).toEqual(before.headBlock)
    for (let n = 0; n <= before.head; n++) {
      const block = await rpc<{ hash: string; parentHash: string }>(url, 'eth_getBlockByNumber', [`0x${n.toString(16)}`, true])
      expect(block).toEqual(before.blocks[n])
      if (n > 0) expect(block.parentHash).toBe(before.blocks[n - 1].hash)
    }
    expect(await rpc(url, 'eth_getBlockByNumber', [`0x${(before.head + 1).toString(16)}`, false])).toBeNull()
    expect(await rpc(url, 'eth_getBlockByHash', [before.headBlock.hash, false])).toEqual(before.headBlock)
  })

  it('balances, nonces, contract code and storage survive', async () => {
    const after = await snapshot(devnet!.url)
    expect(after.balances).toEqual(before.balances)
    expect(after.nonces).toEqual(before.nonces)
    expect(after.code).toBe(before.code)
    expect(after.code.length).toBeGreaterThan(100)
    expect(after.tokenBalances).toEqual(before.tokenBalances)
  })

  it('receipts and logs survive', async () => {
    const url = devnet!.url
    expect(await rpc(url, 'eth_getTransactionReceipt', [deployHash])).toEqual(before.deployReceipt)
    expect(await rpc(url, 'eth_getTransactionReceipt', [transferHash])).toEqual(before.transferReceipt)
    const logs = await rpc<RpcLog[]>(url, 'eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', address: token }])
    expect(logs).toEqual(before.logs)
    expect(logs.map((l) => l.transactionHash)).toEqual([deployHash, transferHash])
    expect(BigInt(logs[1].data)).toBe(1234n)
  })

  it('the chain goes on from where it stopped', async () => {
    const url = devnet!.url
    const hash = await sendRaw(url, { to: token, data: iface.encodeFunctionData('transfer', [holders[2], 1n]) })
    const r = await rpc<RpcReceipt>(url, 'eth_getTransactionReceipt', [hash])
    expect(Number(r.blockNumber)).toBe(before.head + 1)
    const block = await rpc<{ parentHash: string }>(url, 'eth_getBlockByHash', [r.blockHash, false])
    expect(block.parentHash).toBe(before.headBlock.hash)
    expect(await nonceOf(url, deployer.address)).toBe(before.nonces[0] + 1)
  })
})
