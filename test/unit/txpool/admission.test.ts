import { Mainnet, createCustomCommon } from '@ethereumjs/common'
import { createBlob4844Tx, createEOACode7702Tx, createFeeMarket1559Tx, type TypedTransaction } from '@ethereumjs/tx'
import { describe, expect, it } from 'vitest'
import { TxPoolError, TxPoolErrorCode, type TxPoolErrorCode as Code } from '../../../node/txpool/errors.ts'
import {
  ADDR_A,
  CHAIN_ID,
  GWEI,
  KEY_A,
  TO,
  accessList2930,
  common,
  eip1559,
  hex,
  legacy,
  makePool,
  series,
} from './fixtures.ts'

async function refusal(promise: Promise<unknown>): Promise<TxPoolError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(error).toBeInstanceOf(TxPoolError)
  return error as TxPoolError
}

async function expectRefused(promise: Promise<unknown>, code: Code, message: string): Promise<void> {
  const error = await refusal(promise)
  expect(error.message).toBe(message)
  expect(error.code).toBe(code)
}

const chain1 = createCustomCommon({ chainId: 1 }, Mainnet, { hardfork: 'cancun' })
const prague = createCustomCommon({ chainId: CHAIN_ID }, Mainnet, { hardfork: 'prague' })

function setCode(key: Uint8Array): TypedTransaction {
  const authorization = { chainId: '0x539', address: TO, nonce: '0x0', yParity: '0x0', r: '0x01', s: '0x01' } as const
  return createEOACode7702Tx(
    { nonce: 0n, maxFeePerGas: 2n * GWEI, maxPriorityFeePerGas: GWEI, gasLimit: 100_000n, to: TO, authorizationList: [authorization] },
    { common: prague },
  ).sign(key)
}

describe('TxPool admission: accepted transactions', () => {
  it('accepts legacy, 2930 and 1559 transactions and returns their hashes', async () => {
    const { pool } = makePool()
    const txs = [legacy(KEY_A, 0n), accessList2930(KEY_A, 1n), eip1559(KEY_A, 2n)]
    for (const tx of txs) expect(hex(await pool.add(tx))).toBe(hex(tx.hash()))
    expect(pool.stats()).toEqual({ pending: 3, queued: 0 })
    expect(pool.has(txs[1].hash())).toBe(true)
    expect(pool.get(hex(txs[2].hash()).toUpperCase().replace('0X', '0x') as `0x${string}`)).toBe(txs[2])
  })

  it('accepts set-code (7702) transactions once the pool is in Prague', async () => {
    const { pool } = makePool({ common: prague })
    await pool.add(setCode(KEY_A))
    expect(pool.stats().pending).toBe(1)
  })

  it('accepts unprotected (pre-EIP-155) legacy transactions unless told to refuse them', async () => {
    const homestead = createCustomCommon({ chainId: CHAIN_ID }, Mainnet, { hardfork: 'homestead' })
    const tx = legacy(KEY_A, 0n, 2n * GWEI, {}, homestead)
    expect([27n, 28n]).toContain(tx.v)
    await makePool().pool.add(tx)
    await expectRefused(
      makePool({ rejectUnprotected: true }).pool.add(tx),
      TxPoolErrorCode.Unprotected,
      'only replay-protected (EIP-155) transactions allowed over RPC',
    )
  })
})

describe('TxPool admission: geth errors, word for word', () => {
  it('already known', async () => {
    const { pool } = makePool()
    const tx = eip1559(KEY_A, 0n)
    await pool.add(tx)
    await expectRefused(pool.add(tx), TxPoolErrorCode.AlreadyKnown, 'already known')
  })

  it('transaction type not supported: blob transactions have no pool here', async () => {
    const withKzg = createCustomCommon({ chainId: CHAIN_ID }, Mainnet, {
      hardfork: 'cancun',
      customCrypto: { kzg: {} as never },
    })
    const blob = createBlob4844Tx(
      {
        maxFeePerGas: 2n * GWEI,
        maxPriorityFeePerGas: GWEI,
        maxFeePerBlobGas: 1n,
        gasLimit: 21_000n,
        to: TO,
        blobVersionedHashes: [`0x01${'00'.repeat(31)}`],
      },
      { common: withKzg },
    ).sign(KEY_A)
    await expectRefused(
      makePool().pool.add(blob),
      TxPoolErrorCode.TxTypeNotSupported,
      'transaction type not supported: tx type 3 not supported by this pool',
    )
  })

  it('transaction type not supported: a type whose fork the pool is not in', async () => {
    const berlin = createCustomCommon({ chainId: CHAIN_ID }, Mainnet, { hardfork: 'berlin' })
    await expectRefused(
      makePool({ common: berlin }).pool.add(eip1559(KEY_A, 0n)),
      TxPoolErrorCode.TxTypeNotSupported,
      'transaction type not supported: type 2 rejected, pool not yet in London',
    )
    await expectRefused(
      makePool().pool.add(setCode(KEY_A)),
      TxPoolErrorCode.TxTypeNotSupported,
      'transaction type not supported: type 4 rejected, pool not yet in Prague',
    )
  })

  it('oversized data', async () => {
    const tx = eip1559(KEY_A, 0n, {}, { data: new Uint8Array(131_072), gasLimit: 10_000_000n })
    const size = tx.serialize().length
    expect(size).toBeGreaterThan(131_072)
    await expectRefused(
      makePool().pool.add(tx),
      TxPoolErrorCode.OversizedData,
      `oversized data: transaction size ${size}, limit 131072`,
    )
  })

  it('oversized data: the limit is configurable', async () => {
    const tx = eip1559(KEY_A, 0n)
    await expectRefused(
      makePool({ limits: { maxTxBytes: 50 } }).pool.add(tx),
      TxPoolErrorCode.OversizedData,
      `oversized data: transaction size ${tx.serialize().length}, limit 50`,
    )
  })

  it('exceeds block gas limit', async () => {
    await expectRefused(
      makePool().pool.add(eip1559(KEY_A, 0n, {}, { gasLimit: 30_000_001n })),
      TxPoolErrorCode.GasLimitExceeded,
      'exceeds block gas limit',
    )
  })

  it('max priority fee per gas higher than max fee per gas', async () => {
    // ethereumjs will not build such a tx, so alter an unfrozen one after signing.
    const tx = createFeeMarket1559Tx(
      { maxFeePerGas: 2n * GWEI, maxPriorityFeePerGas: GWEI, gasLimit: 21_000n, to: TO },
      { common, freeze: false },
    ).sign(KEY_A)
    ;(tx as { maxPriorityFeePerGas: bigint }).maxPriorityFeePerGas = 3n * GWEI
    await expectRefused(
      makePool().pool.add(tx),
      TxPoolErrorCode.TipAboveFeeCap,
      'max priority fee per gas higher than max fee per gas',
    )
  })

  it('invalid chain id, for legacy (EIP-155 v) and typed transactions', async () => {
    const message = 'invalid sender: invalid chain id for signer: have 1 want 1337'
    const { pool } = makePool()
    await expectRefused(pool.add(legacy(KEY_A, 0n, 2n * GWEI, {}, chain1)), TxPoolErrorCode.InvalidChainId, message)
    await expectRefused(pool.add(eip1559(KEY_A, 0n, {}, {}, chain1)), TxPoolErrorCode.InvalidChainId, message)
  })

  it('invalid sender: an unsigned transaction', async () => {
    const unsigned = createFeeMarket1559Tx(
      { maxFeePerGas: 2n * GWEI, maxPriorityFeePerGas: GWEI, gasLimit: 21_000n, to: TO },
      { common },
    )
    await expectRefused(makePool().pool.add(unsigned), TxPoolErrorCode.InvalidSender, 'invalid sender')
  })

  it('intrinsic gas too low', async () => {
    await expectRefused(
      makePool().pool.add(eip1559(KEY_A, 0n, {}, { gasLimit: 20_999n })),
      TxPoolErrorCode.IntrinsicGasTooLow,
      'intrinsic gas too low: gas 20999, minimum needed 21000',
    )
    // 1000 non-zero calldata bytes cost 16 gas each.
    await expectRefused(
      makePool().pool.add(eip1559(KEY_A, 0n, {}, { gasLimit: 30_000n, data: new Uint8Array(1000).fill(1) })),
      TxPoolErrorCode.IntrinsicGasTooLow,
      'intrinsic gas too low: gas 30000, minimum needed 37000',
    )
  })

  it('insufficient gas for floor data gas cost (Prague, EIP-7623)', async () => {
    // intrinsic 21000 + 16 * 1000 = 37000; floor 21000 + 10 * 4 * 1000 = 61000
    const tx = eip1559(KEY_A, 0n, {}, { gasLimit: 50_000n, data: new Uint8Array(1000).fill(1) }, prague)
    await expectRefused(
      makePool({ common: prague }).pool.add(tx),
      TxPoolErrorCode.FloorDataGasTooLow,
      'insufficient gas for floor data gas cost: gas 50000, minimum needed 61000',
    )
  })

  it('max fee per gas less than block base fee (checksummed address)', async () => {
    await expectRefused(
      makePool().pool.add(eip1559(KEY_A, 0n, { maxFee: GWEI - 1n, tip: 1n })),
      TxPoolErrorCode.FeeCapTooLow,
      'max fee per gas less than block base fee: address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, ' +
        'maxFeePerGas: 999999999, baseFee: 1000000000',
    )
  })

  it('nonce too low', async () => {
    const { pool, state } = makePool()
    state.set(ADDR_A, 5n, 10n ** 18n)
    await expectRefused(pool.add(eip1559(KEY_A, 3n)), TxPoolErrorCode.NonceTooLow, 'nonce too low: next nonce 5, tx nonce 3')
  })

  it('insufficient funds: the tx alone (gasLimit * maxFeePerGas + value)', async () => {
    const { pool, state } = makePool()
    const cost = 21_000n * 2n * GWEI + 5n
    state.set(ADDR_A, 0n, cost - 1n)
    await expectRefused(
      pool.add(eip1559(KEY_A, 0n, {}, { value: 5n })),
      TxPoolErrorCode.InsufficientFunds,
      `insufficient funds for gas * price + value: balance ${cost - 1n}, tx cost ${cost}, overshot 1`,
    )
  })

  it('insufficient funds: the tx on top of the pending ones', async () => {
    const { pool, state } = makePool()
    state.set(ADDR_A, 0n, 60_000n * GWEI)
    await pool.add(eip1559(KEY_A, 0n))
    await expectRefused(
      pool.add(eip1559(KEY_A, 1n)),
      TxPoolErrorCode.InsufficientFunds,
      'insufficient funds for gas * price + value: balance 60000000000000, queued cost 42000000000000, ' +
        'tx cost 42000000000000, overshot 24000000000000',
    )
  })

  it('insufficient funds: a replacement that raises the pending cost too far', async () => {
    const { pool, state } = makePool()
    state.set(ADDR_A, 0n, 100_000n * GWEI)
    await pool.add(eip1559(KEY_A, 0n))
    await pool.add(eip1559(KEY_A, 1n))
    await expectRefused(
      pool.add(eip1559(KEY_A, 1n, { maxFee: 4n * GWEI, tip: 2n * GWEI })),
      TxPoolErrorCode.InsufficientFunds,
      'insufficient funds for gas * price + value: balance 100000000000000, queued cost 84000000000000, ' +
        'tx bumped 42000000000000, overshot 26000000000000',
    )
  })

  it('replacement transaction underpriced', async () => {
    const { pool } = makePool()
    await pool.add(eip1559(KEY_A, 0n, { maxFee: 100n * GWEI, tip: 10n * GWEI }))
    await expectRefused(
      pool.add(eip1559(KEY_A, 0n, { maxFee: 109n * GWEI, tip: 11n * GWEI })),
      TxPoolErrorCode.ReplaceUnderpriced,
      'replacement transaction underpriced',
    )
  })

  it('txpool is full', async () => {
    const { pool } = makePool({ limits: { globalSlots: 2, accountSlots: 1 } })
    await pool.add(eip1559(KEY_A, 0n))
    await pool.add(eip1559(KEY_A, 5n))
    await expectRefused(pool.add(eip1559(KEY_A, 1n)), TxPoolErrorCode.PoolFull, 'txpool is full')
  })

  it('account limit exceeded: a sender queues at most 64 transactions', async () => {
    const { pool } = makePool()
    for (const tx of series(KEY_A, 1n, 64)) await pool.add(tx) // nonce 0 missing: all queued
    expect(pool.stats()).toEqual({ pending: 0, queued: 64 })
    await expectRefused(
      pool.add(eip1559(KEY_A, 65n)),
      TxPoolErrorCode.AccountLimitExceeded,
      'account limit exceeded: pooled 64 txs',
    )
    expect(pool.stats()).toEqual({ pending: 0, queued: 64 })
  })

  it('checks in geth order: cheap checks before the signature, the signature before state', async () => {
    const { pool, state } = makePool()
    state.set(ADDR_A, 9n, 0n)
    // Over the gas limit and for the wrong chain: the gas limit is reported.
    await expectRefused(
      pool.add(eip1559(KEY_A, 0n, {}, { gasLimit: 40_000_000n }, chain1)),
      TxPoolErrorCode.GasLimitExceeded,
      'exceeds block gas limit',
    )
    // Below the base fee, stale nonce, no funds: the base fee (no state needed) is reported.
    const reads = state.reads
    await expectRefused(pool.add(eip1559(KEY_A, 0n, { maxFee: 1n, tip: 1n })), TxPoolErrorCode.FeeCapTooLow,
      'max fee per gas less than block base fee: address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, maxFeePerGas: 1, baseFee: 1000000000')
    expect(state.reads).toBe(reads)
  })
})
