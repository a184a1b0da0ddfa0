import { describe, expect, it } from 'vitest'
import { InvalidParamsError } from '../../../rpc/errors.ts'
import { traceConfig } from '../../../rpc/traceOptions.ts'

describe('traceConfig', () => {
  it('reads timeout as a Go duration, in milliseconds', () => {
    const ms = (timeout: string) => traceConfig.parse({ timeout }, '1').timeoutMs
    expect(ms('5s')).toBe(5_000)
    expect(ms('300ms')).toBe(300)
    expect(ms('1m30s')).toBe(90_000)
    expect(ms('1.5s')).toBe(1_500)
    expect(ms('2h')).toBe(7_200_000)
    expect(ms('0s')).toBe(0)
    expect(ms('250us')).toBeCloseTo(0.25)
  })

  it('refuses what Go refuses, with its words', () => {
    for (const timeout of ['', '5', 'soon', '5 s', '5sx', '-1s']) {
      expect(() => traceConfig.parse({ timeout }, '1')).toThrow(InvalidParamsError)
    }
    expect(() => traceConfig.parse({ timeout: 'soon' }, '1')).toThrow('invalid argument 1: timeout: time: invalid duration "soon"')
  })

  it('keeps the struct logger switches and the tracer config; ignores unknown fields as geth does', () => {
    expect(traceConfig.parse({ enableMemory: true, disableStack: true, limit: 10, reexec: 128 }, '1')).toEqual({ enableMemory: true, disableStack: true, limit: 10 })
    expect(traceConfig.parse({ tracer: 'callTracer', tracerConfig: { onlyTopCall: true, withLog: false, other: 1 } }, '1')).toEqual({
      tracer: 'callTracer',
      tracerConfig: { onlyTopCall: true, withLog: false },
    })
    expect(() => traceConfig.parse({ tracerConfig: { diffMode: 'yes' } }, '1')).toThrow(InvalidParamsError)
    expect(() => traceConfig.parse({ limit: -1 }, '1')).toThrow(InvalidParamsError)
  })
})
