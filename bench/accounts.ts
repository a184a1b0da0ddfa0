/**
 * The dev accounts both nodes fund at genesis, and pre-signing of EIP-1559 transactions with ethers.
 * Signing happens before any clock starts: it is the client's cost, not the node's.
 */
import { HDNodeWallet, Mnemonic, Wallet, getBytes, keccak256 } from 'ethers'
import type { RpcClient } from './client.ts'
import { CHAIN_ID, SENDERS } from './config.ts'

const MNEMONIC = 'test test test test test test test test test test test junk'
const GWEI = 1_000_000_000n
/** Well above both nodes' starting base fee (1 gwei on anvil), so nothing waits on the fee market. */
export const MAX_FEE_PER_GAS = 10n * GWEI
export const MAX_PRIORITY_FEE_PER_GAS = 1n * GWEI

/** Dev accounts 0..9 (m/44'/60'/0'/0/i), derived once: the seed derivation is the slow part. */
const devWallets: Wallet[] = (() => {
  const base = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(MNEMONIC), "m/44'/60'/0'/0")
  return Array.from({ length: 10 }, (_, i) => new Wallet(base.deriveChild(i).privateKey))
})()

/** Account 0 deploys and funds; accounts 1..8 are the senders, so their nonces start at 0. */
export const deployer = devWallets[0]
export const senders = devWallets.slice(1, 1 + SENDERS)

export interface TxFields {
  to?: string
  value?: bigint
  data?: string
  gasLimit: bigint
}

export interface SignedTx {
  raw: string
  hash: string
}

export async function signTx(wallet: Wallet, nonce: number, fields: TxFields): Promise<SignedTx> {
  const raw = await wallet.signTransaction({
    type: 2,
    chainId: CHAIN_ID,
    nonce,
    maxFeePerGas: MAX_FEE_PER_GAS,
    maxPriorityFeePerGas: MAX_PRIORITY_FEE_PER_GAS,
    ...fields,
  })
  return { raw, hash: keccak256(getBytes(raw)) }
}

export async function nonceOf(client: RpcClient, address: string): Promise<number> {
  return Number(await client.call<string>('eth_getTransactionCount', [address, 'latest']))
}

/** A distinct fresh address per index, clear of the EVM and OpenLedger precompile ranges. */
export function recipient(i: number): string {
  return keccak256(new TextEncoder().encode(`olnode-bench-recipient-${i}`)).slice(0, 42)
}
