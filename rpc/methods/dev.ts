import { bigIntToHex, bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import type { DevControls } from '../../node/dev/devControls.ts'
import { DevError, ForkingUnsupportedError } from '../../node/dev/errors.ts'
import { InvalidParamsError } from '../errors.ts'
import { defineMethod, type MethodTable, type RpcMethod } from '../method.ts'
import { address, bool, bytes, hash, optional, storageSlot } from '../validators.ts'
import { mineOptions, numeric, resetOptions } from './devParams.ts'

/**
 * The devnet methods, named and answering as anvil does (its aliases included: hardhat_* for Hardhat's
 * network helpers, evm_* where anvil keeps one). Served only by `olnode devnet`.
 */
export function devMethods(dev: DevControls): MethodTable {
  const at = (addr: string) => createAddressFromString(addr)
  const methods: Record<string, RpcMethod<any, any>> = {
    evm_snapshot: defineMethod([], async () => bigIntToHex(await dev.snapshot())),
    evm_revert: defineMethod([numeric], ([id]) => dev.revert(id)),
    evm_mine: defineMethod([optional(mineOptions, {})], async ([opts]) => {
      if (opts.timestamp !== undefined) dev.setNextBlockTimestamp(opts.timestamp)
      await dev.mine(opts.blocks ?? 1n)
      return '0x0'
    }),
    anvil_mine: defineMethod([optional(numeric, 1n), optional(numeric)], async ([blocks, interval]) => {
      await dev.mine(blocks, interval)
      return null
    }),
    evm_increaseTime: defineMethod([numeric], ([seconds]) => Number(dev.increaseTime(seconds))),
    evm_setNextBlockTimestamp: defineMethod([numeric], ([timestamp]) => {
      dev.setNextBlockTimestamp(timestamp)
      return null
    }),
    anvil_setAutomine: defineMethod([bool], ([enabled]) => {
      dev.setAutomine(enabled)
      return null
    }),
    anvil_getAutomine: defineMethod([], () => dev.automine),
    anvil_setIntervalMining: defineMethod([numeric], ([seconds]) => {
      dev.setIntervalMining(seconds)
      return null
    }),
    anvil_setBalance: defineMethod([address, numeric], async ([addr, balance]) => {
      await dev.setBalance(at(addr), balance)
      return null
    }),
    anvil_setCode: defineMethod([address, bytes], async ([addr, code]) => {
      await dev.setCode(at(addr), code)
      return null
    }),
    anvil_setNonce: defineMethod([address, numeric], async ([addr, nonce]) => {
      await dev.setNonce(at(addr), nonce)
      return null
    }),
    anvil_setStorageAt: defineMethod([address, storageSlot, storageSlot], async ([addr, slot, value]) => {
      await dev.setStorageAt(at(addr), slot, value)
      return true
    }),
    anvil_impersonateAccount: defineMethod([address], ([addr]) => {
      dev.impersonate(at(addr))
      return null
    }),
    anvil_stopImpersonatingAccount: defineMethod([address], ([addr]) => {
      dev.stopImpersonating(at(addr))
      return null
    }),
    anvil_autoImpersonateAccount: defineMethod([bool], ([enabled]) => {
      dev.setAutoImpersonate(enabled)
      return null
    }),
    // anvil's answer: the hash when a transaction was dropped, else null.
    anvil_dropTransaction: defineMethod([hash], async ([txHash]) => ((await dev.dropTransaction(hexToBytes(txHash as `0x${string}`))) ? txHash : null)),
    anvil_setCoinbase: defineMethod([address], ([addr]) => {
      dev.setCoinbase(at(addr))
      return null
    }),
    anvil_dumpState: defineMethod([], async () => bytesToHex(await dev.dumpState())),
    anvil_loadState: defineMethod([bytes], async ([dump]) => {
      await dev.loadState(dump)
      return true
    }),
    anvil_reset: defineMethod([optional(resetOptions, { forking: false })], async ([opts]) => {
      if (opts.forking) throw new ForkingUnsupportedError()
      await dev.reset()
      return null
    }),
  }
  return withAliases(refusalsAsInvalidParams(methods))
}

/** anvil's other names for the same methods. */
const ALIASES: Record<string, string[]> = {
  anvil_mine: ['hardhat_mine'],
  evm_increaseTime: ['anvil_increaseTime'],
  evm_setNextBlockTimestamp: ['anvil_setNextBlockTimestamp'],
  anvil_setAutomine: ['evm_setAutomine'],
  anvil_getAutomine: ['hardhat_getAutomine'],
  anvil_setIntervalMining: ['evm_setIntervalMining'],
  anvil_setBalance: ['hardhat_setBalance'],
  anvil_setCode: ['hardhat_setCode'],
  anvil_setNonce: ['hardhat_setNonce', 'evm_setAccountNonce'],
  anvil_setStorageAt: ['hardhat_setStorageAt'],
  anvil_impersonateAccount: ['hardhat_impersonateAccount'],
  anvil_stopImpersonatingAccount: ['hardhat_stopImpersonatingAccount'],
  anvil_dropTransaction: ['hardhat_dropTransaction'],
  anvil_setCoinbase: ['hardhat_setCoinbase'],
  anvil_dumpState: ['hardhat_dumpState'],
  anvil_loadState: ['hardhat_loadState'],
  anvil_reset: ['hardhat_reset'],
}

function withAliases(methods: MethodTable): MethodTable {
  const table: MethodTable = { ...methods }
  for (const [name, aliases] of Object.entries(ALIASES)) for (const alias of aliases) table[alias] = methods[name]
  return table
}

/** A refused devnet request is a bad argument (anvil answers its timestamp and dump errors as invalid params). */
function refusalsAsInvalidParams(methods: MethodTable): MethodTable {
  return Object.fromEntries(
    Object.entries(methods).map(([name, method]) => [
      name,
      {
        ...method,
        async handler(params: unknown[], ctx: never) {
          try {
            return await method.handler(params, ctx)
          } catch (err) {
            if (err instanceof DevError) throw new InvalidParamsError(err.message)
            throw err
          }
        },
      },
    ]),
  )
}
