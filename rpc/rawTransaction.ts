import { Common, type ChainConfig } from '@ethereumjs/common'
import { RLP, type Decoded, type Input } from '@ethereumjs/rlp'
import {
  TransactionType,
  create1559FeeMarketTxFromBytesArray,
  createAccessList2930TxFromBytesArray,
  createTxFromRLP,
  type TxOptions,
  type TypedTransaction,
} from '@ethereumjs/tx'
import { bytesToBigInt, concatBytes } from '@ethereumjs/util'
import { cryptoBackends } from '../node/crypto/backends.ts'
import { withMemoizedSender } from '../node/chain/senders.ts'
import { ServerError } from './errors.ts'

/**
 * Decodes as geth's Transaction.UnmarshalBinary: its envelope and RLP-shape errors, word for word.
 * A transaction signed for another chain is decoded under that chain id, so that the pool refuses
 * it with geth's "invalid sender: invalid chain id for signer" (ethereumjs refuses to decode it).
 * The sender, once recovered, is remembered, and `raw` is kept as the encoding (withMemoizedSender).
 */
export function decodeRawTx(nodeCommon: Common, raw: Uint8Array): TypedTransaction {
  const { chainId, fields } = checkEnvelope(raw)
  const common = chainId === undefined || chainId === nodeCommon.chainId() ? nodeCommon : commonWithChainId(nodeCommon, chainId)
  try {
    // Kept as the encoding: a view (gossip hands out slices of a received frame) would pin what it views.
    const encoded = raw.byteLength === raw.buffer.byteLength ? raw : raw.slice()
    return withMemoizedSender(txOf(raw, fields, { common, freeze: false }), encoded)
  } catch (err) {
    throw new ServerError(`invalid transaction: ${(err as Error).message.replace(/ \(tx type=.*$/s, '')}`)
  }
}

type FieldList = Extract<Decoded['data'], unknown[]>

/** The typed transactions built from the fields the envelope check decoded, so that their bytes are decoded once. */
const FROM_FIELDS = new Map<number, (fields: never, opts: TxOptions) => TypedTransaction>([
  [TransactionType.AccessListEIP2930, createAccessList2930TxFromBytesArray],
  [TransactionType.FeeMarketEIP1559, create1559FeeMarketTxFromBytesArray],
])

function txOf(raw: Uint8Array, fields: FieldList | undefined, opts: TxOptions): TypedTransaction {
  const fromFields = FROM_FIELDS.get(raw[0])
  if (!fromFields || !fields) return createTxFromRLP(raw, opts)
  return withSigningHash(fromFields(fields as never, opts), raw[0], fields.slice(0, -3))
}

/**
 * Makes `tx` answer the hash of the fields it was decoded from, less the signature, as the message its
 * signature signs. ethereumjs encodes them afresh from its bigints for each signature check; they are
 * the same bytes, since it takes no field with leading zeros (checkEnvelope refuses the chain id it
 * would). Hashed at once: both callers (RPC and gossip) recover the sender next, and a hash made on
 * first use kept the decoded fields, in its closure, alive as long as the transaction (in the pool,
 * until its block: 8 % of the bytes that outlived a young-generation GC under sustained load).
 */
function withSigningHash<T extends TypedTransaction>(tx: T, type: number, unsigned: Input[]): T {
  const hash = cryptoBackends.keccak256(concatBytes(Uint8Array.of(type), RLP.encode(unsigned)))
  ;(tx as { getMessageToVerifySignature: () => Uint8Array }).getMessageToVerifySignature = () => hash
  return tx
}

/** geth's name of a transaction type's payload, its RLP field count (blob: two encodings) and the Go type of its chain id (typed only). */
interface Payload {
  name: string
  fields?: number
  chainIdType?: string
}

const TX_PAYLOADS: ReadonlyMap<number, Payload> = new Map([
  [TransactionType.AccessListEIP2930, { name: 'AccessListTx', fields: 11, chainIdType: '*big.Int' }],
  [TransactionType.FeeMarketEIP1559, { name: 'DynamicFeeTx', fields: 12, chainIdType: '*big.Int' }],
  [TransactionType.BlobEIP4844, { name: 'BlobTx', chainIdType: '*uint256.Int' }],
  [TransactionType.EOACodeEIP7702, { name: 'SetCodeTx', fields: 13, chainIdType: '*uint256.Int' }],
])
const LEGACY_PAYLOAD: Payload = { name: 'LegacyTx', fields: 9 }

/**
 * Throws geth's error for a malformed envelope or payload list; returns the chain id it is signed for, if
 * any, and the fields it decoded, if they are a list.
 */
function checkEnvelope(raw: Uint8Array): { chainId?: bigint; fields?: FieldList } {
  const legacy = raw.length > 0 && raw[0] > 0x7f
  if (!legacy && raw.length <= 1) throw new ServerError('typed transaction too short')
  const payload = legacy ? LEGACY_PAYLOAD : TX_PAYLOADS.get(raw[0])
  if (!payload) throw new ServerError('transaction type not supported')
  let decoded: Decoded
  try {
    decoded = RLP.decode(legacy ? raw : raw.subarray(1), true)
  } catch (err) {
    if (/larger than the data/.test((err as Error).message)) throw new ServerError('rlp: value size exceeds available input length')
    return {} // other encoding faults: ethereumjs' decoder words them
  }
  const { data, remainder } = decoded
  if (remainder.length > 0) throw new ServerError('rlp: input contains more than one value')
  if (!Array.isArray(data)) throw new ServerError(`rlp: expected input list for types.${payload.name}`)
  if (payload.fields !== undefined && data.length < payload.fields) throw new ServerError(`rlp: too few elements for types.${payload.name}`)
  if (payload.fields !== undefined && data.length > payload.fields) throw new ServerError(`rlp: input list has too many elements for types.${payload.name}`)
  const field = legacy ? data[6] : data[0]
  if (!(field instanceof Uint8Array)) return { fields: data }
  // ethereumjs takes a typed chain id with leading zeros and re-encodes it without: the node would then
  // hold a transaction whose kept bytes, and so its hash and its block's transactions root, differ from
  // what every other node (re-encoding it) computes.
  if (!legacy && field[0] === 0) throw new ServerError(`rlp: non-canonical integer (leading zero bytes) for ${payload.chainIdType}, decoding into (types.${payload.name}).ChainID`)
  const value = bytesToBigInt(field)
  if (!legacy) return { chainId: value, fields: data }
  return { chainId: value >= 35n ? (value - 35n) / 2n : undefined, fields: data } // EIP-155 v; 27/28 carry no chain id
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
