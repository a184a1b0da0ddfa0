/**
 * Account state and execution at a block: eth_getBalance, eth_getTransactionCount, eth_getCode,
 * eth_getStorageAt, eth_call, eth_estimateGas; block selection by tag, number and EIP-1898 object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AbiCoder, Wallet, id as keccakId, keccak256, concat, zeroPadValue, toBeHex } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import {
  DEV_ADDRESSES,
  DEV_BALANCE,
  big,
  compileProbe,
  deployProbe,
  devWallet,
  hex,
  num,
  probe,
  probeDeployData,
  randomHash,
  rpcError,
  sendAndMine,
  sendTx,
  word,
} from './helpers.ts'

const coder = AbiCoder.defaultAbiCoder()
const errorString = (reason: string) => keccakId('Error(string)').slice(0, 10) + coder.encode(['string'], [reason]).slice(2)
const panicData = (code: number) => keccakId('Panic(uint256)').slice(0, 10) + coder.encode(['uint256'], [code]).slice(2)
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000'

describe('state methods (automine)', () => {
  let t: TestNode
  const owner = devWallet(0)
  const alice = DEV_ADDRESSES[1]
  const payer = devWallet(2)
  const recipient = Wallet.createRandom().address.toLowerCase()
  const PAID = 12_345n
  let contract: string
  let deployBlock: number
  let setBlock: number
  let creditBlock: number
  let transfer: any
  let transferBlock: any
  let beforeTransfer: any

  beforeAll(async () => {
    t = await spawnNode()
    const deployed = await deployProbe(t, owner, 42n)
    contract = deployed.address
    deployBlock = num(deployed.receipt.blockNumber)
    setBlock = num((await sendAndMine(t, owner, { to: contract, data: probe.encodeFunctionData('setValue', [7n]), gasLimit: 100_000n })).blockNumber)
    creditBlock = num((await sendAndMine(t, owner, { to: contract, data: probe.encodeFunctionData('credit', [alice, 99n]), gasLimit: 100_000n })).blockNumber)
    transfer = await sendAndMine(t, payer, { to: recipient, value: PAID, gasLimit: 21_000n })
    transferBlock = await t.call('eth_getBlockByNumber', [transfer.blockNumber, false])
    beforeTransfer = await t.call('eth_getBlockByNumber', [hex(num(transfer.blockNumber) - 1), false])
    expect([deployBlock, setBlock, creditBlock, num(transfer.blockNumber)]).toEqual([1, 2, 3, 4])
  })
  afterAll(async () => {
    await t?.close()
  })

  describe('eth_getBalance', () => {
    it('latest: the sender paid value + gasUsed * effectiveGasPrice, the recipient got the value', async () => {
      const cost = PAID + big(transfer.gasUsed) * big(transfer.effectiveGasPrice)
      expect(big(transfer.gasUsed)).toBe(21_000n)
      expect(big(transfer.effectiveGasPrice)).toBe(big(transferBlock.baseFeePerGas) + 10n ** 9n)
      expect(big(await t.call('eth_getBalance', [payer.address, 'latest']))).toBe(DEV_BALANCE - cost)
      expect(big(await t.call('eth_getBalance', [recipient, 'latest']))).toBe(PAID)
      expect(big(await t.call('eth_getBalance', [recipient]))).toBe(PAID) // the block defaults to latest
    })

    it('at an older block number, and by EIP-1898 {blockNumber} / {blockHash} / bare hash, the balance before the transfer', async () => {
      const older = beforeTransfer.number
      for (const ref of [older, { blockNumber: older }, { blockHash: beforeTransfer.hash }, { blockHash: beforeTransfer.hash, requireCanonical: true }, beforeTransfer.hash]) {
        expect(big(await t.call('eth_getBalance', [payer.address, ref]))).toBe(DEV_BALANCE)
        expect(big(await t.call('eth_getBalance', [recipient, ref]))).toBe(0n)
      }
      expect(big(await t.call('eth_getBalance', [recipient, { blockHash: transferBlock.hash }]))).toBe(PAID)
    })

    it('earliest is the genesis allocation; pending, safe and finalized are the head on this devnet', async () => {
      expect(big(await t.call('eth_getBalance', [owner.address, 'earliest']))).toBe(DEV_BALANCE)
      const latest = await t.call('eth_getBalance', [owner.address, 'latest'])
      expect(big(latest)).toBeLessThan(DEV_BALANCE)
      for (const tag of ['pending', 'safe', 'finalized']) expect(await t.call('eth_getBalance', [owner.address, tag])).toBe(latest)
    })

    it('an unknown block is -32000 "header not found" (by number) / "header for hash not found" (by hash)', async () => {
      const byNumber = await rpcError(t, 'eth_getBalance', [owner.address, hex(1000)])
      expect(byNumber).toEqual({ code: -32000, message: 'header not found' })
      const byObject = await rpcError(t, 'eth_getBalance', [owner.address, { blockNumber: hex(1000) }])
      expect(byObject).toEqual({ code: -32000, message: 'header not found' })
      const byHash = await rpcError(t, 'eth_getBalance', [owner.address, { blockHash: randomHash() }])
      expect(byHash).toEqual({ code: -32000, message: 'header for hash not found' })
      for (const [method, params] of [
        ['eth_getTransactionCount', [owner.address, hex(1000)]],
        ['eth_getCode', [contract, hex(1000)]],
        ['eth_getStorageAt', [contract, '0x0', hex(1000)]],
        ['eth_call', [{ to: contract, data: probe.encodeFunctionData('value') }, hex(1000)]],
        ['eth_estimateGas', [{ to: recipient, value: '0x1' }, hex(1000)]],
      ] as const) {
        expect(await rpcError(t, method, [...params])).toEqual({ code: -32000, message: 'header not found' })
      }
    })

    it('refuses both blockHash and blockNumber in one EIP-1898 object', async () => {
      const err = await rpcError(t, 'eth_getBalance', [owner.address, { blockHash: transferBlock.hash, blockNumber: transferBlock.number }])
      expect(err.code).toBe(-32602)
      expect(err.message).toBe('invalid argument 1: cannot specify both BlockHash and BlockNumber, choose one or the other')
    })
  })

  describe('eth_getTransactionCount', () => {
    it('counts the mined transactions of the sender at each block', async () => {
      expect(await t.call('eth_getTransactionCount', [owner.address, 'latest'])).toBe('0x3')
      expect(await t.call('eth_getTransactionCount', [owner.address, hex(deployBlock - 1)])).toBe('0x0')
      expect(await t.call('eth_getTransactionCount', [owner.address, hex(deployBlock)])).toBe('0x1')
      expect(await t.call('eth_getTransactionCount', [owner.address, { blockNumber: hex(setBlock) }])).toBe('0x2')
      expect(await t.call('eth_getTransactionCount', [owner.address, 'earliest'])).toBe('0x0')
      expect(await t.call('eth_getTransactionCount', [recipient, 'latest'])).toBe('0x0')
      // A contract's nonce is 1 after EIP-161.
      expect(await t.call('eth_getTransactionCount', [contract, 'latest'])).toBe('0x1')
      // Nothing pooled: pending = latest.
      expect(await t.call('eth_getTransactionCount', [owner.address, 'pending'])).toBe('0x3')
    })
  })

  describe('eth_getCode', () => {
    it('is the runtime code after deployment and empty before it, and for accounts without code', async () => {
      const { deployedBytecode } = compileProbe()
      expect(await t.call('eth_getCode', [contract, 'latest'])).toBe(deployedBytecode)
      expect(await t.call('eth_getCode', [contract, hex(deployBlock)])).toBe(deployedBytecode)
      expect(await t.call('eth_getCode', [contract, hex(deployBlock - 1)])).toBe('0x')
      expect(await t.call('eth_getCode', [owner.address, 'latest'])).toBe('0x')
      expect(await t.call('eth_getCode', [Wallet.createRandom().address, 'latest'])).toBe('0x')
    })
  })

  describe('eth_getStorageAt', () => {
    it('reads the contract\'s slots at each block, 32 bytes wide', async () => {
      expect(await t.call('eth_getStorageAt', [contract, '0x0', 'latest'])).toBe(word(7))
      expect(await t.call('eth_getStorageAt', [contract, '0x0', hex(deployBlock)])).toBe(word(42))
      expect(await t.call('eth_getStorageAt', [contract, '0x0', { blockHash: (await t.call('eth_getBlockByNumber', [hex(deployBlock), false])).hash }])).toBe(word(42))
      expect(await t.call('eth_getStorageAt', [contract, '0x0', hex(deployBlock - 1)])).toBe(word(0))
      expect(await t.call('eth_getStorageAt', [contract, '0x1', 'latest'])).toBe(zeroPadValue(owner.address, 32).toLowerCase())
      expect(await t.call('eth_getStorageAt', [contract, '0x5', 'latest'])).toBe(word(0))
    })

    it('reads a mapping entry at keccak(key . slot), before and after it was written', async () => {
      const slot = keccak256(concat([zeroPadValue(alice, 32), toBeHex(2, 32)]))
      expect(await t.call('eth_getStorageAt', [contract, slot, 'latest'])).toBe(word(99))
      expect(await t.call('eth_getStorageAt', [contract, slot, hex(creditBlock - 1)])).toBe(word(0))
    })

    it('takes the slot as leniently as geth: any length up to 32 bytes, with or without 0x', async () => {
      for (const slot of ['0x0', '0x00', '0', '0x' + '0'.repeat(64)]) {
        expect(await t.call('eth_getStorageAt', [contract, slot, 'latest'])).toBe(word(7))
      }
      const tooLong = await rpcError(t, 'eth_getStorageAt', [contract, '0x' + '0'.repeat(66), 'latest'])
      expect(tooLong.code).toBe(-32602)
    })
  })

  describe('eth_call', () => {
    const call = (data: string, extra: Record<string, unknown> = {}, block: unknown = 'latest') => t.call('eth_call', [{ to: contract, data, ...extra }, block])

    it('returns the ABI-encoded return data', async () => {
      expect(await call(probe.encodeFunctionData('add', [2n, 40n]))).toBe(word(42))
      const payload = '0xdeadbeef' + 'ab'.repeat(40)
      const echoed = await call(probe.encodeFunctionData('echo', [payload]))
      expect(probe.decodeFunctionResult('echo', echoed)[0]).toBe(payload)
      const credit = await call(probe.encodeFunctionData('credits', [alice]))
      expect(big(credit)).toBe(99n)
    })

    it('runs as `from` (msg.sender), and as the zero address without one', async () => {
      expect(await call(probe.encodeFunctionData('whoami'), { from: alice })).toBe(zeroPadValue(alice, 32).toLowerCase())
      expect(await call(probe.encodeFunctionData('whoami'))).toBe(word(0))
      expect(probe.decodeFunctionResult('whoami', await call(probe.encodeFunctionData('whoami'))).toString()).toBe(ZERO_ADDRESS)
    })

    it('runs against the state of the block asked for (number, EIP-1898 hash), not the head', async () => {
      const data = probe.encodeFunctionData('value')
      expect(await call(data, {}, hex(deployBlock))).toBe(word(42))
      const setHash = (await t.call('eth_getBlockByNumber', [hex(setBlock), false])).hash
      expect(await call(data, {}, { blockHash: setHash })).toBe(word(7))
      expect(await call(data, {}, 'latest')).toBe(word(7))
      // Before the deployment there is no code: an empty return.
      expect(await call(data, {}, hex(deployBlock - 1))).toBe('0x')
    })

    it('accepts `input` as well as `data`, and refuses both when they differ', async () => {
      expect(await t.call('eth_call', [{ to: contract, input: probe.encodeFunctionData('add', [1n, 1n]) }, 'latest'])).toBe(word(2))
      const err = await rpcError(t, 'eth_call', [{ to: contract, input: probe.encodeFunctionData('add', [1n, 1n]), data: '0x00' }, 'latest'])
      expect(err.code).toBe(-32602)
    })

    it('a revert with a reason is code 3, "execution reverted: <reason>", data = Error(string)', async () => {
      const err = await rpcError(t, 'eth_call', [{ to: contract, data: probe.encodeFunctionData('fail', ['boom: no way']) }, 'latest'])
      expect(err).toEqual({ code: 3, message: 'execution reverted: boom: no way', data: errorString('boom: no way') })
    })

    it('a custom error is code 3, "execution reverted", data = the error\'s encoding', async () => {
      const err = await rpcError(t, 'eth_call', [{ from: alice, to: contract, data: probe.encodeFunctionData('deny', [7n]) }, 'latest'])
      expect(err).toEqual({ code: 3, message: 'execution reverted', data: probe.encodeErrorResult('Denied', [alice, 7n]) })
      expect(probe.parseError(err.data as string)!.args.toArray()).toEqual([expect.stringMatching(new RegExp(alice, 'i')), 7n])
    })

    it('with too little gas: -32000 "out of gas"', async () => {
      const err = await rpcError(t, 'eth_call', [{ to: contract, data: probe.encodeFunctionData('setValue', [5n]), gas: hex(25_000n) }, 'latest'])
      expect(err).toEqual({ code: -32000, message: 'out of gas' })
    })

    it('a panic is code 3 with the Panic(uint256) data', async () => {
      const err = await rpcError(t, 'eth_call', [{ to: contract, data: probe.encodeFunctionData('divide', [1n, 0n]) }, 'latest'])
      expect(err.code).toBe(3)
      expect(err.data).toBe(panicData(0x12))
      expect(err.message.startsWith('execution reverted')).toBe(true)
    })
  })

  describe('eth_estimateGas', () => {
    it('is exactly 21000 for a plain transfer', async () => {
      expect(await t.call('eth_estimateGas', [{ from: owner.address, to: recipient, value: hex(1n) }])).toBe('0x5208')
      expect(await t.call('eth_estimateGas', [{ to: recipient }])).toBe('0x5208')
    })

    it('for a contract call: at least the gas used, close to it, and enough to send with', async () => {
      const data = probe.encodeFunctionData('setValue', [9n])
      const estimate = big(await t.call('eth_estimateGas', [{ from: owner.address, to: contract, data }]))
      const receipt = await sendAndMine(t, owner, { to: contract, data, gasLimit: estimate })
      expect(receipt.status).toBe('0x1')
      expect(big(receipt.gasUsed)).toBeLessThanOrEqual(estimate)
      // No refund and no gas check in setValue: the estimate is within geth's 1.5% search tolerance.
      expect(estimate).toBeLessThanOrEqual((big(receipt.gasUsed) * 1020n) / 1000n)
      expect(await t.call('eth_call', [{ to: contract, data: probe.encodeFunctionData('value') }, 'latest'])).toBe(word(9))
    })

    it('covers a call that needs more gas than it uses (gasleft check), where the gas used alone fails', async () => {
      const data = probe.encodeFunctionData('needsGas', [200_000n])
      const estimate = big(await t.call('eth_estimateGas', [{ from: owner.address, to: contract, data }]))
      expect(estimate).toBeGreaterThan(200_000n)
      const ok = await sendAndMine(t, owner, { to: contract, data, gasLimit: estimate })
      expect(ok.status).toBe('0x1')
      expect(big(ok.gasUsed)).toBeLessThan(100_000n)
      const starved = await sendAndMine(t, owner, { to: contract, data, gasLimit: big(ok.gasUsed) + 1_000n })
      expect(starved.status).toBe('0x0')
    })

    it('covers a call that earns a refund (storage cleared), which needs more than it is charged', async () => {
      const data = probe.encodeFunctionData('setValue', [0n])
      const estimate = big(await t.call('eth_estimateGas', [{ from: owner.address, to: contract, data }]))
      const receipt = await sendAndMine(t, owner, { to: contract, data, gasLimit: estimate })
      expect(receipt.status).toBe('0x1')
      expect(big(receipt.gasUsed)).toBeLessThan(estimate)
      expect(await t.call('eth_getStorageAt', [contract, '0x0', 'latest'])).toBe(word(0))
    })

    it('for a deployment: enough to deploy with', async () => {
      const data = probeDeployData(3n)
      const estimate = big(await t.call('eth_estimateGas', [{ from: owner.address, data }]))
      const nonce = num(await t.call('eth_getTransactionCount', [owner.address, 'pending']))
      const receipt = await sendAndMine(t, owner, { data, gasLimit: estimate, nonce })
      expect(receipt.status).toBe('0x1')
      expect(big(receipt.gasUsed)).toBeLessThanOrEqual(estimate)
      expect(await t.call('eth_getCode', [receipt.contractAddress, 'latest'])).toBe(compileProbe().deployedBytecode)
    })

    it('with a gas cap too low for the call: -32000 "gas required exceeds allowance (<cap>)"', async () => {
      const err = await rpcError(t, 'eth_estimateGas', [{ to: contract, data: probe.encodeFunctionData('setValue', [5n]), gas: hex(25_000n) }])
      expect(err).toEqual({ code: -32000, message: 'gas required exceeds allowance (25000)' })
      // A cap that is enough is the upper bound of the search, not the answer.
      const capped = big(await t.call('eth_estimateGas', [{ to: contract, data: probe.encodeFunctionData('setValue', [5n]), gas: hex(500_000n) }]))
      expect(capped).toBeLessThan(100_000n)
    })

    it('a reverting call is code 3 with the revert data, as eth_call', async () => {
      const reasoned = await rpcError(t, 'eth_estimateGas', [{ from: owner.address, to: contract, data: probe.encodeFunctionData('fail', ['nope']) }])
      expect(reasoned).toEqual({ code: 3, message: 'execution reverted: nope', data: errorString('nope') })
      const custom = await rpcError(t, 'eth_estimateGas', [{ from: alice, to: contract, data: probe.encodeFunctionData('deny', [3n]) }])
      expect(custom).toEqual({ code: 3, message: 'execution reverted', data: probe.encodeErrorResult('Denied', [alice, 3n]) })
    })

    it('estimates against an older block when asked', async () => {
      const data = probe.encodeFunctionData('setValue', [1n])
      const bytes = Buffer.from(data.slice(2), 'hex')
      const intrinsic = 21_000n + [...bytes].reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n)
      // At the block before deployment the address has no code: the call costs its intrinsic gas only.
      const before = big(await t.call('eth_estimateGas', [{ from: owner.address, to: contract, data }, hex(deployBlock - 1)]))
      expect(before).toBeGreaterThanOrEqual(intrinsic)
      expect(before).toBeLessThanOrEqual((intrinsic * 1015n) / 1000n + 1n)
      const now = big(await t.call('eth_estimateGas', [{ from: owner.address, to: contract, data }, 'latest']))
      expect(now).toBeGreaterThan(intrinsic + 5_000n) // runs the SSTORE now
    })
  })
})

describe('eth_getTransactionCount with pooled transactions (manual mining)', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await spawnNode({ mining: { kind: 'manual' } })
  })
  afterAll(async () => {
    await t?.close()
  })

  it('pending counts the consecutive pooled transactions; a nonce gap is not counted until filled', async () => {
    const sender = devWallet(4)
    const to = Wallet.createRandom().address
    const count = async (tag: string) => num(await t.call('eth_getTransactionCount', [sender.address, tag]))
    await sendTx(t, sender, { to, value: 1n, gasLimit: 21_000n, nonce: 0 })
    await sendTx(t, sender, { to, value: 1n, gasLimit: 21_000n, nonce: 1 })
    expect(await count('latest')).toBe(0)
    expect(await count('pending')).toBe(2)
    await sendTx(t, sender, { to, value: 1n, gasLimit: 21_000n, nonce: 5 }) // queued behind a gap
    expect(await count('pending')).toBe(2)

    await t.node.miner.mine()
    expect(await count('latest')).toBe(2)
    expect(await count('pending')).toBe(2)
    expect(big(await t.call('eth_getBalance', [to, 'latest']))).toBe(2n)

    for (const nonce of [2, 3, 4]) await sendTx(t, sender, { to, value: 1n, gasLimit: 21_000n, nonce })
    expect(await count('pending')).toBe(6)
    expect(await count('latest')).toBe(2)
    await t.node.miner.mine()
    expect(await count('latest')).toBe(6)
    expect(big(await t.call('eth_getBalance', [to, 'latest']))).toBe(6n)
  })

  it('state reads at latest do not see pooled transactions', async () => {
    const sender = devWallet(5)
    const before = await t.call('eth_getBalance', [sender.address, 'latest'])
    await sendTx(t, sender, { to: Wallet.createRandom().address, value: 10n ** 18n, gasLimit: 21_000n })
    expect(await t.call('eth_getBalance', [sender.address, 'latest'])).toBe(before)
    expect(big(before)).toBe(DEV_BALANCE)
  })
})
