import { describe, expect, it } from 'vitest'
import { InvalidParamsError } from '../../../rpc/errors.ts'
import {
  address,
  array,
  blockRef,
  blockTag,
  bool,
  bytes,
  callRequest,
  filterOptions,
  hash,
  invalidParam,
  object,
  oneOf,
  optional,
  quantity,
  storageSlot,
  string,
  uint64,
  type Validator,
} from '../../../rpc/validators.ts'

const ADDR = '0x' + 'ab'.repeat(20)
const HASH = '0x' + '12'.repeat(32)
const HASH2 = '0x' + '34'.repeat(32)

function rejection(validator: Validator<unknown>, value: unknown, path = '0'): string {
  try {
    validator.parse(value, path)
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidParamsError)
    expect((err as InvalidParamsError).code).toBe(-32602)
    return (err as Error).message
  }
  throw new Error(`accepted ${JSON.stringify(value)}`)
}

describe('invalidParam', () => {
  it('names the argument index and the field path', () => {
    expect(invalidParam('0', 'bad').message).toBe('invalid argument 0: bad')
    expect(invalidParam('2.from', 'bad').message).toBe('invalid argument 2: from: bad')
    expect(invalidParam('1[3]', 'bad').message).toBe('invalid argument 1: [3]: bad')
  })
})

describe('quantity', () => {
  it('accepts minimal 0x hex and returns a bigint', () => {
    expect(quantity.parse('0x0', '0')).toBe(0n)
    expect(quantity.parse('0x1f', '0')).toBe(31n)
    expect(quantity.parse('0XFF', '0')).toBe(255n)
    expect(quantity.parse('0x' + 'f'.repeat(64), '0')).toBe(2n ** 256n - 1n)
  })

  it('rejects what geth rejects, with geth wording', () => {
    expect(rejection(quantity, '12')).toBe('invalid argument 0: hex string without 0x prefix')
    expect(rejection(quantity, '')).toBe('invalid argument 0: empty hex string')
    expect(rejection(quantity, '0x')).toBe('invalid argument 0: hex string "0x"')
    expect(rejection(quantity, '0x01')).toBe('invalid argument 0: hex number with leading zero digits')
    expect(rejection(quantity, '0xzz')).toBe('invalid argument 0: invalid hex string')
    expect(rejection(quantity, '0x1' + '0'.repeat(64))).toBe('invalid argument 0: hex number > 256 bits')
    expect(rejection(quantity, 5, '1')).toBe('invalid argument 1: expected quantity, got number')
  })
})

describe('uint64', () => {
  it('accepts up to 2^64-1 and rejects beyond', () => {
    expect(uint64.parse('0x' + 'f'.repeat(16), '0')).toBe(2n ** 64n - 1n)
    expect(rejection(uint64, '0x1' + '0'.repeat(16))).toBe('invalid argument 0: hex number > 64 bits')
  })
})

describe('address and hash', () => {
  it('return lowercase hex', () => {
    expect(address.parse('0x' + 'AB'.repeat(20), '0')).toBe(ADDR)
    expect(hash.parse('0x' + 'CD'.repeat(32), '0')).toBe('0x' + 'cd'.repeat(32))
  })

  it('reject wrong length, bad digits, missing prefix and non-strings', () => {
    expect(rejection(address, '0x1234')).toBe('invalid argument 0: hex string has length 4, want 40 for address')
    expect(rejection(address, 'ab'.repeat(20))).toBe('invalid argument 0: hex string without 0x prefix')
    expect(rejection(address, '0x' + 'zz'.repeat(20))).toBe('invalid argument 0: invalid hex string')
    expect(rejection(address, null)).toBe('invalid argument 0: expected address, got null')
    expect(rejection(hash, ADDR)).toBe('invalid argument 0: hex string has length 40, want 64 for hash')
  })
})

describe('bytes', () => {
  it('decodes even-length hex, including empty', () => {
    expect(bytes.parse('0x0aFF', '0')).toEqual(new Uint8Array([10, 255]))
    expect(bytes.parse('0x', '0')).toEqual(new Uint8Array([]))
    const long = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff)
    const parsed = bytes.parse(`0x${Buffer.from(long).toString('hex').toUpperCase()}`, '0')
    expect(parsed).toEqual(long)
    expect(Buffer.isBuffer(parsed)).toBe(false)
  })

  it('rejects odd length and bad digits', () => {
    expect(rejection(bytes, '0xabc')).toBe('invalid argument 0: hex string of odd length')
    expect(rejection(bytes, '0xgg')).toBe('invalid argument 0: invalid hex string')
    // A bad digit anywhere, on either side of a pair, and before or in an odd tail.
    for (const bad of ['0xaabbcg', '0xaabbgc', '0xg0aabb', '0xaab g', '0xaabbccg', '0xaa bb', '0xaab-'])
      expect(rejection(bytes, bad), bad).toBe('invalid argument 0: invalid hex string')
    expect(rejection(bytes, '0xaabbc')).toBe('invalid argument 0: hex string of odd length')
    expect(rejection(bytes, [1])).toBe('invalid argument 0: expected hex data, got array')
  })
})

describe('storageSlot', () => {
  it('reads slots as leniently as geth and pads them to 32 bytes', () => {
    const slot = (n: number) => {
      const out = new Uint8Array(32)
      out[31] = n
      return out
    }
    expect(storageSlot.parse('0x0', '1')).toEqual(slot(0))
    expect(storageSlot.parse('0x01', '1')).toEqual(slot(1))
    expect(storageSlot.parse('a', '1')).toEqual(slot(10))
    expect(storageSlot.parse(HASH, '1')).toEqual(new Uint8Array(32).fill(0x12))
  })

  it('rejects bad digits and more than 32 bytes', () => {
    expect(rejection(storageSlot, '0xzz', '1')).toBe('invalid argument 1: hex string invalid')
    expect(rejection(storageSlot, HASH + '00', '1')).toBe('invalid argument 1: hex string too long, want at most 32 bytes')
    expect(rejection(storageSlot, 1, '1')).toBe('invalid argument 1: expected storage slot, got number')
  })
})

describe('bool and string', () => {
  it('accept only their JSON type', () => {
    expect(bool.parse(true, '0')).toBe(true)
    expect(string.parse('x', '0')).toBe('x')
    expect(rejection(bool, 'true')).toBe('invalid argument 0: expected boolean, got string')
    expect(rejection(string, {})).toBe('invalid argument 0: expected string, got object')
  })
})

describe('blockTag', () => {
  it('accepts the five tags and numbers', () => {
    for (const tag of ['latest', 'earliest', 'pending', 'safe', 'finalized']) {
      expect(blockTag.parse(tag, '0')).toEqual({ kind: 'tag', tag })
    }
    expect(blockTag.parse('0x10', '0')).toEqual({ kind: 'number', number: 16n })
  })

  it('rejects unknown tags, bad numbers and numbers past int64', () => {
    expect(rejection(blockTag, 'newest')).toBe('invalid argument 0: hex string without 0x prefix')
    expect(rejection(blockTag, '0x010')).toBe('invalid argument 0: hex number with leading zero digits')
    expect(rejection(blockTag, '0x8000000000000000')).toBe('invalid argument 0: block number larger than int64')
    expect(rejection(blockTag, 16)).toBe('invalid argument 0: expected block number or tag, got number')
  })
})

describe('blockRef (EIP-1898)', () => {
  it('accepts tags, numbers, bare hashes and both object forms', () => {
    expect(blockRef.parse('latest', '1')).toEqual({ kind: 'tag', tag: 'latest' })
    expect(blockRef.parse('0x5', '1')).toEqual({ kind: 'number', number: 5n })
    expect(blockRef.parse(HASH, '1')).toEqual({ kind: 'hash', hash: HASH, requireCanonical: false })
    expect(blockRef.parse({ blockNumber: '0x5' }, '1')).toEqual({ kind: 'number', number: 5n })
    expect(blockRef.parse({ blockNumber: 'safe' }, '1')).toEqual({ kind: 'tag', tag: 'safe' })
    expect(blockRef.parse({ blockHash: HASH, requireCanonical: true }, '1')).toEqual({
      kind: 'hash',
      hash: HASH,
      requireCanonical: true,
    })
  })

  it('rejects both, neither, and bad members', () => {
    expect(rejection(blockRef, { blockNumber: '0x1', blockHash: HASH }, '1')).toBe(
      'invalid argument 1: cannot specify both BlockHash and BlockNumber, choose one or the other',
    )
    expect(rejection(blockRef, {}, '1')).toBe('invalid argument 1: invalid arguments; neither block nor hash specified')
    expect(rejection(blockRef, { blockHash: '0x12' }, '1')).toBe(
      'invalid argument 1: blockHash: hex string has length 2, want 64 for hash',
    )
    expect(rejection(blockRef, { blockHash: HASH, requireCanonical: 'yes' }, '1')).toBe(
      'invalid argument 1: requireCanonical: expected boolean, got string',
    )
  })
})

describe('optional', () => {
  it('turns missing and null into the default or undefined', () => {
    expect(optional(quantity).parse(undefined, '0')).toBeUndefined()
    expect(optional(quantity).parse(null, '0')).toBeUndefined()
    expect(optional(quantity, 7n).parse(undefined, '0')).toBe(7n)
    expect(optional(quantity, 7n).parse('0x1', '0')).toBe(1n)
    expect(optional(quantity).optional).toBe(true)
  })

  it('still checks a present value', () => {
    expect(rejection(optional(quantity), '0x01')).toBe('invalid argument 0: hex number with leading zero digits')
  })
})

describe('array', () => {
  it('parses each element and names the bad one', () => {
    expect(array(quantity).parse(['0x1', '0x2'], '0')).toEqual([1n, 2n])
    expect(rejection(array(quantity), ['0x1', '1'])).toBe('invalid argument 0: [1]: hex string without 0x prefix')
    expect(rejection(array(quantity), '0x1')).toBe('invalid argument 0: expected array of quantity, got string')
  })

  it('enforces max', () => {
    expect(array(bool, { max: 2 }).parse([true, false], '0')).toEqual([true, false])
    expect(rejection(array(bool, { max: 2 }), [true, true, true])).toBe(
      'invalid argument 0: too many elements, want at most 2',
    )
  })
})

describe('object', () => {
  const shape = object({ a: quantity, b: optional(bool) }, 'thing')

  it('parses known fields, ignores unknown ones and leaves absent optional ones out', () => {
    expect(shape.parse({ a: '0x2', extra: 1 }, '0')).toEqual({ a: 2n })
    expect(shape.parse({ a: '0x2', b: null }, '0')).toEqual({ a: 2n })
    expect(shape.parse({ a: '0x2', b: true }, '0')).toEqual({ a: 2n, b: true })
  })

  it('rejects missing required fields, bad fields and non-objects', () => {
    expect(rejection(shape, { b: true })).toBe('invalid argument 0: a: missing value for required field')
    expect(rejection(shape, { a: '2' })).toBe('invalid argument 0: a: hex string without 0x prefix')
    expect(rejection(shape, [])).toBe('invalid argument 0: expected thing, got array')
  })

  it('does not read inherited properties', () => {
    expect(rejection(object({ constructor: quantity }), {})).toBe(
      'invalid argument 0: constructor: missing value for required field',
    )
  })
})

describe('oneOf', () => {
  const v = oneOf(bool, quantity)

  it('returns the first alternative that accepts', () => {
    expect(v.parse(true, '0')).toBe(true)
    expect(v.parse('0x3', '0')).toBe(3n)
  })

  it('rejects what no alternative accepts', () => {
    expect(rejection(v, 'x')).toBe('invalid argument 0: expected boolean or quantity, got string')
  })
})

describe('callRequest', () => {
  it('parses every field', () => {
    const parsed = callRequest.parse(
      {
        from: ADDR,
        to: ADDR,
        gas: '0x5208',
        maxFeePerGas: '0x2',
        maxPriorityFeePerGas: '0x1',
        value: '0xde0b6b3a7640000',
        input: '0x1234',
        nonce: '0x7',
        accessList: [{ address: ADDR, storageKeys: [HASH] }],
        type: '0x2',
        chainId: '0x539',
      },
      '0',
    )
    expect(parsed).toEqual({
      from: ADDR,
      to: ADDR,
      gas: 21000n,
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
      value: 10n ** 18n,
      data: new Uint8Array([0x12, 0x34]),
      nonce: 7n,
      accessList: [{ address: ADDR, storageKeys: [HASH] }],
      type: 2n,
      chainId: 1337n,
    })
  })

  it('takes data from "data" when "input" is absent, and accepts both when equal', () => {
    expect(callRequest.parse({ data: '0xaa' }, '0')).toEqual({ data: new Uint8Array([0xaa]) })
    expect(callRequest.parse({ data: '0xaa', input: '0xaa' }, '0')).toEqual({ data: new Uint8Array([0xaa]) })
    expect(callRequest.parse({ to: null }, '0')).toEqual({})
  })

  it('rejects differing data and input as geth does', () => {
    expect(rejection(callRequest, { data: '0xaa', input: '0xbb' })).toBe(
      'invalid argument 0: both "data" and "input" are set and not equal. Please use "input" to pass transaction call data',
    )
  })

  it('rejects legacy and 1559 fees together', () => {
    expect(rejection(callRequest, { gasPrice: '0x1', maxFeePerGas: '0x1' })).toBe(
      'invalid argument 0: both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified',
    )
  })

  it('names the bad field', () => {
    expect(rejection(callRequest, { from: '0x12' })).toBe(
      'invalid argument 0: from: hex string has length 2, want 40 for address',
    )
    expect(rejection(callRequest, { gas: '0x1' + '0'.repeat(16) })).toBe('invalid argument 0: gas: hex number > 64 bits')
    expect(rejection(callRequest, { accessList: [{ address: ADDR }] })).toBe(
      'invalid argument 0: accessList[0].storageKeys: missing value for required field',
    )
    expect(rejection(callRequest, '0x')).toBe('invalid argument 0: expected call request, got string')
  })
})

describe('filterOptions', () => {
  it('normalises address to a list and topics to null-or-alternatives', () => {
    expect(filterOptions.parse({}, '0')).toEqual({ addresses: [], topics: [] })
    expect(
      filterOptions.parse(
        { fromBlock: '0x1', toBlock: 'latest', address: ADDR, topics: [HASH, [HASH, HASH2], [], [HASH, null]] },
        '0',
      ),
    ).toEqual({
      fromBlock: { kind: 'number', number: 1n },
      toBlock: { kind: 'tag', tag: 'latest' },
      addresses: [ADDR],
      topics: [[HASH], [HASH, HASH2], null, null],
    })
    expect(filterOptions.parse({ blockHash: HASH, address: [ADDR, ADDR], fromBlock: null, topics: [null] }, '0')).toEqual({
      blockHash: HASH,
      addresses: [ADDR, ADDR],
      topics: [null],
    })
  })

  it('rejects blockHash with a range', () => {
    const message = 'invalid argument 0: cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other'
    expect(rejection(filterOptions, { blockHash: HASH, fromBlock: '0x1' })).toBe(message)
    expect(rejection(filterOptions, { blockHash: HASH, toBlock: 'latest' })).toBe(message)
  })

  it('rejects bad addresses and topics, and more than four topics', () => {
    expect(rejection(filterOptions, { address: [ADDR, '0x12'] })).toBe(
      'invalid argument 0: address[1]: hex string has length 2, want 40 for address',
    )
    expect(rejection(filterOptions, { topics: [null, [HASH, '0x1']] })).toBe(
      'invalid argument 0: topics[1][1]: hex string has length 1, want 64 for hash',
    )
    expect(rejection(filterOptions, { topics: [null, null, null, null, HASH] })).toBe('invalid argument 0: exceed max topics')
  })
})
