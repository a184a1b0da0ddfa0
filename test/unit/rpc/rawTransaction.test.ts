import { RLP } from '@ethereumjs/rlp'
import { createTx, createTxFromRLP, type TypedTxData } from '@ethereumjs/tx'
import { concatBytes, equalsBytes } from '@ethereumjs/util'
import { describe, expect, it, vi } from 'vitest'
import { devnetGenesis } from '../../../genesis/genesis.ts'
import { cryptoBackends } from '../../../node/crypto/backends.ts'
import { deriveDevAccounts } from '../../../node/devAccounts.ts'
import { createChainCommon } from '../../../node/execution/common.ts'
import { ServerError } from '../../../rpc/errors.ts'
import { decodeRawTx } from '../../../rpc/rawTransaction.ts'

const common = createChainCommon(devnetGenesis())
const [alice] = deriveDevAccounts(1)
const fields = { nonce: 7n, gasLimit: 21_000n, to: `0x${'11'.repeat(20)}` as const, value: 5n, data: '0xabcd' as const }
const kinds: Record<string, TypedTxData> = {
  'legacy, EIP-155': { ...fields, gasPrice: 10n ** 9n },
  'EIP-2930': { ...fields, type: 1, gasPrice: 10n ** 9n, accessList: [{ address: `0x${'22'.repeat(20)}`, storageKeys: [`0x${'00'.repeat(31)}01`] }] },
  'EIP-1559': { ...fields, type: 2, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n },
}
const signed = (data: TypedTxData) => createTx(data, { common }).sign(alice.privateKey).serialize()

/** The RLP list of `items` (each already encoded), behind the raw transaction's type byte if it has one. */
function relist(typed: boolean, type: number, items: Uint8Array[]): Uint8Array {
  const body = concatBytes(...items)
  // A list's header is a string's with 0x40 added to its first byte.
  const asString = RLP.encode(body)
  const header = concatBytes(Uint8Array.of(asString[0] + 0x40), asString.subarray(1, asString.length - body.length))
  return concatBytes(...(typed ? [Uint8Array.of(type)] : []), header, body)
}

/** `raw` with its nonce item replaced by `nonceItem` (bytes as they appear in the list). */
function withNonceItem(raw: Uint8Array, nonceItem: Uint8Array): Uint8Array {
  const typed = raw[0] <= 0x7f
  const items = (RLP.decode(typed ? raw.subarray(1) : raw) as Uint8Array[]).map((f) => RLP.encode(f))
  items[typed ? 1 : 0] = nonceItem
  return relist(typed, raw[0], items)
}

describe('decodeRawTx', () => {
  for (const [kind, data] of Object.entries(kinds)) {
    it(`${kind}: keeps the bytes it decoded as the encoding, which is the canonical one`, () => {
      const raw = signed(data)
      const tx = decodeRawTx(common, raw)
      expect(equalsBytes(tx.serialize(), raw)).toBe(true)
      expect(equalsBytes(tx.hash(), cryptoBackends.keccak256(raw))).toBe(true)
      expect(equalsBytes(createTxFromRLP(raw, { common }).serialize(), raw)).toBe(true)
    })

    it(`${kind}: keeps a copy of bytes that are a view into a larger buffer, not the buffer`, () => {
      const raw = signed(data)
      const frame = new Uint8Array(4096)
      frame.set(raw, 100)
      const kept = decodeRawTx(common, frame.subarray(100, 100 + raw.length)).serialize()
      expect(equalsBytes(kept, raw)).toBe(true)
      expect(kept.buffer.byteLength).toBe(raw.length)
    })

    // The kept bytes are the encoding only because no other bytes decode to the same transaction.
    it(`${kind}: refuses non-canonical encodings of a field`, () => {
      const raw = signed(data)
      expect(equalsBytes(withNonceItem(raw, RLP.encode(Uint8Array.of(7))), raw)).toBe(true)
      const variants = {
        'a leading zero': Uint8Array.of(0x82, 0x00, 0x07),
        'a single byte below 0x80 behind a prefix': Uint8Array.of(0x81, 0x07),
        'a long-form length for one byte': Uint8Array.of(0xb8, 0x01, 0x07),
      }
      for (const item of Object.values(variants)) expect(() => decodeRawTx(common, withNonceItem(raw, item))).toThrow(ServerError)
    })
  }

  it('signs over the fields it decoded: the same message and sender as ethereumjs, for typed transactions of every shape', () => {
    const accessList = [
      { address: `0x${'22'.repeat(20)}` as const, storageKeys: [`0x${'00'.repeat(31)}01` as const, `0x${'ff'.repeat(32)}` as const] },
      { address: `0x${'33'.repeat(20)}` as const, storageKeys: [] },
    ]
    const shapes: TypedTxData[] = [
      { type: 2, nonce: 0n, gasLimit: 21_000n, to: fields.to, value: 0n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n },
      { type: 2, nonce: 2n ** 64n - 2n, gasLimit: 30_000_000n, value: 10n ** 30n, data: `0x${'60'.repeat(300)}`, maxFeePerGas: 10n ** 12n, maxPriorityFeePerGas: 10n ** 9n, accessList },
      { type: 1, nonce: 1n, gasLimit: 100_000n, to: fields.to, value: 1n, data: '0x00', gasPrice: 1n, accessList },
      { type: 1, nonce: 255n, gasLimit: 60_000n, data: '0x6000', gasPrice: 10n ** 9n },
    ]
    for (const shape of shapes) {
      const raw = signed(shape)
      const ours = decodeRawTx(common, raw)
      const reencode = vi.spyOn(Object.getPrototypeOf(ours) as { raw: () => unknown }, 'raw')
      expect(ours.getSenderAddress().toString()).toBe(alice.address)
      expect(reencode).not.toHaveBeenCalled()
      reencode.mockRestore()
      const theirs = createTxFromRLP(raw, { common })
      expect(equalsBytes(ours.getMessageToVerifySignature(), theirs.getMessageToVerifySignature())).toBe(true)
      expect(ours.toJSON()).toEqual(theirs.toJSON())
    }
  })

  it('refuses a typed chain id with leading zeros, which ethereumjs would re-encode without them', () => {
    const raw = signed(kinds['EIP-1559'])
    const items = (RLP.decode(raw.subarray(1)) as Uint8Array[]).map((f) => RLP.encode(f))
    items[0] = RLP.encode(concatBytes(Uint8Array.of(0), items[0].subarray(1)))
    expect(() => decodeRawTx(common, relist(true, 2, items))).toThrow(/^rlp: non-canonical integer \(leading zero bytes\) for \*big\.Int, decoding into \(types\.DynamicFeeTx\)\.ChainID$/)
  })
})
