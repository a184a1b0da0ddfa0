import { bigIntToHex, bytesToHex, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import type { RpcBackend } from '../backend.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { requireBlock } from '../resolveBlock.ts'
import { address, blockRef, callRequest, optional, storageSlot, type BlockRef } from '../validators.ts'
import { asRpcErrors } from './executionErrors.ts'

const LATEST: BlockRef = { kind: 'tag', tag: 'latest' }


/** Reads of account state at a block, and calls against it. */
export function stateMethods(node: RpcBackend): MethodTable {
  const stateAt = async (ref: BlockRef) => node.execution.stateAt(await requireBlock(node.chain, ref))
  return {
    eth_getBalance: defineMethod([address, optional(blockRef, LATEST)], async ([addr, ref]) => {
      const account = await (await stateAt(ref)).getAccount(createAddressFromString(addr))
      return bigIntToHex(account?.balance ?? 0n)
    }),
    eth_getTransactionCount: defineMethod([address, optional(blockRef, LATEST)], async ([addr, ref]) => {
      if (ref.kind === 'tag' && ref.tag === 'pending') return bigIntToHex(await node.txpool.pendingNonce(createAddressFromString(addr)))
      const account = await (await stateAt(ref)).getAccount(createAddressFromString(addr))
      return bigIntToHex(account?.nonce ?? 0n)
    }),
    eth_getCode: defineMethod([address, optional(blockRef, LATEST)], async ([addr, ref]) => {
      return bytesToHex(await (await stateAt(ref)).getCode(createAddressFromString(addr)))
    }),
    eth_getStorageAt: defineMethod([address, storageSlot, optional(blockRef, LATEST)], async ([addr, slot, ref]) => {
      const value = await (await stateAt(ref)).getStorage(createAddressFromString(addr), slot)
      return bytesToHex(setLengthLeft(value, 32))
    }),
    eth_call: defineMethod([callRequest, optional(blockRef, LATEST)], async ([req, ref]) => {
      const block = await requireBlock(node.chain, ref)
      const { returnValue } = await asRpcErrors(() => node.execution.calls.call(req, block))
      return bytesToHex(returnValue)
    }),
    eth_estimateGas: defineMethod([callRequest, optional(blockRef, LATEST)], async ([req, ref]) => {
      const block = await requireBlock(node.chain, ref)
      return bigIntToHex(await asRpcErrors(() => node.execution.calls.estimateGas(req, block)))
    }),
  }
}
