/**
 * olnode only: four validators as four `olnode run` processes (libp2p over TCP on 127.0.0.1, LevelDB
 * datadirs, keystores) on a genesis with a 300 ms block period. They decide the same blocks; one killed
 * with SIGKILL does not stop the others, and restarted on its datadir it catches up and proposes again;
 * with two of four stopped the chain halts, and one back resumes it; a full node started later syncs and
 * serves the same balances and logs. And the refusals of `olnode run` as a user sees them.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Interface, Wallet, getCreateAddress, keccak256 } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootnodes, genesisFile, prepareLocalnet, runArgs, type Localnet, type NodePorts } from '../../scripts/localnetFiles.ts'
import { compileToken } from '../fixtures/compile.ts'
import { freePort } from '../support/devnetProcess.ts'
import { olnode } from '../support/olnodeCli.ts'
import { spawnRunProcess, type RunProcess } from '../support/runProcess.ts'
import { CHAIN_ID, DEV_ADDRESSES, DEV_KEYS, IS_OLNODE, blockNumber, fees, makeTempDir, nonceOf, removeDir, rpc, rpcBatch, sleep, toQuantity, waitFor, waitForReceipt, type RpcLog } from './helpers.ts'

// Round timeouts at genesis' defaults: four validator processes share the machine with the other test files.
const TIMING = { blockPeriodMs: 300, roundTimeoutMs: 2_000, roundTimeoutDeltaMs: 1_000, epochLength: 30_000 }
/** The full node is node 4; validators are 0 to 3. */
const FULL = 4

interface RpcBlock {
  hash: string
  miner: string
}

describe.runIf(IS_OLNODE)('four validator processes and a full node', () => {
  let dir: string
  let net: Localnet
  let ports: NodePorts[]
  let bootnodeList: string
  const nodes: (RunProcess | undefined)[] = []
  const iface = new Interface(compileToken().abi as any)
  const deployer = new Wallet(DEV_KEYS[0])
  let token: string

  const url = (i: number) => nodes[i]!.rpcUrl
  const start = async (i: number) => {
    nodes[i] = await spawnRunProcess(i === FULL ? 'full node' : `validator ${i}`, runArgs(net, net.validators[i], ports[i], bootnodeList))
    return nodes[i]!
  }
  const heights = (live: number[]) => Promise.all(live.map((i) => blockNumber(url(i))))
  const until = (live: number[], atLeast: number, what: string, ms = 60_000) =>
    waitFor(async () => ((await heights(live)).every((h) => h >= atLeast) ? true : undefined), what, ms, 100)

  /** Blocks 1..top as each node has them: all must be the same hashes. */
  async function expectSameChain(live: number[], top: number): Promise<RpcBlock[]> {
    const chains = await Promise.all(live.map((i) => blocks(url(i), 1, top)))
    for (const chain of chains.slice(1)) expect(chain.map((b) => b.hash)).toEqual(chains[0].map((b) => b.hash))
    return chains[0]
  }

  async function sendSigned(to: number, req: Parameters<Wallet['signTransaction']>[0]): Promise<string> {
    const f = await fees(url(to))
    const nonce = await nonceOf(url(to), deployer.address, 'pending')
    const raw = await deployer.signTransaction({ chainId: CHAIN_ID, nonce, type: 2, maxFeePerGas: f.maxFeePerGas, maxPriorityFeePerGas: f.maxPriorityFeePerGas, gasLimit: 2_000_000n, ...req })
    const hash = await rpc<string>(url(to), 'eth_sendRawTransaction', [raw])
    expect(hash).toBe(keccak256(raw))
    return hash
  }

  beforeAll(async () => {
    dir = makeTempDir('validators')
    net = (await prepareLocalnet(dir, { timing: TIMING, scryptN: 1 << 10 })).localnet
    ports = await distinctPorts(5)
    bootnodeList = bootnodes(net, (i) => `/ip4/127.0.0.1/tcp/${ports[i].p2p}`)
    await Promise.all([0, 1, 2, 3].map(start))
  }, 90_000)

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n?.stop()))
    removeDir(dir)
  })

  it('decide the same blocks at every height, with a contract and its logs sent to one of them', { timeout: 180_000 }, async () => {
    expect(nodes.map((n) => n!.role)).toEqual(net.validators.map((v) => `validator ${v.address}`))
    await until([0, 1, 2, 3], 5, 'five blocks on every validator')
    const nonce = await nonceOf(url(1), deployer.address)
    const deployArgs = iface.encodeDeploy(['Validators Token', 'VAL', 1_000_000n]).slice(2)
    const deployHash = await sendSigned(1, { data: compileToken().bytecode + deployArgs })
    token = getCreateAddress({ from: deployer.address, nonce })
    const transferHash = await sendSigned(2, { to: token, data: iface.encodeFunctionData('transfer', [DEV_ADDRESSES[1], 1234n]) })
    // Each validator got one transaction; the receipts are read from another.
    expect((await waitForReceipt(url(0), deployHash)).status).toBe('0x1')
    const transfer = await waitForReceipt(url(3), transferHash)
    expect(transfer.logs).toHaveLength(1)
    const top = Number(transfer.blockNumber)
    await until([0, 1, 2, 3], top, 'the transfer block on every validator')
    const chain = await expectSameChain([0, 1, 2, 3], top)
    expect(chain.every((b) => net.validators.some((v) => v.address === b.miner))).toBe(true)
    expect(new Set(chain.map((b) => b.miner)).size).toBeGreaterThanOrEqual(3)
  })

  it('kill -9 of one: the others go on; restarted on its datadir it catches up, proposes again, and agrees', { timeout: 180_000 }, async () => {
    const victim = 3
    const peerId = nodes[victim]!.peerId
    await nodes[victim]!.kill()
    const from = await blockNumber(url(0))
    await until([0, 1, 2], from + 3, 'three blocks without the killed validator')
    await start(victim)
    expect(nodes[victim]!.peerId).toBe(peerId)
    const restartedAt = await blockNumber(url(0))
    await until([victim], restartedAt, 'the restarted validator catching up')
    // Proposers rotate over the four: within a few heights one of the new blocks is the victim's.
    const proposed = await waitFor(
      async () => (await blocks(url(0), restartedAt + 1, await blockNumber(url(0)))).find((b) => b.miner === net.validators[victim].address),
      'a block proposed by the restarted validator',
      30_000,
      250,
    )
    await until([0, 1, 2, 3], Number((await rpc<{ number: string }>(url(0), 'eth_getBlockByHash', [proposed.hash, false])).number), 'its block everywhere')
    await expectSameChain([0, 1, 2, 3], Math.min(...(await heights([0, 1, 2, 3]))))
  })

  it('two of four stopped: the chain halts; one back: it resumes', { timeout: 180_000 }, async () => {
    expect(await nodes[2]!.stop()).toBe(0)
    expect(await nodes[3]!.stop()).toBe(0)
    const halted = await waitFor(async () => {
      const before = await heights([0, 1])
      await sleep(1_000)
      const after = await heights([0, 1])
      return after.join() === before.join() ? Math.max(...after) : undefined
    }, 'the head to stop moving', 20_000, 0)
    await sleep(10 * TIMING.blockPeriodMs)
    expect(Math.max(...(await heights([0, 1])))).toBe(halted)
    await start(2)
    await until([0, 1, 2], halted + 3, 'three more blocks with three validators', 90_000)
    await expectSameChain([0, 1, 2], halted + 3)
  })

  it('a stopped validator datadir refuses another genesis', async () => {
    const other = JSON.parse(readFileSync(genesisFile(net), 'utf8'))
    other.alloc['0x000000000000000000000000000000000000beef'] = { balance: '0x1' }
    const otherFile = path.join(dir, 'other-genesis.json')
    writeFileSync(otherFile, JSON.stringify(other))
    const args = runArgs(net, net.validators[3], ports[3], bootnodeList).map((a) => (a === genesisFile(net) ? otherFile : a))
    const { code, stderr } = await olnode(args, 30_000)
    expect(code).toBe(1)
    expect(stderr.trim()).toMatch(/^olnode: the datadir holds a chain with genesis 0x[0-9a-f]{64}, but the genesis given hashes to 0x[0-9a-f]{64}/)
    expect(stderr.trim().split('\n')).toHaveLength(1)
  })

  it('a full node started later syncs to the head and serves the same balances and logs', { timeout: 180_000 }, async () => {
    await until([0], 30, 'thirty blocks', 90_000)
    const full = await start(FULL)
    expect(full.role).toBe('full node (not validating)')
    const target = await blockNumber(url(0))
    await until([FULL], target, 'the full node syncing', 60_000)
    await expectSameChain([0, FULL], target)
    const tag = toQuantity(target)
    const accounts = [...DEV_ADDRESSES.slice(0, 3), token, ...net.validators.map((v) => v.address)]
    const balances = (i: number) => rpcBatch<string>(url(i), accounts.map((a) => ['eth_getBalance', [a, tag]]))
    expect(await balances(FULL)).toEqual(await balances(0))
    const logs = (i: number) => rpc<RpcLog[]>(url(i), 'eth_getLogs', [{ fromBlock: '0x0', toBlock: tag }])
    const served = await logs(FULL)
    expect(served.length).toBeGreaterThanOrEqual(2)
    expect(served).toEqual(await logs(0))
    // Its identity is kept in its datadir: the same peer ID after a restart.
    expect(await full.stop()).toBe(0)
    expect((await start(FULL)).peerId).toBe(full.peerId)
  })
})

describe.runIf(IS_OLNODE).concurrent('olnode run refusals', () => {
  let dir: string
  let net: Localnet

  beforeAll(async () => {
    dir = makeTempDir('run-refusals')
    net = (await prepareLocalnet(dir, { scryptN: 1 << 10 })).localnet
  })

  afterAll(() => removeDir(dir))

  const validatorArgs = () => runArgs(net, net.validators[0], { host: '127.0.0.1', p2p: 0, rpc: 0 }, '')

  it('a wrong password: one line naming the keystore, exit 1', async () => {
    const wrong = path.join(dir, 'wrong.password')
    writeFileSync(wrong, 'guess\n')
    const { code, stdout, stderr } = await olnode(validatorArgs().map((a) => (a.endsWith('validator-0.password') ? wrong : a)), 30_000)
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe(`olnode: wrong password for ${path.join(dir, 'keys/validator-0.json')}\n`)
  })

  it('a usage error: one line naming the flag, exit 2', async () => {
    const { code, stderr } = await olnode(validatorArgs().filter((a) => !a.endsWith('.password') && a !== '--password-file'), 30_000)
    expect(code).toBe(2)
    expect(stderr).toBe('olnode: --validator-key needs --password-file F\n')
  })

  it('a genesis without validators: one line naming the field, exit 1', async () => {
    const { code, stderr } = await olnode(['run', '--datadir', path.join(dir, 'devnet'), '--genesis', 'genesis/devnet.json'], 30_000)
    expect(code).toBe(1)
    expect(stderr).toMatch(/^olnode: genesis: openledger\.consensus: missing: .*\n$/)
  })
})

/** Blocks from..to (inclusive) of the node at `url`, in one batch. */
async function blocks(url: string, from: number, to: number): Promise<RpcBlock[]> {
  if (to < from) return []
  return rpcBatch<RpcBlock>(url, Array.from({ length: to - from + 1 }, (_, k) => ['eth_getBlockByNumber', [toQuantity(from + k), false]]))
}

/** P2P and RPC ports for `count` nodes on 127.0.0.1, all different. */
async function distinctPorts(count: number): Promise<NodePorts[]> {
  const taken = new Set<number>()
  const next = async (): Promise<number> => {
    const port = await freePort()
    if (taken.has(port)) return next()
    taken.add(port)
    return port
  }
  const ports: NodePorts[] = []
  for (let i = 0; i < count; i++) ports.push({ host: '127.0.0.1', p2p: await next(), rpc: await next() })
  return ports
}
