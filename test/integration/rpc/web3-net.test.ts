/** web3_* and net_*: identity of the node, as tools read it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keccak256, toUtf8Bytes, hexlify } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { rpcError } from './helpers.ts'

describe('web3 and net methods', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await spawnNode()
  })
  afterAll(async () => {
    await t?.close()
  })

  it('web3_clientVersion starts with "anvil" (Hardhat picks its dialect by this prefix) and names the node', async () => {
    const version = await t.call<string>('web3_clientVersion')
    expect(version.startsWith('anvil')).toBe(true)
    expect(version).toMatch(/^anvil\/olnode-v\d+\.\d+\.\d+/)
  })

  it('web3_sha3 is keccak-256 of the bytes given', async () => {
    // Known vectors: keccak256("") and keccak256("hello world").
    expect(await t.call('web3_sha3', ['0x'])).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
    expect(await t.call('web3_sha3', [hexlify(toUtf8Bytes('hello world'))])).toBe(
      '0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad',
    )
    const data = '0x' + 'ab'.repeat(300)
    expect(await t.call('web3_sha3', [data])).toBe(keccak256(data))
  })

  it('web3_sha3 refuses data that is not 0x-prefixed hex bytes', async () => {
    const noPrefix = await rpcError(t, 'web3_sha3', ['68656c6c6f'])
    expect(noPrefix.code).toBe(-32602)
    expect(noPrefix.message).toBe('invalid argument 0: hex string without 0x prefix')
    const odd = await rpcError(t, 'web3_sha3', ['0x123'])
    expect(odd.code).toBe(-32602)
    expect(odd.message).toBe('invalid argument 0: hex string of odd length')
    const missing = await rpcError(t, 'web3_sha3', [])
    expect(missing.code).toBe(-32602)
  })

  it('net_version is the chain id in decimal', async () => {
    expect(await t.call('net_version')).toBe('1337')
  })

  it('net_listening is true and net_peerCount is 0x0 on a single node', async () => {
    expect(await t.call('net_listening')).toBe(true)
    expect(await t.call('net_peerCount')).toBe('0x0')
  })

  it('these methods take no parameters', async () => {
    const err = await rpcError(t, 'net_version', ['extra'])
    expect(err.code).toBe(-32602)
    expect(err.message).toBe('too many arguments, want at most 0')
  })
})
