/** The chain the demo runs on: its own in-memory devnet in this process, or a node at a given RPC URL; and the dev accounts on it. */
import { createPublicClient, createWalletClient, defineChain, http, type Chain } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { DEV_MNEMONIC } from '../node/devAccounts.ts'
import { Node } from '../node/node.ts'
import { testNodeOptions } from '../node/options.ts'
import type { OpenLedgerClients } from '../precompiles/client.ts'
import type { Cast } from './story.ts'

export interface DemoChain {
  url: string
  close(): Promise<void>
}

/** A devnet of this process (in memory, automine, a free port of 127.0.0.1, dev accounts funded), or `rpcUrl`. */
export async function openChain(rpcUrl: string | undefined): Promise<DemoChain> {
  if (rpcUrl !== undefined) return { url: rpcUrl, close: async () => {} }
  const node = await Node.init(testNodeOptions())
  return { url: node.rpc!.url, close: () => node.close() }
}

/** The demo's parts played by dev accounts 0 to 6 of the devnet mnemonic, each with its own signing wallet client. */
export async function devCast(url: string): Promise<Cast> {
  const chain = await chainAt(url)
  const clientsOf = (index: number): OpenLedgerClients => ({
    public: createPublicClient({ chain, transport: http(url), pollingInterval: 50 }),
    wallet: createWalletClient({ chain, transport: http(url), account: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index }), pollingInterval: 50 }),
  })
  return {
    curator: clientsOf(0),
    contributors: [clientsOf(1), clientsOf(2), clientsOf(3)],
    modelOwner: clientsOf(4),
    agentOwner: clientsOf(5),
    user: clientsOf(6),
  }
}

async function chainAt(url: string): Promise<Chain> {
  const id = await createPublicClient({ transport: http(url) }).getChainId()
  return defineChain({ id, name: 'olnode', nativeCurrency: { name: 'OPEN', symbol: 'OPEN', decimals: 18 }, rpcUrls: { default: { http: [url] } } })
}
