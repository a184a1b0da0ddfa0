import type { Block } from '@ethereumjs/block'
import type { StateManagerInterface } from '@ethereumjs/common'
import { Account, createAddressFromString, hexToBytes, unpadBytes } from '@ethereumjs/util'
import { InvalidOverrideError } from './errors.ts'

/** One account's overrides (geth's override.OverrideAccount); storage keys and values are 32-byte hex. */
export interface AccountOverride {
  balance?: bigint
  nonce?: bigint
  code?: Uint8Array
  /** Replaces the whole storage. */
  state?: Record<string, string>
  /** Changes only these slots. */
  stateDiff?: Record<string, string>
}

/** Accounts to change before a call runs, by lowercase address. */
export type StateOverride = Record<string, AccountOverride>

/** Block context fields to replace for a call (geth's override.BlockOverrides). */
export interface BlockOverrides {
  number?: bigint
  /** Accepted and ignored after the merge, as geth does: DIFFICULTY reads prevRandao. */
  difficulty?: bigint
  time?: bigint
  gasLimit?: bigint
  feeRecipient?: string
  prevRandao?: string
  baseFeePerGas?: bigint
  blobBaseFee?: bigint
}

/** The coinbase and mixHash a block override sets, as header fields (undefined where not overridden). */
export function overriddenHeaderFields(o: BlockOverrides): { coinbase?: Uint8Array; mixHash?: Uint8Array } {
  return {
    coinbase: o.feeRecipient === undefined ? undefined : hexToBytes(o.feeRecipient as `0x${string}`),
    mixHash: o.prevRandao === undefined ? undefined : hexToBytes(o.prevRandao as `0x${string}`),
  }
}

/** BLOBBASEFEE reads the header's price, which ethereumjs derives from excessBlobGas: set it outright. */
export function overrideBlobBaseFee(block: Block, fee: bigint | undefined): void {
  if (fee !== undefined) block.header.getBlobGasPrice = () => fee
}

/**
 * Writes the overrides into `state`, as geth's StateOverride.Apply does: the caller runs this
 * inside a checkpoint it reverts, so the overrides last for one call only.
 */
export async function applyStateOverride(state: StateManagerInterface, overrides: StateOverride | undefined): Promise<void> {
  for (const [addressHex, account] of Object.entries(overrides ?? {})) {
    if (account.state !== undefined && account.stateDiff !== undefined) {
      throw new InvalidOverrideError(`account ${addressHex} has both 'state' and 'stateDiff'`)
    }
    const address = createAddressFromString(addressHex)
    if ((await state.getAccount(address)) === undefined) await state.putAccount(address, new Account())
    if (account.nonce !== undefined) await state.modifyAccountFields(address, { nonce: account.nonce })
    if (account.code !== undefined) await state.putCode(address, account.code)
    if (account.balance !== undefined) await state.modifyAccountFields(address, { balance: account.balance })
    if (account.state !== undefined) await state.clearStorage(address)
    for (const [slot, value] of Object.entries(account.state ?? account.stateDiff ?? {})) {
      await state.putStorage(address, hexToBytes(slot as `0x${string}`), unpadBytes(hexToBytes(value as `0x${string}`)))
    }
  }
}
