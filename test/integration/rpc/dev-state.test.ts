/**
 * anvil_setBalance / setCode / setNonce / setStorageAt (and their hardhat_ names): no block is
 * mined, "latest", "pending", eth_call and the next block see the edit, and it survives a restart.
 * anvil_dumpState / anvil_loadState: anvil's format, and a dump loaded into a fresh devnet gives the same state.
 */
import { gunzipSync } from 'node:zlib'
import { getBytes } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnNode, tempDir, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, DEV_BALANCE, ETHER, big, deployProbe, devWallet, hex, num, probe, rpcError, sendAndMine, word } from './helpers.ts'

const RETURN_42 = '0x602a60005260206000f3'
const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`

describe('state setters', () => {
  let t: TestNode
  beforeAll(async () => (t = await spawnNode()))
  afterAll(() => t.close())

  it('anvil_setBalance and hardhat_setBalance answer null, mine nothing, and every read sees the balance', async () => {
    const number = await t.call('eth_blockNumber')
    expect(await t.call('anvil_setBalance', [addr(0xb1), hex(7n * ETHER)])).toBeNull()
    expect(await t.call('eth_blockNumber')).toBe(number)
    expect(big(await t.call('eth_getBalance', [addr(0xb1), 'latest']))).toBe(7n * ETHER)
    expect(big(await t.call('eth_getBalance', [addr(0xb1), 'pending']))).toBe(7n * ETHER)
    expect(big(await t.call('eth_getBalance', [addr(0xb1), number]))).toBe(7n * ETHER)
    // A number, zero-padded hex (ethers' toBeHex) and a decimal string work too, as in anvil.
    expect(await t.call('hardhat_setBalance', [DEV_ADDRESSES[5], 12345])).toBeNull()
    expect(big(await t.call('eth_getBalance', [DEV_ADDRESSES[5]]))).toBe(12345n)
    await t.call('anvil_setBalance', [DEV_ADDRESSES[5], '0x0de0b6b3a7640000'])
    expect(big(await t.call('eth_getBalance', [DEV_ADDRESSES[5]]))).toBe(ETHER)
    await t.call('anvil_setBalance', [DEV_ADDRESSES[5], '2000000000000000000'])
    expect(big(await t.call('eth_getBalance', [DEV_ADDRESSES[5]]))).toBe(2n * ETHER)
  })

  it('anvil_setNonce sets the nonce "latest" and "pending" report, and the pool holds the sender to it', async () => {
    expect(await t.call('anvil_setNonce', [DEV_ADDRESSES[6], '0x2a'])).toBeNull()
    expect(await t.call('eth_getTransactionCount', [DEV_ADDRESSES[6], 'latest'])).toBe('0x2a')
    expect(await t.call('eth_getTransactionCount', [DEV_ADDRESSES[6], 'pending'])).toBe('0x2a')
    const receipt = await sendAndMine(t, devWallet(6), { to: addr(0xb2), value: 1n })
    expect(receipt.status).toBe('0x1')
    expect(await t.call('eth_getTransactionCount', [DEV_ADDRESSES[6], 'latest'])).toBe('0x2b')
    expect(await t.call('hardhat_setNonce', [DEV_ADDRESSES[6], '0x64'])).toBeNull()
    expect(await t.call('eth_getTransactionCount', [DEV_ADDRESSES[6], 'latest'])).toBe('0x64')
  })

  it('anvil_setCode puts code that eth_getCode reads and eth_call runs', async () => {
    expect(await t.call('anvil_setCode', [addr(0xc0de), RETURN_42])).toBeNull()
    expect(await t.call('eth_getCode', [addr(0xc0de), 'latest'])).toBe(RETURN_42)
    expect(await t.call('eth_call', [{ to: addr(0xc0de) }, 'latest'])).toBe(word(42))
    expect(await t.call('hardhat_setCode', [addr(0xc0de), '0x'])).toBeNull()
    expect(await t.call('eth_getCode', [addr(0xc0de), 'latest'])).toBe('0x')
  })

  it('anvil_setStorageAt answers true; a contract reads the new value; an account without one is created', async () => {
    const { address } = await deployProbe(t, devWallet(0), 1n)
    expect(await t.call('anvil_setStorageAt', [address, '0x0', word(77)])).toBe(true)
    expect(await t.call('eth_getStorageAt', [address, '0x0', 'latest'])).toBe(word(77))
    expect(big(await t.call('eth_call', [{ to: address, data: probe.encodeFunctionData('value') }]))).toBe(77n)
    // A zero-padded slot, as Hardhat's helpers send it.
    expect(await t.call('hardhat_setStorageAt', [addr(0x5107), word(3), word(0xabc)])).toBe(true)
    expect(await t.call('eth_getStorageAt', [addr(0x5107), '0x3'])).toBe(word(0xabc))
    // The next transaction builds on it: setValue emits the old value (77) as data.
    const receipt = await sendAndMine(t, devWallet(1), { to: address, data: probe.encodeFunctionData('setValue', [8n]) })
    expect(big(receipt.logs[0].data)).toBe(77n)
  })

  it('the next block builds on the edits; the block before keeps its own state', async () => {
    const before = await t.call('eth_getBlockByNumber', ['latest', false])
    await t.call('anvil_setBalance', [addr(0xb3), hex(ETHER)])
    await t.call('evm_mine')
    const mined = await t.call('eth_getBlockByNumber', ['latest', false])
    expect(mined.stateRoot).not.toBe(before.stateRoot)
    expect(big(await t.call('eth_getBalance', [addr(0xb3), mined.number]))).toBe(ETHER)
    expect(big(await t.call('eth_getBalance', [addr(0xb3), before.number]))).toBe(0n)
  })

  it('refuses bad params with -32602', async () => {
    expect((await rpcError(t, 'anvil_setBalance', ['0x1234', '0x1'])).code).toBe(-32602)
    expect((await rpcError(t, 'anvil_setBalance', [addr(1), -1])).code).toBe(-32602)
    expect((await rpcError(t, 'anvil_setBalance', [addr(1), '0x'])).code).toBe(-32602)
    expect((await rpcError(t, 'anvil_setBalance', [addr(1), `0x1${'0'.repeat(64)}`])).code).toBe(-32602)
    expect((await rpcError(t, 'anvil_setBalance', [addr(1), '12ab'])).code).toBe(-32602)
    expect((await rpcError(t, 'anvil_setCode', [addr(1), '0x123'])).code).toBe(-32602)
    expect((await rpcError(t, 'anvil_setStorageAt', [addr(1), '0x0', `0x${'1'.repeat(66)}`])).code).toBe(-32602)
  })
})

describe('state edits on disk', () => {
  it('survive a restart of the node on the same datadir', async () => {
    const { dir, remove } = await tempDir()
    try {
      const first = await spawnNode({ datadir: dir })
      await first.call('anvil_setBalance', [addr(0xd15c), hex(3n * ETHER)])
      await first.call('anvil_setStorageAt', [addr(0xd15c), '0x1', word(9)])
      await first.close()
      const second = await spawnNode({ datadir: dir })
      try {
        expect(big(await second.call('eth_getBalance', [addr(0xd15c), 'latest']))).toBe(3n * ETHER)
        expect(await second.call('eth_getStorageAt', [addr(0xd15c), '0x1', 'latest'])).toBe(word(9))
      } finally {
        await second.close()
      }
    } finally {
      await remove()
    }
  })
})

describe('anvil_dumpState / anvil_loadState', () => {
  let a: TestNode
  let b: TestNode
  let probeAddress: string
  let dump: string

  beforeAll(async () => {
    ;[a, b] = await Promise.all([spawnNode(), spawnNode()])
    probeAddress = (await deployProbe(a, devWallet(0), 11n)).address
    await sendAndMine(a, devWallet(1), { to: probeAddress, data: probe.encodeFunctionData('credit', [DEV_ADDRESSES[2], 500n]) })
    await sendAndMine(a, devWallet(2), { to: addr(0xfeed), value: ETHER })
    await a.call('anvil_setCode', [addr(0xc0de), RETURN_42])
    await a.call('anvil_setStorageAt', [addr(0xc0de), '0x7', word(0x77)])
    await a.call('anvil_setNonce', [addr(0xc0de), '0x3'])
    dump = await a.call<string>('anvil_dumpState')
  })
  afterAll(() => Promise.all([a.close(), b.close()]))

  it('dumps anvil\'s format: gzipped JSON of accounts with nonce, balance, code and storage', () => {
    const state = JSON.parse(gunzipSync(getBytes(dump)).toString())
    expect(state.best_block_number).toBe(3)
    expect(state.block.number).toBe('0x3')
    const contract = state.accounts[probeAddress]
    expect(contract.nonce).toBe(1)
    expect(contract.code.length).toBeGreaterThan(100)
    expect(contract.storage[word(0)]).toBe(word(11))
    expect(contract.storage[word(1)]).toBe(word(BigInt(DEV_ADDRESSES[0])))
    expect(Object.keys(contract.storage)).toHaveLength(3) // value, owner, credits[addr2]
    expect(state.accounts[addr(0xfeed)]).toEqual({ nonce: 0, balance: hex(ETHER), code: '0x', storage: {} })
    expect(state.accounts[addr(0xc0de)]).toEqual({ nonce: 3, balance: '0x0', code: RETURN_42, storage: { [word(7)]: word(0x77) } })
    expect(big(state.accounts[DEV_ADDRESSES[9]].balance)).toBe(DEV_BALANCE)
    expect(Object.keys(state.accounts).length).toBeGreaterThanOrEqual(14)
  })

  it('a fresh devnet that loads it has the same state: same reads, and the same state root in the next block', async () => {
    expect(await b.call('anvil_loadState', [dump])).toBe(true)
    expect(await b.call('eth_blockNumber')).toBe('0x0')
    for (const who of [DEV_ADDRESSES[0], DEV_ADDRESSES[1], DEV_ADDRESSES[2], addr(0xfeed), addr(0)]) {
      expect(await b.call('eth_getBalance', [who, 'latest'])).toBe(await a.call('eth_getBalance', [who, 'latest']))
      expect(await b.call('eth_getTransactionCount', [who, 'latest'])).toBe(await a.call('eth_getTransactionCount', [who, 'latest']))
    }
    expect(await b.call('eth_getCode', [probeAddress, 'latest'])).toBe(await a.call('eth_getCode', [probeAddress, 'latest']))
    const credits = { to: probeAddress, data: probe.encodeFunctionData('credits', [DEV_ADDRESSES[2]]) }
    expect(big(await b.call('eth_call', [credits, 'latest']))).toBe(500n)

    await Promise.all([a.call('evm_mine'), b.call('evm_mine')])
    const [headA, headB] = await Promise.all([a.call('eth_getBlockByNumber', ['latest', false]), b.call('eth_getBlockByNumber', ['latest', false])])
    expect(num(headB.number)).toBe(1)
    expect(headB.stateRoot).toBe(headA.stateRoot)
  })

  it('also takes plain JSON, merges into what is there, and refuses what is not a dump with -32602', async () => {
    const plain = `0x${Buffer.from(JSON.stringify({ accounts: { [addr(0xaa)]: { nonce: 0, balance: '0x5', code: '0x', storage: {} } } })).toString('hex')}`
    expect(await b.call('hardhat_loadState', [plain])).toBe(true)
    expect(await b.call('eth_getBalance', [addr(0xaa), 'latest'])).toBe('0x5')
    expect(await b.call('eth_getBalance', [addr(0xfeed), 'latest'])).toBe(hex(ETHER))
    const error = await rpcError(b, 'anvil_loadState', ['0x1234'])
    expect(error.code).toBe(-32602)
    expect(error.message).toMatch(/Failed to decode state dump/)
  })

  it('a dump of a node opened on a datadir is complete after a restart (preimages are on disk)', async () => {
    const { dir, remove } = await tempDir()
    try {
      const first = await spawnNode({ datadir: dir })
      await first.call('anvil_setStorageAt', [addr(0xd0), '0x1', word(1)])
      await first.close()
      const second = await spawnNode({ datadir: dir })
      try {
        const state = JSON.parse(gunzipSync(getBytes(await second.call<string>('anvil_dumpState'))).toString())
        expect(state.accounts[addr(0xd0)].storage).toEqual({ [word(1)]: word(1) })
      } finally {
        await second.close()
      }
    } finally {
      await remove()
    }
  })
})
