import { bytesToHex, concatBytes, hexToBytes } from '@ethereumjs/util'
import { AbiCoder, Interface } from 'ethers'
import { describe, expect, it } from 'vitest'
import { decodeRevertReason } from '../../../node/execution/revertReason.ts'

// Encodings made by ethers, independently of the decoder under test.
const errors = new Interface(['error Error(string)', 'error Panic(uint256)', 'error Unauthorized(address)'])
const bytes = (h: string) => hexToBytes(h as `0x${string}`)
const errorString = (s: string) => bytes(errors.encodeErrorResult('Error', [s]))
const panic = (code: bigint) => bytes(errors.encodeErrorResult('Panic', [code]))
const word = (n: bigint) => bytes(AbiCoder.defaultAbiCoder().encode(['uint256'], [n]))
const SELECTOR = bytes('0x08c379a0')

describe('decodeRevertReason', () => {
  it('decodes Error(string)', () => {
    expect(decodeRevertReason(errorString('insufficient balance'))).toBe('insufficient balance')
    expect(decodeRevertReason(errorString(''))).toBe('')
    expect(decodeRevertReason(errorString('x'.repeat(100)))).toBe('x'.repeat(100))
    expect(decodeRevertReason(errorString('ünïcødé ✓'))).toBe('ünïcødé ✓')
  })

  it('decodes Panic(uint256) with geth\'s wording, and unknown codes in hex', () => {
    expect(decodeRevertReason(panic(0x11n))).toBe('arithmetic underflow or overflow')
    expect(decodeRevertReason(panic(0x01n))).toBe('assert(false)')
    expect(decodeRevertReason(panic(0x32n))).toBe('out-of-bounds access of an array or bytesN')
    expect(decodeRevertReason(panic(0x99n))).toBe('unknown panic code: 0x99')
  })

  it('gives no reason for a custom error, empty data, or less than a selector', () => {
    expect(decodeRevertReason(bytes(errors.encodeErrorResult('Unauthorized', ['0x0000000000000000000000000000000000001234'])))).toBeUndefined()
    expect(decodeRevertReason(new Uint8Array())).toBeUndefined()
    expect(decodeRevertReason(bytes('0x08c379'))).toBeUndefined()
    expect(decodeRevertReason(SELECTOR)).toBeUndefined()
  })

  it('gives no reason for garbage behind the Error(string) selector', () => {
    const good = errorString('hello')
    // Body shorter than offset + length words.
    expect(decodeRevertReason(good.subarray(0, 4 + 40))).toBeUndefined()
    // The text cut short.
    expect(decodeRevertReason(concatBytes(SELECTOR, word(32n), word(10n), bytes('0x68656c6c6f')))).toBeUndefined()
    // Offset pointing past the end.
    expect(decodeRevertReason(concatBytes(SELECTOR, word(4096n), word(5n)))).toBeUndefined()
    // Length beyond the data, also one that does not fit in 64 bits.
    expect(decodeRevertReason(concatBytes(SELECTOR, word(32n), word(1000n), new Uint8Array(32)))).toBeUndefined()
    expect(decodeRevertReason(concatBytes(SELECTOR, word(32n), word((1n << 64n) + 5n), bytes(`0x68656c6c6f${'00'.repeat(27)}`)))).toBeUndefined()
    // An offset whose high bytes are set is out of range, not its low 64 bits.
    expect(decodeRevertReason(concatBytes(SELECTOR, word((1n << 128n) + 32n), word(5n), bytes(`0x68656c6c6f${'00'.repeat(27)}`)))).toBeUndefined()
    // Random bytes after the selector.
    expect(decodeRevertReason(concatBytes(SELECTOR, bytes(`0x${'ff'.repeat(64)}`)))).toBeUndefined()
  })

  it('gives no reason for a Panic selector with the wrong length', () => {
    expect(decodeRevertReason(panic(1n).subarray(0, 20))).toBeUndefined()
    expect(decodeRevertReason(concatBytes(panic(1n), new Uint8Array(32)))).toBeUndefined()
  })

  it('is consistent with ethers on what it decodes', () => {
    const data = errorString('same as ethers')
    expect(decodeRevertReason(data)).toBe(errors.decodeErrorResult('Error', bytesToHex(data))[0])
  })
})
