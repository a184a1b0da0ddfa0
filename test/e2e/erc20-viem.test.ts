/**
 * ERC-20 life cycle through viem v2: deployContract, writeContract, readContract, getLogs and
 * watchContractEvent over the webSocket transport.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Interface } from 'ethers'
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getContractAddress,
  http,
  parseEventLogs,
  toEventSelector,
  webSocket,
  type Hex,
  type PublicClient,
  type WalletClient,
  type Chain,
  type Transport,
  type Account,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { compileToken } from '../fixtures/compile.ts'
import { CHAIN_ID, DEV_ADDRESSES, DEV_BALANCE, DEV_KEYS, KIND, startDevnet, tokenAbi, withTimeout, sleep, type DevnetProcess } from './helpers.ts'

const SUPPLY = 21_000_000n * 10n ** 18n
const ZERO = '0x0000000000000000000000000000000000000000'

describe(`ERC-20 through viem v2 (${KIND})`, () => {
  let devnet: DevnetProcess
  let chain: Chain
  let publicClient: PublicClient<Transport, Chain>
  let wallet: WalletClient<Transport, Chain, Account>
  let token: Hex
  let deployBlock: bigint
  const account = privateKeyToAccount(DEV_KEYS[0])
  const [, alice, bob] = DEV_ADDRESSES
  const compiled = compileToken()

  beforeAll(async () => {
    devnet = await startDevnet()
    chain = defineChain({
      id: CHAIN_ID,
      name: `e2e ${KIND} devnet`,
      nativeCurrency: { name: 'OPEN', symbol: 'OPEN', decimals: 18 },
      rpcUrls: { default: { http: [devnet.url], webSocket: [devnet.wsUrl] } },
    })
    publicClient = createPublicClient({ chain, transport: http(devnet.url), pollingInterval: 100, cacheTime: 0 })
    wallet = createWalletClient({ chain, account, transport: http(devnet.url), pollingInterval: 100, cacheTime: 0 })
  })

  afterAll(async () => {
    await devnet?.stop()
  })

  it('the hand-written viem ABI matches what solc produced', () => {
    const fromSolc = new Interface(compiled.abi as any)
    const fromViem = new Interface(tokenAbi as any)
    const sigs = (i: Interface) => {
      const out: string[] = []
      i.forEachFunction((f) => out.push(f.format('full')))
      i.forEachEvent((e) => out.push(e.format('full')))
      i.forEachError((e) => out.push(e.format('full')))
      return out.sort()
    }
    expect(sigs(fromViem)).toEqual(sigs(fromSolc))
  })

  it('getChainId and the dev account balance', async () => {
    expect(await publicClient.getChainId()).toBe(CHAIN_ID)
    expect(await publicClient.getBalance({ address: account.address })).toBe(DEV_BALANCE)
  })

  it('deployContract puts the token at the CREATE address', async () => {
    const nonce = await publicClient.getTransactionCount({ address: account.address })
    const hash = await wallet.deployContract({ abi: tokenAbi, bytecode: compiled.bytecode, args: ['Viem Token', 'VTK', SUPPLY] })
    const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: 20_000 })
    expect(receipt.status).toBe('success')
    expect(receipt.contractAddress?.toLowerCase()).toBe(getContractAddress({ from: account.address, nonce: BigInt(nonce) }).toLowerCase())
    token = receipt.contractAddress!
    deployBlock = receipt.blockNumber

    const read = <T>(functionName: any, args?: readonly unknown[]) =>
      publicClient.readContract({ address: token, abi: tokenAbi, functionName, args } as any) as Promise<T>
    expect(await read<string>('name')).toBe('Viem Token')
    expect(await read<string>('symbol')).toBe('VTK')
    expect(await read<number>('decimals')).toBe(18)
    expect(await read<bigint>('totalSupply')).toBe(SUPPLY)
    expect((await read<string>('owner')).toLowerCase()).toBe(account.address.toLowerCase())
    expect(await read<bigint>('balanceOf', [account.address])).toBe(SUPPLY)
  })

  it('writeContract transfers; readContract sees both balances; the receipt log decodes', async () => {
    const { request, result } = await publicClient.simulateContract({ account, address: token, abi: tokenAbi, functionName: 'transfer', args: [alice, 5_000n] })
    expect(result).toBe(true)
    const hash = await wallet.writeContract(request)
    const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: 20_000 })
    expect(receipt.status).toBe('success')
    const events = parseEventLogs({ abi: tokenAbi, logs: receipt.logs, eventName: 'Transfer' })
    expect(events).toHaveLength(1)
    expect(events[0].args).toEqual({ from: account.address, to: alice, value: 5_000n })

    expect(await publicClient.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [alice] })).toBe(5_000n)
    expect(await publicClient.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [account.address] })).toBe(SUPPLY - 5_000n)
  })

  it('getLogs returns the mint and the transfer, with args decoded, and filters by args', async () => {
    const transferEvent = tokenAbi.find((x) => x.type === 'event' && x.name === 'Transfer')!
    const logs = await publicClient.getLogs({ address: token, event: transferEvent as any, fromBlock: 0n, toBlock: 'latest' })
    expect(logs.map((l) => (l as any).args)).toEqual([
      { from: ZERO, to: account.address, value: SUPPLY },
      { from: account.address, to: alice, value: 5_000n },
    ])
    expect(logs[0].blockNumber).toBe(deployBlock)
    expect(logs.every((l) => l.topics[0] === toEventSelector('Transfer(address,address,uint256)'))).toBe(true)

    const toAlice = await publicClient.getContractEvents({ address: token, abi: tokenAbi, eventName: 'Transfer', args: { to: alice }, fromBlock: 0n })
    expect(toAlice).toHaveLength(1)
    expect(toAlice[0].args.value).toBe(5_000n)

    const fromBob = await publicClient.getContractEvents({ address: token, abi: tokenAbi, eventName: 'Transfer', args: { from: bob }, fromBlock: 0n })
    expect(fromBob).toEqual([])
  })

  it('watchContractEvent over the webSocket transport delivers a new Transfer', async () => {
    const wsClient = createPublicClient({ chain, transport: webSocket(devnet.wsUrl) })
    let unwatch: () => void = () => {}
    try {
      let deliver: (v: { from: string; to: string; value: bigint; hash: string }) => void = () => {}
      const delivered = new Promise<{ from: string; to: string; value: bigint; hash: string }>((r) => (deliver = r))
      const errors: Error[] = []
      unwatch = wsClient.watchContractEvent({
        address: token,
        abi: tokenAbi,
        eventName: 'Transfer',
        args: { to: bob },
        onLogs: (logs) => {
          const l = logs[0]
          deliver({ from: l.args.from!, to: l.args.to!, value: l.args.value!, hash: l.transactionHash! })
        },
        onError: (e) => errors.push(e),
      })
      // viem subscribes asynchronously (eth_subscribe over the socket); give it a moment.
      await wsClient.getBlockNumber({ cacheTime: 0 })
      await sleep(300)

      const hash = await wallet.writeContract({ address: token, abi: tokenAbi, functionName: 'transfer', args: [bob, 42n] })
      await publicClient.waitForTransactionReceipt({ hash, timeout: 20_000 })
      const got = await withTimeout(delivered, 15_000, 'viem watchContractEvent')
      expect(got).toEqual({ from: account.address, to: bob, value: 42n, hash })
      expect(errors).toEqual([])
    } finally {
      unwatch()
      const rpcClient = await (wsClient.transport as any).getRpcClient?.()
      rpcClient?.close?.()
    }
  })
})
