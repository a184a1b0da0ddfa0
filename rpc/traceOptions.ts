import type { CallOverrides } from '../node/execution/call.ts'
import type { TraceConfig } from '../node/execution/tracing/tracers.ts'
import { blockOverrides, stateOverride } from './overrideValidators.ts'
import { bool, invalidParam, object, optional, string, type Validator } from './validators.ts'

const GO_DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }

/** A Go duration string as geth's `timeout` takes it ("5s", "300ms", "1m30s"), in milliseconds. */
const goDuration: Validator<number> = {
  describe: 'duration',
  parse(value, path) {
    const text = string.parse(value, path)
    const parts = [...text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)]
    if (text === '' || parts.map((p) => p[0]).join('') !== text) throw invalidParam(path, `time: invalid duration "${text}"`)
    return parts.reduce((ms, [, amount, unit]) => ms + Number(amount) * GO_DURATION_UNITS[unit], 0)
  },
}

/** A JSON number that is a whole count (geth's int fields, such as the struct logger's limit). */
const count: Validator<number> = {
  describe: 'number',
  parse(value, path) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidParam(path, 'expected a non-negative integer')
    return value
  },
}

/** callTracer's and prestateTracer's tracerConfig fields; those of other tracers are ignored, as geth ignores them. */
const tracerConfig = object(
  {
    onlyTopCall: optional(bool),
    withLog: optional(bool),
    diffMode: optional(bool),
    disableCode: optional(bool),
    disableStorage: optional(bool),
  },
  'tracer config',
)

const traceConfigShape = object(
  {
    tracer: optional(string),
    tracerConfig: optional(tracerConfig),
    timeout: optional(goDuration),
    disableStack: optional(bool),
    disableStorage: optional(bool),
    enableMemory: optional(bool),
    enableReturnData: optional(bool),
    limit: optional(count),
  },
  'trace config',
)

/** geth's TraceConfig (debug_traceTransaction / debug_traceBlock* / debug_traceCall options). */
export const traceConfig: Validator<TraceConfig> = {
  describe: 'trace config',
  parse(value, path) {
    const { timeout, ...config } = traceConfigShape.parse(value, path)
    return { ...config, timeoutMs: timeout }
  },
}

/** geth's TraceCallConfig (debug_traceCall): a TraceConfig plus the call's state and block overrides. */
const callOverrides = object({ stateOverrides: optional(stateOverride), blockOverrides: optional(blockOverrides) }, 'trace call config')

export const traceCallConfig: Validator<{ config: TraceConfig; overrides: CallOverrides }> = {
  describe: 'trace call config',
  parse(value, path) {
    const { stateOverrides, blockOverrides: block } = callOverrides.parse(value, path)
    return { config: traceConfig.parse(value, path), overrides: { state: stateOverrides, block } }
  },
}
