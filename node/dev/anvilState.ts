import { gunzipSync, gzipSync } from 'node:zlib'
import type { Block } from '@ethereumjs/block'
import { Address, bigIntToHex, bytesToHex, hexToBytes, setLengthLeft, type PrefixedHexString } from '@ethereumjs/util'
import type { AccountRecord } from '../execution/stateDump.ts'
import { InvalidStateDumpError } from './errors.ts'

/** anvil's SerializableAccountRecord. */
interface AnvilAccount {
  nonce: number | string
  balance: string
  code: string
  storage: Record<string, string>
}

/** anvil's SerializableState, as anvil_dumpState writes it (gzipped JSON); our blocks are not in it. */
interface AnvilState {
  block: Record<string, unknown> | null
  accounts: Record<string, AnvilAccount>
  best_block_number: number | null
  blocks: unknown[]
  transactions: unknown[]
}

const GZIP_MAGIC = [0x1f, 0x8b]

/** The state as anvil_dumpState answers it: gzipped JSON of the accounts, with the head block's environment. */
export function encodeAnvilState(accounts: AccountRecord[], head: Block): Uint8Array {
  const h = head.header
  const state: AnvilState = {
    block: {
      number: bigIntToHex(h.number),
      beneficiary: h.coinbase.toString(),
      timestamp: bigIntToHex(h.timestamp),
      gas_limit: bigIntToHex(h.gasLimit),
      basefee: bigIntToHex(h.baseFeePerGas ?? 0n),
      difficulty: bigIntToHex(h.difficulty),
      prevrandao: bytesToHex(h.mixHash),
    },
    accounts: Object.fromEntries(accounts.map((a) => [a.address.toString(), anvilAccount(a)])),
    best_block_number: Number(h.number),
    blocks: [],
    transactions: [],
  }
  return gzipSync(JSON.stringify(state))
}

/** The accounts of an anvil state dump, gzipped (as anvil writes it) or plain JSON (as anvil also reads it). */
export function decodeAnvilState(bytes: Uint8Array): AccountRecord[] {
  let state: Partial<AnvilState>
  try {
    const json = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1] ? gunzipSync(bytes) : bytes
    state = JSON.parse(new TextDecoder().decode(json)) as Partial<AnvilState>
  } catch {
    throw new InvalidStateDumpError('not gzipped JSON')
  }
  if (typeof state !== 'object' || state === null || typeof state.accounts !== 'object' || state.accounts === null) {
    throw new InvalidStateDumpError('no accounts')
  }
  return Object.entries(state.accounts).map(([address, account]) => accountRecord(address, account))
}

function anvilAccount(a: AccountRecord): AnvilAccount {
  return {
    nonce: Number(a.nonce),
    balance: bigIntToHex(a.balance),
    code: bytesToHex(a.code),
    storage: Object.fromEntries(a.storage.map(([slot, value]) => [bytesToHex(slot), bytesToHex(value)])),
  }
}

function accountRecord(address: string, account: AnvilAccount): AccountRecord {
  try {
    return {
      address: new Address(hexToBytes(address as PrefixedHexString)),
      nonce: BigInt(account.nonce ?? 0),
      balance: BigInt(account.balance ?? 0),
      code: hexToBytes((account.code ?? '0x') as PrefixedHexString),
      storage: Object.entries(account.storage ?? {}).map(([slot, value]) => [word(slot), word(value)]),
    }
  } catch (err) {
    throw new InvalidStateDumpError(`account ${address}: ${(err as Error).message}`)
  }
}

/** A slot or value as a 32-byte word; anvil writes them as B256 or U256 hex. */
function word(hex: string): Uint8Array {
  const digits = hex.replace(/^0x/, '')
  return setLengthLeft(hexToBytes(`0x${digits.length % 2 ? `0${digits}` : digits}`), 32)
}
