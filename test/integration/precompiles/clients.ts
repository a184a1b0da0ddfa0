/**
 * viem clients on the in-process node for the precompile integration tests: dev-account wallets,
 * writes that are simulated (eth_call) then sent as real signed transactions, reads, and the custom
 * error a call reverts with, decoded by viem from the precompile's ABI.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Abi,
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { expect } from 'vitest'
import type { TestNode } from '../../support/spawnNode.ts'
import { DEV_KEYS } from '../rpc/helpers.ts'

/** One precompile as the tests drive it: its address and ABI. */
export interface Target {
  address: Hex
  abi: Abi
}

export interface Clients {
  pub: PublicClient<Transport, Chain>
  wallets: WalletClient<Transport, Chain, Account>[]
}

/** A public client and wallets of the first `count` dev accounts. */
export function clientsFor(t: TestNode, count = 3): Clients {
  const chain = defineChain({ id: 1337, name: 'olnode test', nativeCurrency: { name: 'OPEN', symbol: 'OPEN', decimals: 18 }, rpcUrls: { default: { http: [t.url] } } })
  const transport = http(t.url)
  return {
    pub: createPublicClient({ chain, transport, pollingInterval: 50, cacheTime: 0 }),
    wallets: DEV_KEYS.slice(0, count).map((key) => createWalletClient({ chain, account: privateKeyToAccount(key as Hex), transport, pollingInterval: 50, cacheTime: 0 })),
  }
}

/** Simulates (eth_call, which must succeed), then sends and mines; resolves to the simulated result and the receipt. */
export async function write(c: Clients, to: Target, who: number, functionName: string, args: readonly unknown[], value?: bigint): Promise<{ result: any; receipt: any }> {
  const wallet = c.wallets[who]
  const { result, request } = await c.pub.simulateContract({ address: to.address, abi: to.abi, functionName, args, value, account: wallet.account } as any)
  const hash = await wallet.writeContract(request as any)
  const receipt = await c.pub.waitForTransactionReceipt({ hash, pollingInterval: 50 })
  expect(receipt.status).toBe('success')
  return { result, receipt }
}

export function read(c: Clients, to: Target, functionName: string, args: readonly unknown[] = []): Promise<any> {
  return c.pub.readContract({ address: to.address, abi: to.abi, functionName, args } as any)
}

/** The custom error a simulated call reverts with, decoded by viem from the precompile's ABI. */
export async function revertOf(c: Clients, to: Target, who: number, functionName: string, args: readonly unknown[], value?: bigint): Promise<{ errorName: string; args: readonly unknown[] }> {
  try {
    await c.pub.simulateContract({ address: to.address, abi: to.abi, functionName, args, value, account: c.wallets[who].account } as any)
  } catch (err) {
    const reverted = (err as BaseError).walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null
    if (!reverted?.data) throw err
    return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] }
  }
  throw new Error(`${functionName} did not revert`)
}

export const address = (c: Clients, who: number) => c.wallets[who].account.address
