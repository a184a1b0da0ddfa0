import { CallTracer, type CallTracerConfig } from './callTracer.ts'
import { UnknownTracerError } from './errors.ts'
import { PrestateTracer, type PrestateTracerConfig } from './prestateTracer.ts'
import { LogBudget, StructLogger, type StructLoggerConfig } from './structLogger.ts'
import type { Tracer } from './tracer.ts'

/** geth's TraceConfig: the struct logger's switches, or a named tracer with its own config. */
export interface TraceConfig extends StructLoggerConfig {
  tracer?: string
  tracerConfig?: CallTracerConfig & PrestateTracerConfig
  /** Milliseconds a transaction's trace may take; geth's default is 5 s. */
  timeoutMs?: number
}

export const DEFAULT_TRACE_TIMEOUT_MS = 5_000

/** What the trace executor needs: a fresh tracer per transaction, and the time each may take. */
export interface TracerSpec {
  create(): Tracer
  timeoutMs: number
}

/** The tracer `config` names; an unknown name is refused before anything runs. */
export function tracerSpec(config: TraceConfig = {}): TracerSpec {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TRACE_TIMEOUT_MS
  const tracerConfig = config.tracerConfig ?? {}
  switch (config.tracer) {
    case undefined:
    case '': {
      // One budget for the request: a block's transactions share it.
      const budget = new LogBudget()
      return { create: () => new StructLogger(config, budget), timeoutMs }
    }
    case 'callTracer':
      return { create: () => new CallTracer(tracerConfig), timeoutMs }
    case 'prestateTracer':
      return { create: () => new PrestateTracer(tracerConfig), timeoutMs }
    default:
      throw new UnknownTracerError(config.tracer)
  }
}
