import { Common, type ChainConfig } from '@ethereumjs/common'
import { RLP, type Decoded } from '@ethereumjs/rlp'
import { TransactionType, createTx, createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx'
import { bytesToBigInt, bytesToHex, createAddressFromString } from '@ethereumjs/util'
import { Wallet } from 'ethers'
import type { DevAccount } from '../../node/devAccounts.ts'
import { TxPoolError } from '../../node/txpool/errors.ts'
import type { RpcBackend } from '../backend.ts'
import { InvalidParamsError, ServerError } from '../errors.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { address, bytes, callRequest, type CallRequest, type Validator } from '../validators.ts'
import { asRpcErrors } from './executionErrors.ts'
import { SUGGESTED_TIP } from './fees.ts'

/** EIP-712 typed data: an object, or the same as a JSON string (MetaMask sends a string). */
const typedData: Validator<Record<string, unknown>> = {
  describe: 'typed data',
  parse(value, path) {
    let data = value
    if (typeof value === 'string') {
      try {
        data = JSON.parse(value)
      } catch {
        throw new InvalidParamsError(`invalid argument ${path}: typed data is not valid JSON`)
      }
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InvalidParamsError(`invalid argument ${path}: typed data must be an object`)
    return data as Record<string, unknown>
  },
}

/** Sending transactions, and signing with the accounts whose keys the node holds (dev accounts). */
export function sendMethods(node: RpcBackend): MethodTable {
  const signer = (addr: string): Wallet => {
    const account = node.devAccounts.find((a) => a.address === addr.toLowerCase())
    if (!account) throw new ServerError('unknown account')
    return walletOf(account)
  }
  const submit = async (tx: TypedTransaction) => {
    try {
      return bytesToHex(await node.txpool.add(tx))
    } catch (err) {
      if (err instanceof TxPoolError) throw new ServerError(err.message)
      throw err
    }
  }
  return {
    eth_accounts: defineMethod([], () => node.devAccounts.map((a) => a.address)),
    eth_sendRawTransaction: defineMethod([bytes], ([raw]) => submit(decodeRawTx(node, raw))),
    eth_sendTransaction: defineMethod([callRequest], async ([req]) => {
      if (!req.from) throw new InvalidParamsError('invalid argument 0: from: missing sender')
      const key = signer(req.from).privateKey
      return submit(createTx(await fillTx(node, req), { common: node.common }).sign(Buffer.from(key.slice(2), 'hex')))
    }),
    eth_sign: defineMethod([address, bytes], ([addr, message]) => signer(addr).signMessageSync(message)),
    personal_sign: defineMethod([bytes, address], ([message, addr]) => signer(addr).signMessageSync(message)),
    eth_signTypedData_v4: defineMethod([address, typedData], async ([addr, data]) => {
      const { domain, types, message, primaryType } = data as { domain: object; types: Record<string, unknown>; message: Record<string, unknown>; primaryType?: unknown }
      if (!types || !message) throw new InvalidParamsError('invalid argument 1: typed data needs types and message')
      const { EIP712Domain: _domainType, ...messageTypes } = types
      // ethers infers the primary type and refuses types it cannot reach; MetaMask and geth sign primaryType.
      const signedTypes = typeof primaryType === 'string' ? typesReachableFrom(primaryType, messageTypes) : messageTypes
      try {
        return await signer(addr).signTypedData(domain ?? {}, signedTypes as never, message)
      } catch (err) {
        if (err instanceof ServerError) throw err
        throw new InvalidParamsError(`invalid argument 1: ${(err as Error).message}`)
      }
    }),
  }
}

/** `primaryType` and the struct types its fields refer to, recursively (EIP-712 encodeType's set). */
function typesReachableFrom(primaryType: string, types: Record<string, unknown>): Record<string, unknown> {
  const reached: Record<string, unknown> = {}
  const visit = (name: string) => {
    const fields = Object.hasOwn(types, name) ? types[name] : undefined
    if (Object.hasOwn(reached, name) || !Array.isArray(fields)) return
    reached[name] = fields
    for (const field of fields as { type?: unknown }[]) {
      if (typeof field?.type === 'string') visit(field.type.replace(/(\[\d*\])+$/, ''))
    }
  }
  visit(primaryType)
  return reached
}

function walletOf(account: DevAccount): Wallet {
  return new Wallet(bytesToHex(account.privateKey))
}

/**
 * Decodes as geth's Transaction.UnmarshalBinary: its envelope and RLP-shape errors, word for word.
 * A transaction signed for another chain is decoded under that chain id, so that the pool refuses
 * it with geth's "invalid sender: invalid chain id for signer" (ethereumjs refuses to decode it).
 */
function decodeRawTx(node: RpcBackend, raw: Uint8Array): TypedTransaction {
  const chainId = checkEnvelope(raw)
  const common = chainId === undefined || chainId === node.common.chainId() ? node.common : commonWithChainId(node.common, chainId)
  try {
    return createTxFromRLP(raw, { common })
  } catch (err) {
    throw new ServerError(`invalid transaction: ${(err as Error).message.replace(/ \(tx type=.*$/s, '')}`)
  }
}

/** geth's name of each transaction type's payload, and its RLP field count (blob: two encodings). */
const TX_PAYLOADS: ReadonlyMap<number, { name: string; fields?: number }> = new Map([
  [TransactionType.AccessListEIP2930, { name: 'AccessListTx', fields: 11 }],
  [TransactionType.FeeMarketEIP1559, { name: 'DynamicFeeTx', fields: 12 }],
  [TransactionType.BlobEIP4844, { name: 'BlobTx' }],
  [TransactionType.EOACodeEIP7702, { name: 'SetCodeTx', fields: 13 }],
])
const LEGACY_PAYLOAD = { name: 'LegacyTx', fields: 9 }

/** Throws geth's error for a malformed envelope or payload list; returns the chain id it is signed for, if any. */
function checkEnvelope(raw: Uint8Array): bigint | undefined {
  const legacy = raw.length > 0 && raw[0] > 0x7f
  if (!legacy && raw.length <= 1) throw new ServerError('typed transaction too short')
  const payload = legacy ? LEGACY_PAYLOAD : TX_PAYLOADS.get(raw[0])
  if (!payload) throw new ServerError('transaction type not supported')
  let decoded: Decoded
  try {
    decoded = RLP.decode(legacy ? raw : raw.subarray(1), true)
  } catch (err) {
    if (/larger than the data/.test((err as Error).message)) throw new ServerError('rlp: value size exceeds available input length')
    return undefined // other encoding faults: ethereumjs' decoder words them
  }
  const { data, remainder } = decoded
  if (remainder.length > 0) throw new ServerError('rlp: input contains more than one value')
  if (!Array.isArray(data)) throw new ServerError(`rlp: expected input list for types.${payload.name}`)
  if (payload.fields !== undefined && data.length < payload.fields) throw new ServerError(`rlp: too few elements for types.${payload.name}`)
  if (payload.fields !== undefined && data.length > payload.fields) throw new ServerError(`rlp: input list has too many elements for types.${payload.name}`)
  const field = legacy ? data[6] : data[0]
  if (!(field instanceof Uint8Array)) return undefined
  const value = bytesToBigInt(field)
  if (!legacy) return value
  return value >= 35n ? (value - 35n) / 2n : undefined // EIP-155 v; 27/28 carry no chain id
}

/** The node's chain rules under another chain id. */
function commonWithChainId(common: Common, chainId: bigint): Common {
  const chain: ChainConfig = {
    name: common.chainName(),
    chainId: chainId.toString(),
    genesis: common.genesis(),
    hardforks: common.hardforks(),
    bootstrapNodes: [],
    consensus: { type: common.consensusType(), algorithm: common.consensusAlgorithm() },
  }
  return new Common({ chain, hardfork: common.hardfork(), eips: common.eips() })
}

/** The fields eth_sendTransaction leaves out, filled as geth and anvil fill them. */
async function fillTx(node: RpcBackend, req: CallRequest) {
  const from = createAddressFromString(req.from!)
  const nonce = req.nonce ?? (await node.txpool.pendingNonce(from))
  const gasLimit = req.gas ?? (await asRpcErrors(() => node.execution.calls.estimateGas(req, node.chain.headBlock)))
  const common = { nonce, gasLimit, to: req.to as `0x${string}` | undefined, value: req.value ?? 0n, data: req.data ?? new Uint8Array() }
  if (req.gasPrice !== undefined) {
    return req.accessList ? { ...common, type: 1, gasPrice: req.gasPrice, accessList: req.accessList as never } : { ...common, type: 0, gasPrice: req.gasPrice }
  }
  const tip = req.maxPriorityFeePerGas ?? SUGGESTED_TIP
  const maxFeePerGas = req.maxFeePerGas ?? 2n * node.chain.headBlock.header.calcNextBaseFee() + tip
  return { ...common, type: 2, maxPriorityFeePerGas: tip, maxFeePerGas, accessList: (req.accessList ?? []) as never }
}
