/**
 * ERC-20 life cycle through ethers v6: deploy, read, transfer, approve/transferFrom, eth_getLogs,
 * and WebSocket subscriptions (ethers' contract.on and raw eth_subscribe logs/newHeads).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Contract, ContractFactory, EventLog, Interface, JsonRpcProvider, Wallet, WebSocketProvider, getCreateAddress, zeroPadValue, id as keccakId, type TransactionReceipt } from 'ethers'
import { compileToken } from '../fixtures/compile.ts'
import { CHAIN_ID, DEV_ADDRESSES, DEV_BALANCE, DEV_KEYS, KIND, WsRpc, rpc, sleep, startDevnet, withTimeout, type DevnetProcess, type RpcLog } from './helpers.ts'

const SUPPLY = 1_000_000n * 10n ** 18n
const TRANSFER_TOPIC = keccakId('Transfer(address,address,uint256)')
const APPROVAL_TOPIC = keccakId('Approval(address,address,uint256)')

describe(`ERC-20 through ethers v6 (${KIND})`, () => {
  let devnet: DevnetProcess
  let provider: JsonRpcProvider
  let deployer: Wallet
  let token: Contract
  let tokenAddress: string
  let deployReceipt: TransactionReceipt
  let transferReceipt: TransactionReceipt
  const { abi, bytecode } = compileToken()
  const iface = new Interface(abi as any)
  const [, alice, bob, carol] = DEV_ADDRESSES

  beforeAll(async () => {
    devnet = await startDevnet()
    provider = new JsonRpcProvider(devnet.url, CHAIN_ID, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 })
    deployer = new Wallet(DEV_KEYS[0], provider)
  })

  afterAll(async () => {
    provider?.destroy()
    await devnet?.stop()
  })

  it('reports chain id 1337 and the funded dev account', async () => {
    expect((await provider.getNetwork()).chainId).toBe(BigInt(CHAIN_ID))
    expect(await rpc(devnet.url, 'eth_chainId')).toBe('0x539')
    // Nothing has been spent yet by account 0 in this process.
    expect(await provider.getBalance(deployer.address)).toBe(DEV_BALANCE)
  })

  it('deploys the token at the CREATE address and mints the supply to the deployer', async () => {
    const nonce = await provider.getTransactionCount(deployer.address)
    const factory = new ContractFactory(abi as any, bytecode, deployer)
    const deployed = await factory.deploy('Open Token', 'OTK', SUPPLY)
    await deployed.waitForDeployment()
    tokenAddress = await deployed.getAddress()
    token = new Contract(tokenAddress, abi as any, deployer)
    expect(tokenAddress).toBe(getCreateAddress({ from: deployer.address, nonce }))

    deployReceipt = (await deployed.deploymentTransaction()!.wait())!
    expect(deployReceipt.status).toBe(1)
    expect(deployReceipt.contractAddress).toBe(tokenAddress)
    expect(deployReceipt.to).toBeNull()
    // The constructor's mint event: Transfer(0x0 -> deployer, SUPPLY).
    expect(deployReceipt.logs).toHaveLength(1)
    const mint = iface.parseLog(deployReceipt.logs[0])!
    expect(mint.name).toBe('Transfer')
    expect(mint.args.from).toBe('0x0000000000000000000000000000000000000000')
    expect(mint.args.to).toBe(deployer.address)
    expect(mint.args.value).toBe(SUPPLY)

    const code = await provider.getCode(tokenAddress)
    expect(code.length).toBe(compileToken().deployedBytecode.length)

    expect(await token.name()).toBe('Open Token')
    expect(await token.symbol()).toBe('OTK')
    expect(await token.decimals()).toBe(18n)
    expect(await token.totalSupply()).toBe(SUPPLY)
    expect(await token.owner()).toBe(deployer.address)
    expect(await token.balanceOf(deployer.address)).toBe(SUPPLY)
    expect(await token.balanceOf(alice)).toBe(0n)
  })

  it('transfers and updates both balances; the receipt carries the Transfer log', async () => {
    const tx = await token.transfer(alice, 1234n)
    transferReceipt = (await tx.wait())!
    expect(transferReceipt.status).toBe(1)
    expect(transferReceipt.hash).toBe(tx.hash)
    expect(transferReceipt.logs).toHaveLength(1)
    const log = transferReceipt.logs[0]
    expect(log.address).toBe(tokenAddress)
    expect(log.topics).toEqual([TRANSFER_TOPIC, zeroPadValue(deployer.address, 32).toLowerCase(), zeroPadValue(alice, 32).toLowerCase()])
    expect(BigInt(log.data)).toBe(1234n)
    expect(log.blockHash).toBe(transferReceipt.blockHash)
    expect(log.transactionHash).toBe(tx.hash)

    expect(await token.balanceOf(alice)).toBe(1234n)
    expect(await token.balanceOf(deployer.address)).toBe(SUPPLY - 1234n)
    expect(await token.totalSupply()).toBe(SUPPLY)
  })

  it('approve + transferFrom moves tokens and spends the allowance', async () => {
    const asAlice = token.connect(new Wallet(DEV_KEYS[1], provider)) as Contract
    const r1 = (await (await asAlice.approve(bob, 1000n)).wait())!
    expect(r1.status).toBe(1)
    expect(r1.logs[0].topics[0]).toBe(APPROVAL_TOPIC)
    const approval = iface.parseLog(r1.logs[0])!
    expect([approval.args.owner, approval.args.spender, approval.args.value]).toEqual([alice, bob, 1000n])
    expect(await token.allowance(alice, bob)).toBe(1000n)

    const asBob = token.connect(new Wallet(DEV_KEYS[2], provider)) as Contract
    const r2 = (await (await asBob.transferFrom(alice, carol, 400n)).wait())!
    expect(r2.status).toBe(1)
    const moved = iface.parseLog(r2.logs[0])!
    expect([moved.args.from, moved.args.to, moved.args.value]).toEqual([alice, carol, 400n])
    expect(await token.allowance(alice, bob)).toBe(600n)
    expect(await token.balanceOf(alice)).toBe(834n)
    expect(await token.balanceOf(carol)).toBe(400n)
  })

  it('eth_getLogs returns every Transfer in chain order, filterable by indexed topics', async () => {
    const logs = await provider.getLogs({ address: tokenAddress, fromBlock: 0, toBlock: 'latest', topics: [TRANSFER_TOPIC] })
    const decoded = logs.map((l) => iface.parseLog(l)!.args)
    expect(decoded.map((a) => [a.from, a.to, a.value])).toEqual([
      ['0x0000000000000000000000000000000000000000', deployer.address, SUPPLY],
      [deployer.address, alice, 1234n],
      [alice, carol, 400n],
    ])
    expect(logs[0].transactionHash).toBe(deployReceipt.hash)
    expect(logs[0].blockNumber).toBe(deployReceipt.blockNumber)
    expect(logs[1].transactionHash).toBe(transferReceipt.hash)
    expect(logs[1].blockHash).toBe(transferReceipt.blockHash)
    expect(logs[1].index).toBe(transferReceipt.logs[0].index)
    for (let i = 1; i < logs.length; i++) {
      expect(logs[i].blockNumber > logs[i - 1].blockNumber || (logs[i].blockNumber === logs[i - 1].blockNumber && logs[i].index > logs[i - 1].index)).toBe(true)
    }

    // Filter on the indexed `to` through queryFilter.
    const toAlice = await token.queryFilter(token.filters.Transfer(null, alice), 0, 'latest')
    expect(toAlice).toHaveLength(1)
    expect(toAlice[0]).toBeInstanceOf(EventLog)
    expect((toAlice[0] as EventLog).args.value).toBe(1234n)
    expect(toAlice[0].transactionHash).toBe(transferReceipt.hash)

    // A block range that excludes the transfers returns only the mint.
    const onlyDeploy = await provider.getLogs({ address: tokenAddress, fromBlock: deployReceipt.blockNumber, toBlock: deployReceipt.blockNumber })
    expect(onlyDeploy.map((l) => l.transactionHash)).toEqual([deployReceipt.hash])
    // Another address has no logs.
    expect(await provider.getLogs({ address: alice, fromBlock: 0, toBlock: 'latest' })).toEqual([])
  })

  it('ethers WebSocketProvider: contract.on("Transfer") receives a new transfer', async () => {
    const wsProvider = new WebSocketProvider(devnet.wsUrl, CHAIN_ID, { staticNetwork: true })
    try {
      const wsToken = new Contract(tokenAddress, abi as any, wsProvider)
      let onTransfer: (got: { from: string; to: string; value: bigint; hash: string }) => void = () => {}
      const received = new Promise<{ from: string; to: string; value: bigint; hash: string }>((resolve) => (onTransfer = resolve))
      await wsToken.on('Transfer', (from: string, to: string, value: bigint, ev: { log: { transactionHash: string } }) => {
        onTransfer({ from, to, value, hash: ev.log.transactionHash })
      })
      // ethers sends eth_subscribe without awaiting it; a round trip on the same socket (plus a short
      // grace period) makes sure the subscription is installed before the transfer is mined.
      await wsProvider.send('eth_blockNumber', [])
      await sleep(200)
      const tx = await token.transfer(bob, 77n)
      await tx.wait()
      const got = await withTimeout(received, 15_000, 'Transfer event over WebSocket')
      expect(got).toEqual({ from: deployer.address, to: bob, value: 77n, hash: tx.hash })
      await wsToken.removeAllListeners()
    } finally {
      await wsProvider.destroy()
    }
  })

  it('raw eth_subscribe: newHeads and logs notifications describe the new block and log', async () => {
    const ws = await WsRpc.connect(devnet.wsUrl)
    try {
      expect(await ws.request('eth_chainId')).toBe('0x539')
      const heads = await ws.subscribe(['newHeads'])
      const logs = await ws.subscribe(['logs', { address: tokenAddress, topics: [TRANSFER_TOPIC, null, zeroPadValue(carol, 32)] }])
      expect(heads.id).not.toBe(logs.id)

      // A transfer to bob must not reach the `logs` subscription (it filters to == carol).
      const toBob = await (await token.transfer(bob, 1n)).wait()
      const tx = await token.transfer(carol, 5n)
      const receipt = (await tx.wait())!

      const head1 = await heads.next()
      expect(Number(head1.number)).toBe(toBob!.blockNumber)
      expect(head1.hash).toBe(toBob!.blockHash)
      const head2 = await heads.next()
      expect(Number(head2.number)).toBe(receipt.blockNumber)
      expect(head2.hash).toBe(receipt.blockHash)
      expect(head2.parentHash).toBe(head1.hash)
      expect(head2.stateRoot).toMatch(/^0x[0-9a-f]{64}$/)

      const log: RpcLog = await logs.next()
      expect(log.transactionHash).toBe(tx.hash)
      expect(log.address.toLowerCase()).toBe(tokenAddress.toLowerCase())
      expect(log.topics).toEqual([TRANSFER_TOPIC, zeroPadValue(deployer.address, 32).toLowerCase(), zeroPadValue(carol, 32).toLowerCase()])
      expect(BigInt(log.data)).toBe(5n)
      expect(Number(log.blockNumber)).toBe(receipt.blockNumber)
      expect(log.blockHash).toBe(receipt.blockHash)
      expect(log.removed ?? false).toBe(false)

      expect(await ws.request('eth_unsubscribe', [heads.id])).toBe(true)
      expect(await ws.request('eth_unsubscribe', [logs.id])).toBe(true)
    } finally {
      ws.close()
    }
  })
})
