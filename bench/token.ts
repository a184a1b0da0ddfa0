/**
 * Setup shared by the ERC-20 workloads (not timed): deploy BenchToken from dev account 0 and give each
 * sender a balance.
 */
import { Interface } from 'ethers'
import { deployer, nonceOf, senders, signTx } from './accounts.ts'
import type { RpcClient } from './client.ts'
import { compileBenchToken } from './contracts/compile.ts'
import { awaitSuccessfulReceipts } from './receipts.ts'

export const TOKEN_UNIT = 10n ** 18n
/** Each sender's balance: far more than its share of the timed transfers. */
export const SENDER_BALANCE = 1_000_000n * TOKEN_UNIT
/** balanceOf's answer for a sender, ABI-encoded as every node returns it (lower-case hex, 32 bytes). */
export const SENDER_BALANCE_WORD = `0x${SENDER_BALANCE.toString(16).padStart(64, '0')}`
/** Gas for BenchToken's creation, with room to spare. */
export const TOKEN_DEPLOY_GAS = 2_000_000n
/** A transfer to an empty balance costs about 52k gas (a fresh storage slot); room to spare. */
export const TOKEN_TRANSFER_GAS = 100_000n

const compiled = compileBenchToken()
export const tokenInterface = new Interface(compiled.abi)

/** BenchToken's creation code with its constructor's argument: `supply`, minted to the deployer. */
export function tokenCreationCode(supply: bigint): string {
  return compiled.bytecode + tokenInterface.encodeDeploy([supply]).slice(2)
}

async function sendAndAwait(client: RpcClient, raws: { raw: string; hash: string }[]) {
  for (const tx of raws) await client.call('eth_sendRawTransaction', [tx.raw])
  return awaitSuccessfulReceipts(client, raws.map((t) => t.hash))
}

/** Deploys the token, funds every sender, and returns the token's address. */
export async function deployAndDistribute(client: RpcClient): Promise<string> {
  const nonce = await nonceOf(client, deployer.address)
  const supply = SENDER_BALANCE * BigInt(senders.length)
  const deploy = await signTx(deployer, nonce, { data: tokenCreationCode(supply), gasLimit: TOKEN_DEPLOY_GAS })
  const [receipt] = await sendAndAwait(client, [deploy])
  const token = receipt.contractAddress
  if (!token) throw new Error('BenchToken deployment receipt has no contractAddress')
  const funding = await Promise.all(
    senders.map((s, i) =>
      signTx(deployer, nonce + 1 + i, {
        to: token,
        data: tokenInterface.encodeFunctionData('transfer', [s.address, SENDER_BALANCE]),
        gasLimit: TOKEN_TRANSFER_GAS,
      }),
    ),
  )
  await sendAndAwait(client, funding)
  return token
}
