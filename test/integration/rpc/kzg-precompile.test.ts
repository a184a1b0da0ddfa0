/**
 * Cancun's point-evaluation precompile (0x0a) answers on chain as on mainnet: a valid proof returns
 * (FIELD_ELEMENTS_PER_BLOB, BLS_MODULUS), an invalid one fails the call, and neither disturbs the
 * state the node commits (the chain reopens at the same head with the same balances).
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnNode, tempDir, type TestNode } from '../../support/spawnNode.ts'
import { devWallet, DEV_ADDRESSES, sendAndMine } from './helpers.ts'

const POINT_EVALUATION = '0x000000000000000000000000000000000000000a'
const FIELD_ELEMENTS_PER_BLOB = 4096n
const BLS_MODULUS = 52435875175126190479447740508185965837690552500527637822603658699938581184513n

/** The commitment and proof of the zero polynomial: the point at infinity (EIP-4844's simplest valid input). */
const INFINITY = 'c0' + '00'.repeat(47)
const ZERO_WORD = '00'.repeat(32)

function versionedHash(commitmentHex: string): string {
  const digest = createHash('sha256').update(Buffer.from(commitmentHex, 'hex')).digest()
  digest[0] = 0x01
  return digest.toString('hex')
}

/** versioned_hash ++ z ++ y ++ commitment ++ proof, with p(z) = y for the zero polynomial at z = 0. */
const VALID_INPUT = `0x${versionedHash(INFINITY)}${ZERO_WORD}${ZERO_WORD}${INFINITY}${INFINITY}`
/** Same, but claiming p(0) = 1: the proof does not verify. */
const WRONG_VALUE_INPUT = `0x${versionedHash(INFINITY)}${ZERO_WORD}${'00'.repeat(31)}01${INFINITY}${INFINITY}`

describe('KZG point evaluation precompile (0x0a)', () => {
  let t: TestNode
  let dir: { dir: string; remove: () => Promise<void> }

  beforeAll(async () => {
    dir = await tempDir()
    t = await spawnNode({ datadir: dir.dir })
  })
  afterAll(async () => {
    await t?.close()
    await dir?.remove()
  })

  it('returns FIELD_ELEMENTS_PER_BLOB and BLS_MODULUS for a valid proof (eth_call)', async () => {
    const out: string = await t.call('eth_call', [{ to: POINT_EVALUATION, data: VALID_INPUT }, 'latest'])
    expect(BigInt(out.slice(0, 66))).toBe(FIELD_ELEMENTS_PER_BLOB)
    expect(BigInt('0x' + out.slice(66))).toBe(BLS_MODULUS)
  })

  it('fails a call whose proof does not verify', async () => {
    const res = await t.rpc('eth_call', [{ to: POINT_EVALUATION, data: WRONG_VALUE_INPUT }, 'latest'])
    expect(res.error?.code).toBe(-32000)
  })

  it('mines transactions to it with the right status and reopens at the same head and balances', async () => {
    const wallet = devWallet(1)
    const ok = await sendAndMine(t, wallet, { to: POINT_EVALUATION, data: VALID_INPUT, gasLimit: 100_000n })
    const bad = await sendAndMine(t, wallet, { to: POINT_EVALUATION, data: WRONG_VALUE_INPUT, gasLimit: 100_000n })
    expect(ok.status).toBe('0x1')
    expect(bad.status).toBe('0x0')
    // An invalid proof consumes all the gas it was given, as in geth.
    expect(BigInt(bad.gasUsed)).toBe(100_000n)
    const head = await t.call('eth_getBlockByNumber', ['latest', false])
    const balance = await t.call('eth_getBalance', [DEV_ADDRESSES[1], 'latest'])
    await t.close()
    t = await spawnNode({ datadir: dir.dir })
    expect((await t.call('eth_getBlockByNumber', ['latest', false])).hash).toBe(head.hash)
    expect(await t.call('eth_getBalance', [DEV_ADDRESSES[1], 'latest'])).toBe(balance)
    expect(await t.call('eth_getTransactionCount', [DEV_ADDRESSES[1], 'latest'])).toBe('0x2')
  })
})
