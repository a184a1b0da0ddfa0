/** eth_getLogs: address and topic criteria (alternatives, wildcards), blockHash, block ranges, errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Wallet, keccak256, toUtf8Bytes } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import {
  DEV_ADDRESSES,
  NOTE_TOPIC,
  VALUE_SET_TOPIC,
  addressTopic,
  deployProbe,
  devWallet,
  hex,
  num,
  probe,
  randomHash,
  rpcError,
  sendAndMine,
  word,
} from './helpers.ts'

const TAG_X = keccak256(toUtf8Bytes('tag-x'))
const TAG_Y = keccak256(toUtf8Bytes('tag-y'))

describe('eth_getLogs', () => {
  let t: TestNode
  const owner = devWallet(0)
  const other = devWallet(1)
  let a: string
  let b: string
  /** Block numbers of the log-producing transactions, in order. */
  const at: Record<string, number> = {}
  /** Every log of the chain, from the receipts, in chain order. */
  let all: any[]

  const getLogs = (filter: Record<string, unknown>) => t.call<any[]>('eth_getLogs', [filter])
  const idOf = (log: any) => `${num(log.blockNumber)}:${num(log.logIndex)}`

  beforeAll(async () => {
    t = await spawnNode()
    const deployedA = await deployProbe(t, owner, 1n) // ValueSet(owner, 1, 0)
    const deployedB = await deployProbe(t, other, 2n) // ValueSet(other, 2, 0)
    a = deployedA.address
    b = deployedB.address
    at.deployA = num(deployedA.receipt.blockNumber)
    at.deployB = num(deployedB.receipt.blockNumber)
    const call = async (key: string, wallet: Wallet, to: string, data: string) => {
      const r = await sendAndMine(t, wallet, { to, data, gasLimit: 300_000n })
      expect(r.status).toBe('0x1')
      at[key] = num(r.blockNumber)
    }
    await call('noteA', owner, a, probe.encodeFunctionData('note', [1n, TAG_X, 'a1']))
    await call('noteB', other, b, probe.encodeFunctionData('note', [2n, TAG_Y, 'b2']))
    await call('notesA', owner, a, probe.encodeFunctionData('notes', [3n, TAG_Y])) // Note(0..2, TAG_Y)
    await call('setA', other, a, probe.encodeFunctionData('setValue', [7n])) // ValueSet(other, 7, 1)
    await sendAndMine(t, owner, { to: Wallet.createRandom().address, value: 1n, gasLimit: 21_000n }) // a block without logs
    at.empty = num(await t.call('eth_blockNumber'))

    all = []
    for (let n = 1; n <= at.empty; n++) all.push(...(await t.call<any[]>('eth_getBlockReceipts', [hex(n)])).flatMap((r) => r.logs))
    expect(all).toHaveLength(2 + 1 + 1 + 3 + 1)
  })
  afterAll(async () => {
    await t?.close()
  })

  it('by address over the whole chain: every log of that contract, in chain order, with full log objects', async () => {
    const logs = await getLogs({ fromBlock: 'earliest', toBlock: 'latest', address: a })
    expect(logs).toEqual(all.filter((l) => l.address === a))
    expect(logs.map((l) => num(l.blockNumber))).toEqual([at.deployA, at.noteA, at.notesA, at.notesA, at.notesA, at.setA])
    // A block's logs are numbered within the block.
    expect(logs.filter((l) => num(l.blockNumber) === at.notesA).map((l) => l.logIndex)).toEqual(['0x0', '0x1', '0x2'])
    const setLog = logs[logs.length - 1]
    expect(setLog.topics).toEqual([VALUE_SET_TOPIC, addressTopic(DEV_ADDRESSES[1]), word(7)])
    expect(setLog.data).toBe(word(1)) // oldValue
    expect(setLog.removed).toBe(false)
    const receipt = await t.call('eth_getTransactionReceipt', [setLog.transactionHash])
    expect(receipt.logs).toEqual([setLog])
  })

  it('a list of addresses matches any of them; the address case does not matter', async () => {
    const both = await getLogs({ fromBlock: '0x0', address: [a, b] })
    expect(both).toEqual(all)
    const upper = await getLogs({ fromBlock: '0x0', address: '0x' + b.slice(2).toUpperCase() })
    expect(upper.map(idOf)).toEqual([`${at.deployB}:0`, `${at.noteB}:0`])
  })

  it('by topic0: only that event', async () => {
    const notes = await getLogs({ fromBlock: '0x0', topics: [NOTE_TOPIC] })
    expect(notes).toEqual(all.filter((l) => l.topics[0] === NOTE_TOPIC))
    expect(notes).toHaveLength(5)
    const sets = await getLogs({ fromBlock: '0x0', topics: [VALUE_SET_TOPIC] })
    expect(sets).toHaveLength(3)
  })

  it('null is a wildcard at its position, and a list gives alternatives', async () => {
    const tagY = await getLogs({ fromBlock: '0x0', topics: [NOTE_TOPIC, null, TAG_Y] })
    expect(tagY.map(idOf)).toEqual([`${at.noteB}:0`, `${at.notesA}:0`, `${at.notesA}:1`, `${at.notesA}:2`])
    const ids = await getLogs({ fromBlock: '0x0', topics: [null, [word(1), word(2)]] })
    // Note ids 1 and 2 (noteA, noteB, two of notesA); ValueSet's topic 1 is an address and never matches.
    expect(ids.map(idOf)).toEqual([`${at.noteA}:0`, `${at.noteB}:0`, `${at.notesA}:1`, `${at.notesA}:2`])
    const newValues = await getLogs({ fromBlock: '0x0', topics: [null, null, [word(1), word(2), word(7)]] })
    expect(newValues.map(idOf)).toEqual([`${at.deployA}:0`, `${at.deployB}:0`, `${at.setA}:0`])
    const either = await getLogs({ fromBlock: '0x0', topics: [[VALUE_SET_TOPIC, NOTE_TOPIC]] })
    expect(either).toEqual(all)
    const withNullAlternative = await getLogs({ fromBlock: '0x0', topics: [[NOTE_TOPIC, null]] })
    expect(withNullAlternative).toEqual(all) // a null among alternatives matches anything
    const combined = await getLogs({ fromBlock: '0x0', address: a, topics: [NOTE_TOPIC, [word(0), word(1)], TAG_Y] })
    expect(combined.map(idOf)).toEqual([`${at.notesA}:0`, `${at.notesA}:1`])
  })

  it('more topic positions than a log has never match it, even as wildcards', async () => {
    expect(await getLogs({ fromBlock: '0x0', topics: [null, null, null] })).toEqual(all.filter((l) => l.topics.length >= 3))
    expect(await getLogs({ fromBlock: '0x0', topics: [null, null, null, null] })).toEqual([])
  })

  it('by blockHash: only that block\'s matching logs', async () => {
    const block = await t.call('eth_getBlockByNumber', [hex(at.notesA), false])
    const logs = await getLogs({ blockHash: block.hash })
    expect(logs).toHaveLength(3)
    expect(logs.every((l) => l.blockHash === block.hash)).toBe(true)
    expect(await getLogs({ blockHash: block.hash, topics: [null, word(2)] })).toEqual([logs[2]])
    expect(await getLogs({ blockHash: block.hash, address: b })).toEqual([])
  })

  it('by block range: fromBlock and toBlock are inclusive; the defaults are latest', async () => {
    const range = await getLogs({ fromBlock: hex(at.noteB), toBlock: hex(at.notesA) })
    expect(range.map(idOf)).toEqual([`${at.noteB}:0`, `${at.notesA}:0`, `${at.notesA}:1`, `${at.notesA}:2`])
    const single = await getLogs({ fromBlock: hex(at.setA), toBlock: hex(at.setA) })
    expect(single.map(idOf)).toEqual([`${at.setA}:0`])
    const fromOnly = await getLogs({ fromBlock: hex(at.notesA) })
    expect(fromOnly.map((l) => num(l.blockNumber))).toEqual([at.notesA, at.notesA, at.notesA, at.setA])
    const toOnly = await getLogs({ fromBlock: 'earliest', toBlock: hex(at.deployB) })
    expect(toOnly.map(idOf)).toEqual([`${at.deployA}:0`, `${at.deployB}:0`])
    // No range at all: the latest block only (which has no logs here).
    expect(await getLogs({})).toEqual([])
    expect(await getLogs({ fromBlock: hex(at.setA), toBlock: 'latest' })).toHaveLength(1)
  })

  it('nothing matches: an empty array', async () => {
    expect(await getLogs({ fromBlock: '0x0', address: Wallet.createRandom().address })).toEqual([])
    expect(await getLogs({ fromBlock: '0x0', topics: [randomHash()] })).toEqual([])
    expect(await getLogs({ fromBlock: '0x0', address: b, topics: [VALUE_SET_TOPIC, null, word(7)] })).toEqual([])
    expect(await getLogs({ fromBlock: hex(at.empty), toBlock: hex(at.empty) })).toEqual([])
  })

  it('fromBlock > toBlock is -32602 "invalid block range params"', async () => {
    const err = await rpcError(t, 'eth_getLogs', [{ fromBlock: hex(at.setA), toBlock: hex(at.noteA) }])
    expect(err).toEqual({ code: -32602, message: 'invalid block range params' })
  })

  it('a range ending past the head is -32602 "block range extends beyond current head block"', async () => {
    const head = num(await t.call('eth_blockNumber'))
    const err = await rpcError(t, 'eth_getLogs', [{ fromBlock: '0x1', toBlock: hex(head + 5) }])
    expect(err).toEqual({ code: -32602, message: 'block range extends beyond current head block' })
    const future = await rpcError(t, 'eth_getLogs', [{ fromBlock: hex(head + 5), toBlock: hex(head + 7) }])
    expect(future).toEqual({ code: -32602, message: 'block range extends beyond current head block' })
    const pastLatest = await rpcError(t, 'eth_getLogs', [{ fromBlock: hex(head + 5), toBlock: 'latest' }])
    expect(pastLatest).toEqual({ code: -32602, message: 'invalid block range params' })
  })

  it('blockHash together with fromBlock/toBlock is refused', async () => {
    const block = await t.call('eth_getBlockByNumber', ['latest', false])
    const err = await rpcError(t, 'eth_getLogs', [{ blockHash: block.hash, fromBlock: '0x1' }])
    expect(err).toEqual({ code: -32602, message: 'invalid argument 0: cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other' })
    const withTo = await rpcError(t, 'eth_getLogs', [{ blockHash: block.hash, toBlock: 'latest' }])
    expect(withTo.code).toBe(-32602)
  })

  it('an unknown blockHash is -32000 "unknown block"; malformed criteria are -32602', async () => {
    expect(await rpcError(t, 'eth_getLogs', [{ blockHash: randomHash() }])).toEqual({ code: -32000, message: 'unknown block' })
    expect((await rpcError(t, 'eth_getLogs', [{ address: '0x1234' }])).code).toBe(-32602)
    expect((await rpcError(t, 'eth_getLogs', [{ topics: ['0x1234'] }])).code).toBe(-32602)
    expect((await rpcError(t, 'eth_getLogs', [{ topics: [null, null, null, null, null] }])).code).toBe(-32602)
  })
})
