/**
 * eth_simulateV1: blocks simulated on top of a block, each on the state the one before left,
 * numbers and times increasing (gaps filled), per-call results with logs, geth's -38xxx errors,
 * and nothing left behind on the chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import solc from 'solc'
import { Interface, Wallet, id as keccakId } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { VALUE_SET_TOPIC, addressTopic, big, deployProbe, devWallet, headerHash, hex, num, probe, rpcError, word } from './helpers.ts'

const SPLITTER_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Splitter {
    event Split(uint256 amount);
    function split(address payable a, address payable b) external payable {
        a.transfer(msg.value / 2);
        emit Split(msg.value);
        b.transfer(msg.value - msg.value / 2);
    }
    function failInner(address payable a) external payable {
        try this.inner{value: msg.value}(a) {} catch {}
    }
    function inner(address payable a) external payable {
        a.transfer(msg.value);
        revert("no");
    }
}`
const splitter = new Interface(['function split(address a, address b) payable', 'function failInner(address a) payable', 'event Split(uint256 amount)'])

function splitterRuntime(): string {
  const input = {
    language: 'Solidity',
    sources: { 'Splitter.sol': { content: SPLITTER_SOURCE } },
    settings: { evmVersion: 'cancun', outputSelection: { '*': { '*': ['evm.deployedBytecode.object'] } } },
  }
  return `0x${JSON.parse(solc.compile(JSON.stringify(input))).contracts['Splitter.sol'].Splitter.evm.deployedBytecode.object}`
}

const TRANSFER = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'
const TRANSFER_TOPIC = keccakId('Transfer(address,address,uint256)')

/** Returns BLOCKHASH(NUMBER - 1). */
const PREVIOUS_BLOCKHASH_CODE = '0x4360019003406000526020' + '6000f3'

describe('eth_simulateV1', () => {
  let t: TestNode
  const owner = devWallet(0)
  let contract: string
  let head: any

  const simulate = (blockStateCalls: unknown[], extra: Record<string, unknown> = {}, block: unknown = 'latest') =>
    t.call<any[]>('eth_simulateV1', [{ blockStateCalls, ...extra }, block])
  const setValue = (v: bigint) => ({ from: owner.address, to: contract, data: probe.encodeFunctionData('setValue', [v]) })
  const readValue = () => ({ to: contract, data: probe.encodeFunctionData('value') })

  beforeAll(async () => {
    t = await spawnNode()
    contract = (await deployProbe(t, owner, 7n)).address
    head = await t.call('eth_getBlockByNumber', ['latest', false])
  })
  afterAll(async () => {
    await t?.close()
  })

  it('chains blocks: the second sees the first\'s writes; numbers, times and parent hashes follow on', async () => {
    const [first, second] = await simulate([{ calls: [setValue(11n)] }, { calls: [readValue()] }])
    expect([num(first.number), num(second.number)]).toEqual([num(head.number) + 1, num(head.number) + 2])
    expect([big(first.timestamp), big(second.timestamp)]).toEqual([big(head.timestamp) + 12n, big(head.timestamp) + 24n])
    expect(first.parentHash).toBe(head.hash)
    expect(second.parentHash).toBe(first.hash)
    for (const block of [first, second]) expect(headerHash(block)).toBe(block.hash)
    expect(second.calls[0]).toMatchObject({ returnData: word(11), status: '0x1', logs: [] })

    const [call] = first.calls
    expect(call.status).toBe('0x1')
    expect(call.returnData).toBe('0x')
    expect(big(first.gasUsed)).toBe(big(call.gasUsed))
    expect(big(call.gasUsed)).toBeGreaterThan(21_000n)
    expect(call.logs).toEqual([
      {
        address: contract,
        topics: [VALUE_SET_TOPIC, addressTopic(owner.address), word(11)],
        data: word(7),
        blockNumber: first.number,
        blockHash: first.hash,
        transactionHash: first.transactions[0],
        transactionIndex: '0x0',
        logIndex: '0x0',
        removed: false,
      },
    ])
    expect(first.stateRoot).not.toBe(head.stateRoot)
  })

  it('BLOCKHASH in a simulated block names the simulated block before it', async () => {
    const reader = Wallet.createRandom().address.toLowerCase()
    const previousHash = { to: reader }
    const [first, second] = await simulate([
      { stateOverrides: { [reader]: { code: PREVIOUS_BLOCKHASH_CODE } }, calls: [previousHash] },
      { calls: [previousHash] },
    ])
    expect(first.calls[0].returnData).toBe(head.hash)
    expect(second.calls[0].returnData).toBe(first.hash)
  })

  it('traceTransfers: ether transfers appear among the logs in order, a reverted frame\'s dropped', async () => {
    const at = Wallet.createRandom().address.toLowerCase()
    const [a, b] = [Wallet.createRandom().address.toLowerCase(), Wallet.createRandom().address.toLowerCase()]
    const from = owner.address.toLowerCase()
    const transfer = (x: string, y: string, v: bigint) => ({ address: TRANSFER, topics: [TRANSFER_TOPIC, addressTopic(x), addressTopic(y)], data: word(v) })
    const calls = [
      { from, to: at, value: hex(10n), data: splitter.encodeFunctionData('split', [a, b]) },
      { from, to: at, value: hex(4n), data: splitter.encodeFunctionData('failInner', [a]) },
    ]
    const stateOverrides = { [at]: { code: splitterRuntime() } }
    const [traced] = await simulate([{ stateOverrides, calls }], { traceTransfers: true })
    const shape = (logs: any[]) => logs.map(({ address, topics, data }) => ({ address, topics, data }))
    const split = { address: at, topics: [splitter.getEvent('Split')!.topicHash], data: word(10) }
    expect(shape(traced.calls[0].logs)).toEqual([transfer(from, at, 10n), transfer(at, a, 5n), split, transfer(at, b, 5n)])
    expect(traced.calls[0].logs.map((l: any) => l.logIndex)).toEqual(['0x0', '0x1', '0x2', '0x3'])
    expect(shape(traced.calls[1].logs)).toEqual([transfer(from, at, 4n)])
    expect(traced.calls[1].logs[0].logIndex).toBe('0x4')
    const [plain] = await simulate([{ stateOverrides, calls }])
    expect(shape(plain.calls[0].logs)).toEqual([split])
    expect(plain.calls[1].logs).toEqual([])
  })

  it('leaves the chain as it was', async () => {
    await simulate([{ calls: [setValue(99n)] }])
    expect(await t.call('eth_call', [readValue(), 'latest'])).toBe(word(7))
    expect(await t.call('eth_blockNumber')).toBe(head.number)
    expect((await t.call('eth_getBlockByNumber', ['latest', false])).hash).toBe(head.hash)
  })

  it('fills a gap in block numbers with empty blocks, and takes the times and state overrides given', async () => {
    const rich = Wallet.createRandom().address.toLowerCase()
    const start = num(head.number)
    const blocks = await simulate([
      { blockOverrides: { number: hex(start + 4), time: hex(big(head.timestamp) + 1000n) }, stateOverrides: { [rich]: { balance: hex(5n) } } },
      { calls: [{ from: rich, to: Wallet.createRandom().address, value: hex(3n) }] },
    ])
    expect(blocks.map((b) => num(b.number))).toEqual([start + 1, start + 2, start + 3, start + 4, start + 5])
    expect(blocks.map((b) => big(b.timestamp) - big(head.timestamp))).toEqual([12n, 24n, 36n, 1000n, 1012n])
    for (const block of blocks.slice(0, 4)) expect(block.calls).toEqual([])
    expect(blocks[1].stateRoot).toBe(blocks[0].stateRoot) // empty blocks change nothing
    expect(blocks[3].stateRoot).not.toBe(blocks[2].stateRoot) // the balance override
    expect(blocks[4].calls[0].status).toBe('0x1')
  })

  it('reports a reverting call in its result and goes on with the next', async () => {
    const [block] = await simulate([{ calls: [{ to: contract, data: probe.encodeFunctionData('fail', ['boom']) }, readValue()] }])
    const [failed, ok] = block.calls
    expect(failed.status).toBe('0x0')
    expect(failed.error).toMatchObject({ code: -32000, message: 'execution reverted: boom' })
    expect(failed.error.data.startsWith('0x08c379a0')).toBe(true)
    expect(ok).toMatchObject({ status: '0x1', returnData: word(7) })
  })

  it('returnFullTransactions: the calls as transactions from their senders, hashes as listed otherwise', async () => {
    const calls = [setValue(1n), setValue(2n)]
    const [hashes] = await simulate([{ calls }])
    const [full] = await simulate([{ calls }], { returnFullTransactions: true })
    expect(full.transactions.map((tx: any) => tx.hash)).toEqual(hashes.transactions)
    expect(full.transactions.map((tx: any) => [tx.from, tx.to, tx.nonce, tx.type])).toEqual([
      [owner.address.toLowerCase(), contract, hex(1), '0x2'],
      [owner.address.toLowerCase(), contract, hex(2), '0x2'],
    ])
  })

  it('validation: nonces and the base fee are checked, with geth\'s codes', async () => {
    const tooHigh = await rpcError(t, 'eth_simulateV1', [{ blockStateCalls: [{ calls: [{ ...setValue(1n), nonce: hex(50) }] }], validation: true }, 'latest'])
    expect(tooHigh).toEqual({ code: -38011, message: `nonce too high: address ${owner.address}, tx: 50 state: 1` })
    // Without validation the nonce is not checked and an unpriced call runs.
    await simulate([{ calls: [{ ...setValue(1n), nonce: hex(50) }] }])
    const unpriced = await rpcError(t, 'eth_simulateV1', [{ blockStateCalls: [{ calls: [setValue(1n)] }], validation: true }, 'latest'])
    expect(unpriced.code).toBe(-32602)
    expect(unpriced.message).toMatch(/^max fee per gas less than block base fee/)
    const [priced] = await simulate([{ calls: [{ ...setValue(1n), maxFeePerGas: hex(10n ** 10n) }] }], { validation: true })
    expect(big(priced.baseFeePerGas)).toBeGreaterThan(0n)
  })

  it('refuses bad chains and calls with geth\'s errors', async () => {
    const start = num(head.number)
    expect(await rpcError(t, 'eth_simulateV1', [{ blockStateCalls: [{ blockOverrides: { number: hex(start) } }] }])).toEqual({
      code: -38020,
      message: `block numbers must be in order: ${start} <= ${start}`,
    })
    const time = big(head.timestamp)
    expect(await rpcError(t, 'eth_simulateV1', [{ blockStateCalls: [{ blockOverrides: { time: hex(time) } }] }])).toEqual({
      code: -38021,
      message: `block timestamps must be in order: ${time} <= ${time}`,
    })
    expect(await rpcError(t, 'eth_simulateV1', [{ blockStateCalls: [] }])).toEqual({ code: -32602, message: 'empty input' })
    expect(await rpcError(t, 'eth_simulateV1', [{ blockStateCalls: [{ blockOverrides: { number: hex(start + 300) } }] }])).toEqual({ code: -38026, message: 'too many blocks' })
    expect(await rpcError(t, 'eth_simulateV1', [{ blockStateCalls: Array(257).fill({}) }])).toEqual({ code: -38026, message: 'too many blocks' })
    const poor = Wallet.createRandom().address
    const broke = await rpcError(t, 'eth_simulateV1', [{ blockStateCalls: [{ calls: [{ from: poor, to: contract, value: hex(1n) }] }] }])
    expect(broke.code).toBe(-38014)
    expect(broke.message).toMatch(/^insufficient funds for gas \* price \+ value/)
    const starved = await rpcError(t, 'eth_simulateV1', [{ blockStateCalls: [{ calls: [{ ...setValue(1n), gas: hex(1000) }] }] }])
    expect(starved.code).toBe(-38013)
    const overfull = await rpcError(t, 'eth_simulateV1', [{ blockStateCalls: [{ blockOverrides: { gasLimit: hex(100_000) }, calls: [{ ...setValue(1n), gas: hex(200_000) }] }] }])
    expect(overfull).toEqual({ code: -38015, message: 'block gas limit reached: 0 >= 100000' })
  })
})
