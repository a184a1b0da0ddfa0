import { createRequire } from 'node:module'
import { LRUCache } from 'lru-cache'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { InterpreterHookMissingError } from './errors.ts'

/** What ethereumjs' interpreter derives from a code before running it; it only ever reads it. */
interface CodeAnalysis {
  jumps: Uint8Array
  pushes: Record<number, bigint>
  opcodesCached: unknown[]
}

/** The part of ethereumjs' (unexported) Interpreter this module replaces. */
export interface InterpreterPrototype {
  _getValidJumpDestinations(this: InterpreterLike, code: Uint8Array): CodeAnalysis
}

interface InterpreterLike {
  /** The opcode table of the interpreter's EVM: the analysis holds its entries. */
  _evm: { _opcodeMap: object }
}

/**
 * Codes whose analyses are kept, per opcode table, in bytes of code: an analysis takes about 20 times
 * its code (400-480 KB for a 24 KB contract, measured), so at most about 20 MB per EVM.
 */
const CODE_BYTES_PER_TABLE = 1024 * 1024

/** Analyses by opcode table (weakly: an EVM that goes takes its own along), then by code array. */
const analyses = new WeakMap<object, LRUCache<Uint8Array, CodeAnalysis>>()
let analysed = 0
let installing: Promise<void> | undefined

/**
 * ethereumjs analyses a code (its jump destinations, push values and opcode entries) every time a call
 * frame starts running it: 6.5% of the node's time under eth_call load on an ERC-20 balanceOf. The
 * analysis depends only on the code bytes and the EVM's opcode table, and the state caches hand out
 * the same array for an account's code each time, so the newest are kept per (opcode table, code array).
 * A code is never changed in place (a new one is a new array; a CREATE's init code, a view of the
 * creator's memory, is a new view each time), which is what makes the array a key.
 * The Interpreter class is not exported by @ethereumjs/evm, so it is loaded from the file evm.js
 * itself imports (the same module instance). Installed once; rejects with
 * InterpreterHookMissingError if the installed version has no such method.
 */
export function cacheJumpAnalysis(): Promise<void> {
  return (installing ??= install())
}

async function install(): Promise<void> {
  wrapJumpAnalysis((await import(interpreterModuleUrl())).Interpreter.prototype)
}

/** Puts the cache in front of the prototype's analysis; throws InterpreterHookMissingError if it has none. */
export function wrapJumpAnalysis(proto: InterpreterPrototype): void {
  const analyse = proto._getValidJumpDestinations
  // Loudly, at the first VM: an upgrade that renamed the method must not leave every call frame failing.
  if (typeof analyse !== 'function') throw new InterpreterHookMissingError()
  proto._getValidJumpDestinations = function (this: InterpreterLike, code: Uint8Array): CodeAnalysis {
    const table = this._evm._opcodeMap
    let byCode = analyses.get(table)
    if (!byCode) analyses.set(table, (byCode = new LRUCache({ maxSize: CODE_BYTES_PER_TABLE, sizeCalculation: (_, code) => code.length + 1 })))
    let analysis = byCode.get(code)
    if (!analysis) {
      analysis = analyse.call(this, code)
      byCode.set(code, analysis)
      analysed++
    }
    return analysis
  }
}

/** How many codes have been analysed since start: a code run again is not analysed again. */
export function jumpAnalysesDone(): number {
  return analysed
}

/** dist/esm/interpreter.js next to the ESM entry point that `import '@ethereumjs/evm'` loads. */
function interpreterModuleUrl(): string {
  const cjsEntry = createRequire(import.meta.url).resolve('@ethereumjs/evm')
  return pathToFileURL(path.join(path.dirname(cjsEntry), '..', 'esm', 'interpreter.js')).href
}
