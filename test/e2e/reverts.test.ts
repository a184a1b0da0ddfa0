/**
 * Revert reasons: a require string and a custom error, as raw JSON-RPC errors (eth_call and
 * eth_estimateGas), as decoded by ethers and by viem, and as a mined failed transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AbiCoder, Contract, ContractFactory, Interface, JsonRpcProvider, Wallet, id as keccakId } from 'ethers'
import { BaseError, ContractFunctionRevertedError, createPublicClient, defineChain, http, type Hex } from 'viem'
import { compileToken } from '../fixtures/compile.ts'
import { CHAIN_ID, DEV_ADDRESSES, DEV_KEYS, KIND, balanceOf, nonceOf, rpc, rpcError, startDevnet, tokenAbi, type DevnetProcess, type RpcReceipt } from './helpers.ts'

const SUPPLY = 1_000n
const coder = AbiCoder.defaultAbiCoder()
/** Error(string) as the EVM returns it for require(false, reason). */
const errorString = (reason: string) => (keccakId('Error(string)').slice(0, 10) + coder.encode(['string'], [reason]).slice(2)).toLowerCase()
/** Unauthorized(address) custom error data. */
const unauthorized = (caller: string) => (keccakId('Unauthorized(address)').slice(0, 10) + coder.encode(['address'], [caller]).slice(2)).toLowerCase()

describe(`revert reasons (${KIND})`, () => {
  let devnet: DevnetProcess
  let provider: JsonRpcProvider
  let token: Contract
  let tokenAddress: string
  const { abi, bytecode } = compileToken()
  const iface = new Interface(abi as any)
  const [owner, alice] = DEV_ADDRESSES

  // alice holds no tokens, so transfer(owner, 1) from alice fails the require; adminOnly() from alice
  // fails with Unauthorized(alice).
  const transferData = () => iface.encodeFunctionData('transfer', [owner, 1n])
  const adminData = () => iface.encodeFunctionData('adminOnly', [])

  beforeAll(async () => {
    devnet = await startDevnet()
    provider = new JsonRpcProvider(devnet.url, CHAIN_ID, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 })
    const deployer = new Wallet(DEV_KEYS[0], provider)
    const deployed = await new ContractFactory(abi as any, bytecode, deployer).deploy('Revert Token', 'RVT', SUPPLY)
    await deployed.waitForDeployment()
    tokenAddress = await deployed.getAddress()
    token = new Contract(tokenAddress, abi as any, deployer)
  })

  afterAll(async () => {
    provider?.destroy()
    await devnet?.stop()
  })

  it('the same calls succeed for the owner (the failures below are caused by the caller only)', async () => {
    const okTransfer = await rpc<string>(devnet.url, 'eth_call', [{ from: owner, to: tokenAddress, data: transferData() }, 'latest'])
    expect(BigInt(okTransfer)).toBe(1n) // returns true
    const okAdmin = await rpc<string>(devnet.url, 'eth_call', [{ from: owner, to: tokenAddress, data: adminData() }, 'latest'])
    expect(BigInt(okAdmin)).toBe(1n) // adminCalls + 1
    const gas = BigInt(await rpc<string>(devnet.url, 'eth_estimateGas', [{ from: owner, to: tokenAddress, data: transferData() }]))
    expect(gas > 21_000n && gas < 200_000n).toBe(true)
  })

  describe('raw JSON-RPC', () => {
    it('eth_call: require string -> code 3, "execution reverted: insufficient balance", data = Error(string)', async () => {
      const err = await rpcError(devnet.url, 'eth_call', [{ from: alice, to: tokenAddress, data: transferData() }, 'latest'])
      expect(err.code).toBe(3)
      expect(err.message).toBe('execution reverted: insufficient balance')
      expect(String(err.data).toLowerCase()).toBe(errorString('insufficient balance'))
    })

    it('eth_estimateGas: require string -> the same error', async () => {
      const err = await rpcError(devnet.url, 'eth_estimateGas', [{ from: alice, to: tokenAddress, data: transferData() }])
      expect(err.code).toBe(3)
      expect(err.message).toBe('execution reverted: insufficient balance')
      expect(String(err.data).toLowerCase()).toBe(errorString('insufficient balance'))
    })

    it('eth_call: custom error -> code 3, data = selector + ABI-encoded caller', async () => {
      const err = await rpcError(devnet.url, 'eth_call', [{ from: alice, to: tokenAddress, data: adminData() }, 'latest'])
      expect(err.code).toBe(3)
      // geth says just "execution reverted" for errors it cannot decode; anvil appends a description.
      expect(err.message.startsWith('execution reverted')).toBe(true)
      expect(String(err.data).toLowerCase()).toBe(unauthorized(alice))
      expect(String(err.data).slice(0, 10)).toBe('0x8e4a23d6')
    })

    it('eth_estimateGas: custom error -> the same error', async () => {
      const err = await rpcError(devnet.url, 'eth_estimateGas', [{ from: alice, to: tokenAddress, data: adminData() }])
      expect(err.code).toBe(3)
      expect(err.message.startsWith('execution reverted')).toBe(true)
      expect(String(err.data).toLowerCase()).toBe(unauthorized(alice))
    })

    it('transferFrom without allowance -> "insufficient allowance" (another require string)', async () => {
      const data = iface.encodeFunctionData('transferFrom', [owner, alice, 1n])
      const err = await rpcError(devnet.url, 'eth_call', [{ from: alice, to: tokenAddress, data }, 'latest'])
      expect(err.code).toBe(3)
      expect(err.message).toBe('execution reverted: insufficient allowance')
      expect(String(err.data).toLowerCase()).toBe(errorString('insufficient allowance'))
    })
  })

  describe('ethers v6', () => {
    const asAlice = () => token.connect(new Wallet(DEV_KEYS[1], provider)) as Contract

    it('staticCall and estimateGas expose the require reason', async () => {
      for (const attempt of [() => asAlice().transfer.staticCall(owner, 1n), () => asAlice().transfer.estimateGas(owner, 1n)]) {
        const e = await attempt().then(
          () => null,
          (x: any) => x,
        )
        expect(e).not.toBeNull()
        expect(e.code).toBe('CALL_EXCEPTION')
        expect(e.reason).toBe('insufficient balance')
        expect(e.revert?.name).toBe('Error')
        expect(e.revert?.args?.[0]).toBe('insufficient balance')
      }
    })

    it('staticCall decodes the custom error with its argument', async () => {
      const e: any = await asAlice().adminOnly.staticCall().then(
        () => null,
        (x: any) => x,
      )
      expect(e?.code).toBe('CALL_EXCEPTION')
      expect(e.revert?.name).toBe('Unauthorized')
      expect(e.revert?.signature).toBe('Unauthorized(address)')
      expect(e.revert?.args?.[0]).toBe(alice)
      expect(iface.parseError(e.data)?.name).toBe('Unauthorized')
    })
  })

  describe('viem v2', () => {
    const chain = () =>
      defineChain({ id: CHAIN_ID, name: 'e2e', nativeCurrency: { name: 'OPEN', symbol: 'OPEN', decimals: 18 }, rpcUrls: { default: { http: [devnet.url] } } })

    async function revertOf(p: Promise<unknown>): Promise<ContractFunctionRevertedError> {
      const e = await p.then(
        () => null,
        (x: unknown) => x,
      )
      expect(e).toBeInstanceOf(BaseError)
      const reverted = (e as BaseError).walk((x) => x instanceof ContractFunctionRevertedError)
      expect(reverted).toBeInstanceOf(ContractFunctionRevertedError)
      return reverted as ContractFunctionRevertedError
    }

    it('simulateContract and estimateContractGas: require reason', async () => {
      const client = createPublicClient({ chain: chain(), transport: http(devnet.url) })
      const args = { account: alice as Hex, address: tokenAddress as Hex, abi: tokenAbi, functionName: 'transfer', args: [owner as Hex, 1n] } as const
      for (const attempt of [() => client.simulateContract(args), () => client.estimateContractGas(args)]) {
        const r = await revertOf(attempt())
        expect(r.reason).toBe('insufficient balance')
        expect(r.data?.errorName).toBe('Error')
      }
    })

    it('simulateContract and estimateContractGas: custom error name and args', async () => {
      const client = createPublicClient({ chain: chain(), transport: http(devnet.url) })
      const args = { account: alice as Hex, address: tokenAddress as Hex, abi: tokenAbi, functionName: 'adminOnly' } as const
      for (const attempt of [() => client.simulateContract(args), () => client.estimateContractGas(args)]) {
        const r = await revertOf(attempt())
        expect(r.data?.errorName).toBe('Unauthorized')
        expect(r.data?.args).toEqual([alice])
        expect(r.raw?.toLowerCase()).toBe(unauthorized(alice))
      }
    })
  })

  it('a reverting transaction that is mined anyway: status 0, no logs, nonce used, token state unchanged', async () => {
    const wallet = new Wallet(DEV_KEYS[1], provider)
    const nonceBefore = await nonceOf(devnet.url, alice)
    const ethBefore = await balanceOf(devnet.url, alice)
    // A fixed gas limit skips estimation, so the node must accept and mine the failing call.
    const tx = await wallet.sendTransaction({ to: tokenAddress, data: transferData(), gasLimit: 100_000n })
    const receipt = await provider.waitForTransaction(tx.hash, 1, 20_000)
    expect(receipt?.status).toBe(0)
    const raw = await rpc<RpcReceipt>(devnet.url, 'eth_getTransactionReceipt', [tx.hash])
    expect(raw.status).toBe('0x0')
    expect(raw.logs).toEqual([])
    const gasUsed = BigInt(raw.gasUsed)
    expect(gasUsed > 21_000n && gasUsed < 100_000n).toBe(true)
    expect(await nonceOf(devnet.url, alice)).toBe(nonceBefore + 1)
    // Only the fee was paid.
    expect(await balanceOf(devnet.url, alice)).toBe(ethBefore - gasUsed * BigInt(raw.effectiveGasPrice))
    expect(await token.balanceOf(alice)).toBe(0n)
    expect(await token.balanceOf(owner)).toBe(SUPPLY)
  })
})
