/** Sending the benchmark's transactions: a signer with its nonce, and one transaction timed to its receipt. */
import type { Wallet } from 'ethers'
import type { SignedTx } from '../accounts.ts'
import { nonceOf } from '../accounts.ts'
import type { RpcClient } from '../client.ts'
import { fastSigner, type CallFields, type FastSigner } from './signer.ts'

/** Short, so a figure of tens of ms is not rounded up by the poll; each poll is one tiny request. */
const POLL_MS = 2

export interface Account {
  signer: FastSigner
  nonce: number
}

export async function account(client: RpcClient, wallet: Wallet): Promise<Account> {
  return { signer: fastSigner(wallet), nonce: await nonceOf(client, wallet.address) }
}

export function signNext(from: Account, fields: CallFields): SignedTx {
  return from.signer.sign(from.nonce++, fields)
}

export interface Timed {
  ms: number
  gasUsed: bigint
  logs: { address: string; topics: string[]; data: string }[]
}

interface RawReceipt {
  status: string
  gasUsed: string
  logs: Timed['logs']
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Sends one transaction (automine on) and waits for its receipt: the time between, and what it used. */
export async function sendTimed(client: RpcClient, tx: SignedTx): Promise<Timed> {
  const start = performance.now()
  await client.call('eth_sendRawTransaction', [tx.raw])
  for (;;) {
    const receipt = await client.call<RawReceipt | null>('eth_getTransactionReceipt', [tx.hash])
    if (receipt) {
      const ms = performance.now() - start
      if (receipt.status !== '0x1') throw new Error(`transaction ${tx.hash} failed (gas used ${BigInt(receipt.gasUsed)})`)
      return { ms, gasUsed: BigInt(receipt.gasUsed), logs: receipt.logs }
    }
    await sleep(POLL_MS)
  }
}

export async function send(client: RpcClient, from: Account, fields: CallFields): Promise<Timed> {
  return sendTimed(client, signNext(from, fields))
}
