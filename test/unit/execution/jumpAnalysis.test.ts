import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM, type EVM } from '@ethereumjs/evm'
import { bytesToBigInt, hexToBytes } from '@ethereumjs/util'
import { beforeAll, describe, expect, it } from 'vitest'
import { InterpreterHookMissingError } from '../../../node/execution/errors.ts'
import { cacheJumpAnalysis, jumpAnalysesDone, wrapJumpAnalysis } from '../../../node/execution/jumpAnalysis.ts'

/** Jumps over an INVALID to a JUMPDEST, then returns the word `op` leaves on the stack. */
const jumpThenReturn = (op: string) => hexToBytes(`0x6005565bfe5b${op}60005260206000f3`)
/** PUSH1 42: an opcode every EVM has. */
const PUSH_42 = '602a'
/** 0x21 is unassigned: only an EVM given it as a custom opcode can run it. */
const CUSTOM = '21'

const newCommon = () => new Common({ chain: Mainnet, hardfork: Hardfork.Prague })
const plainEvm = () => createEVM({ common: newCommon() })
const evmWithCustomOpcode = () =>
  createEVM({ common: newCommon(), customOpcodes: [{ opcode: 0x21, opcodeName: 'FORTYTWO', baseFee: 2, logicFunction: (runState) => runState.stack.push(42n) }] })

async function run(evm: EVM, code: Uint8Array): Promise<{ value?: bigint; error?: string }> {
  const result = await evm.runCode({ code, gasLimit: 100_000n })
  if (result.exceptionError) return { error: result.exceptionError.error }
  return { value: bytesToBigInt(result.returnValue) }
}

describe('jump analysis cache', () => {
  beforeAll(() => cacheJumpAnalysis())

  it('analyses a code once, however many times it runs', async () => {
    const evm = await plainEvm()
    const code = jumpThenReturn(PUSH_42)
    const before = jumpAnalysesDone()
    for (let i = 0; i < 5; i++) expect(await run(evm, code)).toEqual({ value: 42n })
    expect(jumpAnalysesDone() - before).toBe(1)
  })

  it('keeps analyses apart per opcode table: an EVM with a custom opcode never runs another\'s entries', async () => {
    const code = jumpThenReturn(CUSTOM)
    const before = jumpAnalysesDone()
    expect(await run(await plainEvm(), code)).toEqual({ error: 'invalid opcode' })
    expect(await run(await evmWithCustomOpcode(), code)).toEqual({ value: 42n })
    expect(await run(await plainEvm(), code)).toEqual({ error: 'invalid opcode' })
    expect(jumpAnalysesDone() - before).toBe(3)
  })

  it('analyses another array afresh: a code one byte apart gets its own jump destinations', async () => {
    const evm = await plainEvm()
    const code = jumpThenReturn(PUSH_42)
    expect(await run(evm, code)).toEqual({ value: 42n })
    const before = jumpAnalysesDone()
    // The JUMPDEST at 5 becomes a STOP: the jump must now fail, as the first code's analysis would not say.
    const other = code.slice()
    other[5] = 0x00
    expect((await run(evm, other)).error).toMatch(/^invalid JUMP/)
    expect(jumpAnalysesDone() - before).toBe(1)
  })

  it('keeps the analyses of the most recent megabyte of code per EVM, so a stream of new codes cannot grow it', async () => {
    const evm = await plainEvm()
    // 60 codes of 24 KiB (1.4 MiB): the first is dropped by the time the last has run.
    const codes = Array.from({ length: 60 }, (_, i) => {
      const code = new Uint8Array(24 * 1024)
      code.set(jumpThenReturn(`60${(i + 1).toString(16).padStart(2, '0')}`))
      return code
    })
    for (const [i, code] of codes.entries()) expect(await run(evm, code)).toEqual({ value: BigInt(i + 1) })
    const before = jumpAnalysesDone()
    await run(evm, codes[59])
    expect(jumpAnalysesDone() - before).toBe(0)
    await run(evm, codes[0])
    expect(jumpAnalysesDone() - before).toBe(1)
  })

  it('refuses, with a typed error, an interpreter that has no analysis to wrap (an ethereumjs upgrade that moved it)', () => {
    const renamed = { _analyseJumps: () => undefined } as unknown as Parameters<typeof wrapJumpAnalysis>[0]
    expect(() => wrapJumpAnalysis(renamed)).toThrow(InterpreterHookMissingError)
  })
})
