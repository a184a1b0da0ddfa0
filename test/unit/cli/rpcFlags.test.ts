import { describe, expect, it } from 'vitest'
import { devnetOptions, DEVNET_USAGE } from '../../../node/cli/devnet.ts'
import { CliUsageError } from '../../../node/cli/errors.ts'
import { rpcLimitsFromFlags, RPC_FLAG_OPTIONS, type RpcFlagValues } from '../../../node/cli/rpcFlags.ts'
import { DEFAULT_RPC } from '../../../node/options.ts'

const OPEN = 10n ** 18n

function usageError(flags: RpcFlagValues): CliUsageError {
  try {
    rpcLimitsFromFlags(flags)
  } catch (err) {
    expect(err).toBeInstanceOf(CliUsageError)
    return err as CliUsageError
  }
  throw new Error(`${JSON.stringify(flags)} was accepted`)
}

describe('rpcLimitsFromFlags', () => {
  it('no flags: geth defaults', () => {
    expect(rpcLimitsFromFlags({})).toEqual(DEFAULT_RPC)
  })

  it('reads every limit', () => {
    const opts = rpcLimitsFromFlags({
      'rpc.gascap': '1000000',
      'rpc.evmtimeout': '1m30s',
      'rpc.txfeecap': '0.25',
      'rpc.batch-request-limit': '10',
      'rpc.batch-response-max-size': '2048',
      'rpc.allow-unprotected-txs': true,
      'rpc.body-limit': '4096',
      'rpc.logs-block-range': '5',
      'rpc.logs-result-limit': '7',
      'ws.subscription-limit': '3',
      'http.corsdomain': 'https://a.example, https://b.example',
      'http.vhosts': 'localhost,node1',
    })
    expect(opts).toEqual({
      ...DEFAULT_RPC,
      gasCap: 1_000_000n,
      evmTimeoutMs: 90_000,
      txFeeCap: OPEN / 4n,
      batchRequestLimit: 10,
      batchResponseMaxSize: 2048,
      allowUnprotectedTxs: true,
      bodyLimit: 4096,
      logsBlockRange: 5,
      logsResultLimit: 7,
      wsSubscriptionLimit: 3,
      corsDomains: ['https://a.example', 'https://b.example'],
      vhosts: ['localhost', 'node1'],
    })
  })

  it('reads Go durations as geth does', () => {
    const ms = (value: string) => rpcLimitsFromFlags({ 'rpc.evmtimeout': value }).evmTimeoutMs
    expect(ms('5s')).toBe(5_000)
    expect(ms('500ms')).toBe(500)
    expect(ms('1.5s')).toBe(1_500)
    expect(ms('1h2m3s')).toBe(3_723_000)
    expect(ms('0')).toBe(0)
    expect(ms('2000000us')).toBe(2_000)
  })

  it('reads the fee cap in OPEN, decimals included; 0 turns it off', () => {
    const cap = (value: string) => rpcLimitsFromFlags({ 'rpc.txfeecap': value }).txFeeCap
    expect(cap('1')).toBe(OPEN)
    expect(cap('0')).toBe(0n)
    expect(cap('.5')).toBe(OPEN / 2n)
    expect(cap('100.000000000000000001')).toBe(100n * OPEN + 1n)
  })

  it('an empty list is an empty list (no CORS, only IP hosts)', () => {
    expect(rpcLimitsFromFlags({ 'http.corsdomain': '', 'http.vhosts': '' })).toMatchObject({ corsDomains: [], vhosts: [] })
  })

  const bad: [RpcFlagValues, string][] = [
    [{ 'rpc.gascap': '-1' }, '--rpc.gascap'],
    [{ 'rpc.gascap': '18446744073709551616' }, '--rpc.gascap'],
    [{ 'rpc.evmtimeout': '5' }, '--rpc.evmtimeout'],
    [{ 'rpc.evmtimeout': '5 s' }, '--rpc.evmtimeout'],
    [{ 'rpc.evmtimeout': 'soon' }, '--rpc.evmtimeout'],
    [{ 'rpc.evmtimeout': '' }, '--rpc.evmtimeout'],
    [{ 'rpc.txfeecap': '1e18' }, '--rpc.txfeecap'],
    [{ 'rpc.txfeecap': '-1' }, '--rpc.txfeecap'],
    [{ 'rpc.txfeecap': '0.0000000000000000001' }, '--rpc.txfeecap'],
    [{ 'rpc.txfeecap': '.' }, '--rpc.txfeecap'],
    [{ 'rpc.batch-request-limit': 'many' }, '--rpc.batch-request-limit'],
    [{ 'rpc.batch-response-max-size': '1.5' }, '--rpc.batch-response-max-size'],
    [{ 'rpc.body-limit': '0' }, '--rpc.body-limit'],
    [{ 'rpc.logs-block-range': '-5' }, '--rpc.logs-block-range'],
    [{ 'rpc.logs-result-limit': '0x10' }, '--rpc.logs-result-limit'],
    [{ 'ws.subscription-limit': '99999999999999999999' }, '--ws.subscription-limit'],
  ]
  it.each(bad)('%j is a usage error naming %s', (flags, name) => {
    expect(usageError(flags).message).toContain(name)
  })
})

describe('olnode devnet with RPC flags', () => {
  it('passes them to the RPC options, and lists every one in the usage', async () => {
    const opts = await devnetOptions(['--in-memory', '--rpc.logs-block-range', '5', '--http.vhosts=*', '--rpc.allow-unprotected-txs', '--rpc.evmtimeout', '2s'])
    if (opts === 'help' || opts.rpc === false) throw new Error('expected RPC options')
    expect(opts.rpc).toMatchObject({ logsBlockRange: 5, vhosts: ['*'], allowUnprotectedTxs: true, evmTimeoutMs: 2000, port: 8545 })
    for (const name of Object.keys(RPC_FLAG_OPTIONS)) expect(DEVNET_USAGE).toContain(`--${name}`)
  })

  it('a bad value is a usage error naming the flag', async () => {
    await expect(devnetOptions(['--rpc.batch-request-limit', 'x'])).rejects.toThrow(/--rpc\.batch-request-limit/)
  })
})
