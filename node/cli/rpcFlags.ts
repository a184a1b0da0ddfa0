import { DEFAULT_RPC, type RpcOptions } from '../options.ts'
import { CliUsageError } from './errors.ts'

/** The RPC limit flags as `parseArgs` declares them; shared by every command that serves RPC. */
export const RPC_FLAG_OPTIONS = {
  'rpc.gascap': { type: 'string' },
  'rpc.evmtimeout': { type: 'string' },
  'rpc.txfeecap': { type: 'string' },
  'rpc.batch-request-limit': { type: 'string' },
  'rpc.batch-response-max-size': { type: 'string' },
  'rpc.allow-unprotected-txs': { type: 'boolean' },
  'rpc.body-limit': { type: 'string' },
  'rpc.logs-block-range': { type: 'string' },
  'rpc.logs-result-limit': { type: 'string' },
  'ws.subscription-limit': { type: 'string' },
  'http.corsdomain': { type: 'string' },
  'http.vhosts': { type: 'string' },
} as const

export const RPC_FLAGS_USAGE = `RPC limits (geth's names and defaults; 0 = no limit where a limit can be off):
  --rpc.gascap N                   gas cap of eth_call / eth_estimateGas (default 50000000)
  --rpc.evmtimeout DURATION        time limit of eth_call / eth_estimateGas, e.g. 5s, 500ms (default 5s)
  --rpc.txfeecap OPEN              largest fee of a sent transaction, in OPEN (default 1)
  --rpc.batch-request-limit N      most requests in one batch (default 1000)
  --rpc.batch-response-max-size N  most bytes of results to one batch (default 25000000)
  --rpc.allow-unprotected-txs      accept pre-EIP-155 transactions over RPC
  --rpc.body-limit N               largest HTTP request body in bytes (default 5242880)
  --rpc.logs-block-range N         widest block range of one eth_getLogs (default 10000)
  --rpc.logs-result-limit N        most logs one eth_getLogs returns (default 20000)
  --ws.subscription-limit N        most subscriptions per WebSocket (default 1024)
  --http.corsdomain LIST           comma-separated origins allowed by CORS, * for any (default *)
  --http.vhosts LIST               comma-separated Host names accepted, * for any (default localhost)`

export type RpcFlagValues = { [K in keyof typeof RPC_FLAG_OPTIONS]?: (typeof RPC_FLAG_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string }

const MAX_UINT64 = 2n ** 64n - 1n
const WEI_PER_OPEN = 10n ** 18n
/** Go's time.ParseDuration units, in milliseconds. */
const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }

/** The RPC options the flags give, over `base` (geth's defaults). Bad values are CliUsageErrors naming the flag. */
export function rpcLimitsFromFlags(flags: RpcFlagValues, base: RpcOptions = DEFAULT_RPC): RpcOptions {
  const count = (name: keyof RpcFlagValues, fallback: number, min = 0) => {
    const value = flags[name]
    return typeof value === 'string' ? countFlag(`--${name}`, value, min) : fallback
  }
  return {
    ...base,
    gasCap: flags['rpc.gascap'] === undefined ? base.gasCap : uint64Flag('--rpc.gascap', flags['rpc.gascap']),
    evmTimeoutMs: flags['rpc.evmtimeout'] === undefined ? base.evmTimeoutMs : durationMs('--rpc.evmtimeout', flags['rpc.evmtimeout']),
    txFeeCap: flags['rpc.txfeecap'] === undefined ? base.txFeeCap : openToWei('--rpc.txfeecap', flags['rpc.txfeecap']),
    batchRequestLimit: count('rpc.batch-request-limit', base.batchRequestLimit),
    batchResponseMaxSize: count('rpc.batch-response-max-size', base.batchResponseMaxSize),
    allowUnprotectedTxs: flags['rpc.allow-unprotected-txs'] ?? base.allowUnprotectedTxs,
    bodyLimit: count('rpc.body-limit', base.bodyLimit, 1),
    logsBlockRange: count('rpc.logs-block-range', base.logsBlockRange),
    logsResultLimit: count('rpc.logs-result-limit', base.logsResultLimit),
    wsSubscriptionLimit: count('ws.subscription-limit', base.wsSubscriptionLimit),
    corsDomains: flags['http.corsdomain'] === undefined ? base.corsDomains : listFlag(flags['http.corsdomain']),
    vhosts: flags['http.vhosts'] === undefined ? base.vhosts : listFlag(flags['http.vhosts']),
  }
}

function countFlag(name: string, value: string, min: number): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < min || !Number.isSafeInteger(n)) {
    throw new CliUsageError(`${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`)
  }
  return n
}

function uint64Flag(name: string, value: string): bigint {
  if (!/^\d+$/.test(value) || BigInt(value) > MAX_UINT64) throw new CliUsageError(`${name} must be an integer in [0, 2^64), got ${JSON.stringify(value)}`)
  return BigInt(value)
}

/** A Go duration ("5s", "1m30s", "250ms", "0") in milliseconds, as geth reads --rpc.evmtimeout. */
function durationMs(name: string, value: string): number {
  if (value === '') throw new CliUsageError(`${name} must be a duration such as 5s, got ""`)
  if (value === '0') return 0
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y
  let total = 0
  let at = 0
  while (at < value.length) {
    part.lastIndex = at
    const match = part.exec(value)
    if (!match) throw new CliUsageError(`${name} must be a duration such as 5s, 500ms or 1m30s, got ${JSON.stringify(value)}`)
    total += Number(match[1]) * DURATION_UNITS[match[2]]
    at = part.lastIndex
  }
  return Math.round(total)
}

/** A decimal amount of OPEN ("1", "0.5") in wei; more than 18 decimals is refused rather than rounded. */
function openToWei(name: string, value: string): bigint {
  const match = /^(\d*)(?:\.(\d{0,18}))?$/.exec(value)
  if (!match || value === '' || value === '.') throw new CliUsageError(`${name} must be a decimal amount of OPEN (at most 18 decimals), got ${JSON.stringify(value)}`)
  const [, whole, fraction = ''] = match
  return BigInt(whole || '0') * WEI_PER_OPEN + BigInt(fraction.padEnd(18, '0'))
}

function listFlag(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}
