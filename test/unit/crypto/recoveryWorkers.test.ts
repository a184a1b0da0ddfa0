import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { RLP } from '@ethereumjs/rlp'
import { createTx, createTxFromRLP, type TypedTxData } from '@ethereumjs/tx'
import { bigIntToUnpaddedBytes, hexToBytes } from '@ethereumjs/util'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { cryptoBackends } from '../../../node/crypto/backends.ts'
import { MIN_BATCH, recoveryWorkerData, RecoveryWorkers } from '../../../node/crypto/recoveryWorkers.ts'
import { deriveDevAccounts } from '../../../node/devAccounts.ts'
import { createChainCommon } from '../../../node/execution/common.ts'
import { devnetGenesis } from '../../../genesis/genesis.ts'
import { silentLogger } from '../../../node/logger.ts'

const common = createChainCommon(devnetGenesis())
const [alice] = deriveDevAccounts(1)
const key = alice.privateKey
const fields = { nonce: 7n, gasLimit: 21_000n, to: `0x${'11'.repeat(20)}` as const, value: 5n, data: '0xabcd' as const }

/** One signed transaction of each kind the devnet's pool takes (Cancun), as it arrives over RPC. */
const kinds: Record<string, TypedTxData> = {
  'legacy, EIP-155': { ...fields, gasPrice: 10n ** 9n },
  'EIP-2930': { ...fields, type: 1, gasPrice: 10n ** 9n, accessList: [{ address: `0x${'22'.repeat(20)}`, storageKeys: [`0x${'00'.repeat(31)}01`] }] },
  'EIP-1559': { ...fields, type: 2, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n },
}

function raw(data: TypedTxData): Uint8Array {
  return createTx(data, { common }).sign(key).serialize()
}

/** A legacy transaction signed before EIP-155 (v = 27/28), which ethereumjs no longer signs itself. */
function unprotectedRaw(): Uint8Array {
  const unsigned = [7n, 10n ** 9n, 21_000n].map(bigIntToUnpaddedBytes).concat([hexToBytes(fields.to as `0x${string}`), bigIntToUnpaddedBytes(5n), hexToBytes('0xabcd')])
  const sig = secp256k1.sign(keccak_256(RLP.encode(unsigned)), key, { prehash: false, format: 'recovered' })
  return RLP.encode([...unsigned, bigIntToUnpaddedBytes(27n + BigInt(sig[0])), sig.subarray(1, 33), sig.subarray(33)])
}

/** `rawTx` (typed) with its s replaced by one past the curve's order, which libsecp256k1 refuses. */
function withBadS(rawTx: Uint8Array): Uint8Array {
  const items = RLP.decode(rawTx.subarray(1)) as Uint8Array[]
  items[items.length - 1] = hexToBytes(`0x${'ff'.repeat(32)}`)
  return new Uint8Array([rawTx[0], ...RLP.encode(items)])
}

/** The sender as the node finds it, and how many recoveries it ran on this thread to find it. */
function senderOnMainThread(rawTx: Uint8Array): { sender: string; recoveries: number } {
  const recover = vi.spyOn(cryptoBackends, 'recover')
  const sender = createTxFromRLP(rawTx, { common }).getSenderAddress().toString()
  const recoveries = recover.mock.calls.length
  recover.mockRestore()
  return { sender, recoveries }
}

describe('sender recovery workers', () => {
  const pool = RecoveryWorkers.start(2, silentLogger())
  afterAll(() => pool.close())
  afterEach(() => vi.restoreAllMocks())

  it('recovers each kind of transaction ahead: the main thread then finds the key and recovers nothing', async () => {
    const raws = [...Object.values(kinds).map(raw), unprotectedRaw()]
    expect(raws.map((r) => r[0] > 0x7f || r[0])).toEqual([true, 1, 2, true])
    expect(raws.map((r) => senderOnMainThread(r).recoveries)).toEqual([1, 1, 1, 1])
    expect(raws.length).toBeGreaterThanOrEqual(MIN_BATCH)
    await pool.warm(raws)
    for (const rawTx of raws) expect(senderOnMainThread(rawTx)).toEqual({ sender: alice.address, recoveries: 0 })
  })

  it('leaves fewer than MIN_BATCH to the main thread, which recovers the same sender', async () => {
    const few = Array.from({ length: MIN_BATCH - 1 }, (_, i) => raw({ ...kinds['EIP-1559'], nonce: 50n + BigInt(i) }))
    await pool.warm(few)
    for (const rawTx of few) expect(senderOnMainThread(rawTx)).toEqual({ sender: alice.address, recoveries: 1 })
  })

  it('warms a whole batch in one go, and leaves nothing for garbage: those fail on the main thread as before', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => raw({ ...kinds['EIP-1559'], nonce: 100n + BigInt(i) }))
    const badS = withBadS(raw({ ...kinds['EIP-1559'], nonce: 99n }))
    await pool.warm([batch[0].subarray(0, 40), new Uint8Array([0x7f]), new Uint8Array(), badS, ...batch])
    for (const rawTx of batch) expect(senderOnMainThread(rawTx).recoveries).toBe(0)
    expect(() => createTxFromRLP(badS, { common }).getSenderAddress()).toThrow(/Invalid Signature/)
  })

  it('goes back to the main thread, with a warning, when a worker cannot start', async () => {
    const logger = silentLogger()
    const warn = vi.spyOn(logger, 'warn')
    const broken = RecoveryWorkers.start(1, logger, { ...recoveryWorkerData(), secp256k1: '/nonexistent/secp256k1.js' })
    const raws = Array.from({ length: MIN_BATCH }, (_, i) => raw({ ...kinds['EIP-1559'], nonce: 60n + BigInt(i) }))
    await broken.warm(raws)
    await broken.warm(raws)
    expect(warn).toHaveBeenCalledOnce()
    for (const rawTx of raws) expect(senderOnMainThread(rawTx)).toEqual({ sender: alice.address, recoveries: 1 })
    await broken.close()
  })

  it("lets a worker finish loading its modules before closing it: cutting off an addon's init aborts the process", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'olnode-recovery-'))
    const mark = path.join(dir, 'loaded')
    process.env.SLOW_RLP_LOADED = mark
    const slowRlp = fileURLToPath(new URL('../../fixtures/modules/slowRlp.cjs', import.meta.url))
    try {
      const loading = RecoveryWorkers.start(1, silentLogger(), { ...recoveryWorkerData(), rlp: slowRlp })
      await loading.close()
      expect(existsSync(mark)).toBe(true)
    } finally {
      delete process.env.SLOW_RLP_LOADED
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('starts and closes at once, again and again, without a crash', async () => {
    for (let i = 0; i < 10; i++) await RecoveryWorkers.start(2, silentLogger()).close()
    const raws = Array.from({ length: MIN_BATCH }, (_, i) => raw({ ...kinds['EIP-1559'], nonce: 70n + BigInt(i) }))
    await pool.warm(raws)
    for (const rawTx of raws) expect(senderOnMainThread(rawTx).recoveries).toBe(0)
  })
})
