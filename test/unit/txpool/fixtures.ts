import { Mainnet, createCustomCommon, type Common } from '@ethereumjs/common'
import {
  createAccessList2930Tx,
  createFeeMarket1559Tx,
  createLegacyTx,
  type FeeMarket1559Tx,
  type LegacyTx,
} from '@ethereumjs/tx'
import { bytesToHex, hexToBytes, privateToAddress, type Address, type PrefixedHexString } from '@ethereumjs/util'
import { silentLogger } from '../../../node/logger.ts'
import { TxPool, type AccountReader, type PoolHead, type PoolLimits } from '../../../node/txpool/txPool.ts'

export const CHAIN_ID = 1337
export const common = createCustomCommon({ chainId: CHAIN_ID }, Mainnet, { hardfork: 'cancun' })

/** Accounts 0 and 1 of the 'test test … junk' mnemonic (anvil's and Hardhat's first two). */
export const KEY_A = hexToBytes('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
export const KEY_B = hexToBytes('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
export const ADDR_A = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
export const ADDR_B = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'

export const GWEI = 1_000_000_000n
export const TO: PrefixedHexString = '0x000000000000000000000000000000000000dead'
export const RICH = 10_000n * 10n ** 18n

/** The pool's state source: accounts by lower-case address; absent ones are empty. */
export class FakeState implements AccountReader {
  readonly accounts = new Map<string, { nonce: bigint; balance: bigint }>()
  reads = 0

  set(address: string, nonce: bigint, balance: bigint): void {
    this.accounts.set(address.toLowerCase(), { nonce, balance })
  }

  async getAccount(address: Address): Promise<{ nonce: bigint; balance: bigint }> {
    this.reads++
    return this.accounts.get(address.toString()) ?? { nonce: 0n, balance: 0n }
  }
}

export interface Harness {
  pool: TxPool
  state: FakeState
  head: PoolHead
  /** Hashes in the order the pool announced them as pending. */
  announced: string[]
}

export function makePool(opts: { limits?: Partial<PoolLimits>; common?: Common; rejectUnprotected?: boolean } = {}): Harness {
  const state = new FakeState()
  state.set(ADDR_A, 0n, RICH)
  state.set(ADDR_B, 0n, RICH)
  const head: PoolHead = { gasLimit: 30_000_000n, baseFee: GWEI }
  const pool = new TxPool({
    common: opts.common ?? common,
    state,
    head: () => head,
    logger: silentLogger(),
    limits: opts.limits,
    rejectUnprotected: opts.rejectUnprotected,
  })
  const announced: string[] = []
  pool.on('pending', (hash) => announced.push(hash))
  return { pool, state, head, announced }
}

interface TxFields {
  nonce?: bigint
  gasLimit?: bigint
  value?: bigint
  data?: Uint8Array
}

/** A signed EIP-1559 transfer; fees in wei. */
export function eip1559(
  key: Uint8Array,
  nonce: bigint,
  fees: { maxFee?: bigint; tip?: bigint } = {},
  fields: TxFields = {},
  txCommon: Common = common,
): FeeMarket1559Tx {
  return createFeeMarket1559Tx(
    {
      nonce,
      maxFeePerGas: fees.maxFee ?? 2n * GWEI,
      maxPriorityFeePerGas: fees.tip ?? GWEI,
      gasLimit: fields.gasLimit ?? 21_000n,
      to: TO,
      value: fields.value ?? 0n,
      data: fields.data,
    },
    { common: txCommon },
  ).sign(key)
}

/** A signed EIP-155 legacy transfer. */
export function legacy(key: Uint8Array, nonce: bigint, gasPrice = 2n * GWEI, fields: TxFields = {}, txCommon: Common = common): LegacyTx {
  return createLegacyTx(
    { nonce, gasPrice, gasLimit: fields.gasLimit ?? 21_000n, to: TO, value: fields.value ?? 0n, data: fields.data },
    { common: txCommon },
  ).sign(key)
}

export function accessList2930(key: Uint8Array, nonce: bigint, gasPrice = 2n * GWEI) {
  return createAccessList2930Tx(
    { nonce, gasPrice, gasLimit: 30_000n, to: TO, accessList: [{ address: TO, storageKeys: [] }] },
    { common },
  ).sign(key)
}

export function hex(hash: Uint8Array): string {
  return bytesToHex(hash)
}

export function addressOf(key: Uint8Array): string {
  return bytesToHex(privateToAddress(key))
}

/** `count` consecutive EIP-1559 transfers from `key`, nonces from `first`. */
export function series(key: Uint8Array, first: bigint, count: number) {
  return Array.from({ length: count }, (_, i) => eip1559(key, first + BigInt(i)))
}
