/**
 * State overrides (eth_call, eth_estimateGas) and block overrides (eth_call): each changes the
 * call's result, and the chain's state is exactly what it was afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Wallet, getCreateAddress, zeroPadValue } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { ETHER, GWEI, big, compileProbe, deployProbe, devWallet, hex, probe, rpcError, sendAndMine, word } from './helpers.ts'

/** SELFBALANCE, returned as one word. */
const SELF_BALANCE_CODE = '0x4760005260206000f3'
/** Init code returning ADDRESS as the "runtime": a creation's address (which follows the sender's nonce). */
const CREATED_ADDRESS_INIT = '0x3060005260206000f3'
/** Returns 42. */
const FORTY_TWO_CODE = '0x602a60005260206000f3'
/** Returns NUMBER, TIMESTAMP, GASLIMIT, COINBASE, PREVRANDAO, BASEFEE, BLOBBASEFEE as seven words. */
const BLOCK_CONTEXT_CODE = '0x4360005242602052456040524160605244608052486' + '0a0524a60c05260e06000f3'

/** Returns BLOCKHASH(first calldata word). */
const BLOCKHASH_OF_ARG_CODE = '0x60003540600052602060' + '00f3'

/** Stops if TIMESTAMP > 2,000,000,000, else INVALID. */
const INVALID_BEFORE_2E9_CODE = '0x637735940042116' + '00b57fe5b00'

const decodeWords = (data: string): bigint[] => (data.slice(2).match(/.{64}/g) ?? []).map((w) => BigInt(`0x${w}`))

describe('call overrides', () => {
  let t: TestNode
  const owner = devWallet(0)
  let contract: string
  let snapshot: { value: string; owner: string; code: string; balance: string; stateRoot: string }

  const callValue = (overrides?: unknown) => t.call('eth_call', [{ to: contract, data: probe.encodeFunctionData('value') }, 'latest', overrides])
  const takeSnapshot = async () => ({
    value: await t.call('eth_getStorageAt', [contract, '0x0', 'latest']),
    owner: await t.call('eth_getStorageAt', [contract, '0x1', 'latest']),
    code: await t.call('eth_getCode', [contract, 'latest']),
    balance: await t.call('eth_getBalance', [owner.address, 'latest']),
    stateRoot: (await t.call('eth_getBlockByNumber', ['latest', false])).stateRoot,
  })

  beforeAll(async () => {
    t = await spawnNode()
    contract = (await deployProbe(t, owner, 42n)).address
    await sendAndMine(t, owner, { to: contract, data: probe.encodeFunctionData('setValue', [7n]), gasLimit: 100_000n })
    snapshot = await takeSnapshot()
  })
  afterAll(async () => {
    await t?.close()
  })

  describe('state overrides', () => {
    it('stateDiff changes the given slots only; state replaces the whole storage', async () => {
      expect(await callValue()).toBe(word(7))
      expect(await callValue({ [contract]: { stateDiff: { [word(0)]: word(5) } } })).toBe(word(5))
      const ownerCall = (overrides: unknown) => t.call('eth_call', [{ to: contract, data: probe.encodeFunctionData('owner') }, 'latest', overrides])
      expect(await ownerCall({ [contract]: { stateDiff: { [word(0)]: word(5) } } })).toBe(zeroPadValue(owner.address, 32).toLowerCase())
      const replaced = { [contract]: { state: { [word(1)]: word(0xbeef) } } }
      expect(await callValue(replaced)).toBe(word(0))
      expect(await ownerCall(replaced)).toBe(word(0xbeef))
    })

    it('code replaces an account\'s code; balance and nonce are what the EVM sees', async () => {
      expect(await t.call('eth_call', [{ to: contract, data: probe.encodeFunctionData('value') }, 'latest', { [contract]: { code: FORTY_TWO_CODE } }])).toBe(word(42))
      const fresh = Wallet.createRandom().address.toLowerCase()
      expect(await t.call('eth_call', [{ to: fresh }, 'latest', { [fresh]: { code: SELF_BALANCE_CODE, balance: hex(12_345n) } }])).toBe(word(12_345))
      const creator = Wallet.createRandom().address
      const created = (nonce: number) => zeroPadValue(getCreateAddress({ from: creator, nonce }), 32).toLowerCase()
      expect(await t.call('eth_call', [{ from: creator, data: CREATED_ADDRESS_INIT }, 'latest'])).toBe(created(0))
      expect(await t.call('eth_call', [{ from: creator, data: CREATED_ADDRESS_INIT }, 'latest', { [creator]: { nonce: hex(7) } }])).toBe(created(7))
    })

    it('a balance override pays for a call the sender could not afford', async () => {
      const poor = Wallet.createRandom().address
      const fresh = Wallet.createRandom().address
      const call = { from: poor, to: fresh, value: hex(ETHER) }
      const refused = await rpcError(t, 'eth_call', [call, 'latest'])
      expect(refused.code).toBe(-32000)
      expect(refused.message).toMatch(/^insufficient funds for gas \* price \+ value/)
      const overrides = { [poor.toLowerCase()]: { balance: hex(2n * ETHER) }, [fresh.toLowerCase()]: { code: SELF_BALANCE_CODE } }
      expect(await t.call('eth_call', [call, 'latest', overrides])).toBe(word(ETHER))
    })

    it('eth_estimateGas runs against the overridden state', async () => {
      const fresh = Wallet.createRandom().address.toLowerCase()
      const data = probe.encodeFunctionData('setValue', [5n])
      const plain = big(await t.call('eth_estimateGas', [{ from: owner.address, to: fresh, data }, 'latest']))
      const withCode = big(await t.call('eth_estimateGas', [{ from: owner.address, to: fresh, data }, 'latest', { [fresh]: { code: compileProbe().deployedBytecode } }]))
      expect(plain).toBeLessThan(25_000n)
      expect(withCode).toBeGreaterThan(plain + 20_000n) // the SSTORE of a fresh slot
      const poor = Wallet.createRandom().address
      expect((await rpcError(t, 'eth_estimateGas', [{ from: poor, to: fresh, value: hex(ETHER) }, 'latest'])).message).toMatch(/insufficient funds/)
      expect(await t.call('eth_estimateGas', [{ from: poor, to: fresh, value: hex(ETHER) }, 'latest', { [poor.toLowerCase()]: { balance: hex(2n * ETHER) } }])).toBe('0x5208')
    })

    it('state and stateDiff together are refused as geth refuses them', async () => {
      const both = { [contract]: { state: { [word(0)]: word(1) }, stateDiff: { [word(0)]: word(2) } } }
      expect(await rpcError(t, 'eth_call', [{ to: contract, data: probe.encodeFunctionData('value') }, 'latest', both])).toEqual({
        code: -32000,
        message: `account ${contract} has both 'state' and 'stateDiff'`,
      })
    })

    it('malformed overrides are invalid params', async () => {
      expect((await rpcError(t, 'eth_call', [{ to: contract }, 'latest', { [contract]: { stateDiff: { '0x0': word(1) } } }])).code).toBe(-32602)
      expect((await rpcError(t, 'eth_call', [{ to: contract }, 'latest', { '0x1234': { balance: '0x1' } }])).code).toBe(-32602)
      expect((await rpcError(t, 'eth_call', [{ to: contract }, 'latest', { [contract]: { balance: 5 } }])).code).toBe(-32602)
    })
  })

  describe('block overrides', () => {
    let reader: string
    beforeAll(() => {
      reader = Wallet.createRandom().address.toLowerCase()
    })
    const readContext = (call: Record<string, unknown>, blockOverrides?: unknown) =>
      t.call('eth_call', [{ to: reader, ...call }, 'latest', { [reader]: { code: BLOCK_CONTEXT_CODE } }, blockOverrides]).then(decodeWords)

    it('without overrides the call sees the block it runs on (and an unpriced call a zero base fee, as in geth)', async () => {
      const head = await t.call('eth_getBlockByNumber', ['latest', false])
      const [number, time, gasLimit, coinbase, randao, baseFee] = await readContext({})
      expect([number, time, gasLimit, coinbase, randao, baseFee]).toEqual([big(head.number), big(head.timestamp), big(head.gasLimit), big(head.miner), big(head.mixHash), 0n])
    })

    it('number, time, gasLimit, feeRecipient, prevRandao, baseFeePerGas, blobBaseFee are what the EVM sees', async () => {
      const coinbase = Wallet.createRandom().address.toLowerCase()
      const randao = word(0xabcdef)
      const overrides = {
        number: hex(1_000_000),
        time: hex(2_000_000_000),
        gasLimit: hex(12_345_678),
        feeRecipient: coinbase,
        prevRandao: randao,
        baseFeePerGas: hex(3n * GWEI),
        blobBaseFee: hex(77),
      }
      const priced = { from: owner.address, gasPrice: hex(5n * GWEI), gas: hex(100_000) }
      expect(await readContext(priced, overrides)).toEqual([1_000_000n, 2_000_000_000n, 12_345_678n, big(coinbase), big(randao), 3n * GWEI, 77n])
    })

    it('a block number past the head: BLOCKHASH of an unknown block is zero, of a known one its hash', async () => {
      const head = await t.call('eth_getBlockByNumber', ['latest', false])
      const blockhashOf = (n: bigint) => t.call('eth_call', [{ to: reader, data: word(n) }, 'latest', { [reader]: { code: BLOCKHASH_OF_ARG_CODE } }, { number: hex(big(head.number) + 10n) }])
      expect(await blockhashOf(big(head.number) + 5n)).toBe(word(0))
      expect(await blockhashOf(big(head.number))).toBe(head.hash)
    })

    it('eth_estimateGas takes them too: a call that only succeeds after a time succeeds at the overridden time', async () => {
      const late = Wallet.createRandom().address.toLowerCase()
      const code = { [late]: { code: INVALID_BEFORE_2E9_CODE } }
      const early = await rpcError(t, 'eth_estimateGas', [{ to: late }, 'latest', code])
      expect(early.code).toBe(-32000)
      expect(early.message).toMatch(/invalid opcode/)
      expect(big(await t.call('eth_estimateGas', [{ to: late }, 'latest', code, { time: hex(2_100_000_000) }]))).toBeGreaterThan(21_000n)
    })

    it('beaconRoot and withdrawals are refused for eth_call, as geth refuses them', async () => {
      expect(await rpcError(t, 'eth_call', [{ to: reader }, 'latest', null, { beaconRoot: word(1) }])).toEqual({
        code: -32000,
        message: 'block override "beaconRoot" is not supported for this RPC method',
      })
    })
  })

  it('leaves the chain untouched: storage, code, balances and the state root are as before', async () => {
    expect(await takeSnapshot()).toEqual(snapshot)
    expect(await callValue()).toBe(word(7))
  })
})
