import { bigIntToHex, bytesToHex, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import type { AccountProof } from '../../node/execution/proof.ts'
import type { RpcBackend } from '../backend.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { blockOverrides, proofKeys, stateOverride, type ProofKey } from '../overrideValidators.ts'
import { requireBlock } from '../resolveBlock.ts'
import { address, blockRef, callRequest, optional, storageSlot, type BlockRef } from '../validators.ts'
import { asRpcErrors } from './executionErrors.ts'

const LATEST: BlockRef = { kind: 'tag', tag: 'latest' }
/** geth's default block of eth_createAccessList (the devnet's pending block is its head). */
const PENDING: BlockRef = { kind: 'tag', tag: 'pending' }

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
    eth_getProof: defineMethod([address, proofKeys, blockRef], async ([addr, keys, ref]) => {
      const block = await requireBlock(node.chain, ref)
      const proof = await node.execution.proofAt(block, createAddressFromString(addr), keys.map((k) => k.slot))
      return formatProof(addr, keys, proof)
    }),
    eth_call: defineMethod(
      [callRequest, optional(blockRef, LATEST), optional(stateOverride), optional(blockOverrides)],
      async ([req, ref, state, blockOverride]) => {
        const block = await requireBlock(node.chain, ref)
        const { returnValue } = await asRpcErrors(() => node.execution.calls.call(req, block, { state, block: blockOverride }))
        return bytesToHex(returnValue)
      },
    ),
    eth_estimateGas: defineMethod(
      [callRequest, optional(blockRef, LATEST), optional(stateOverride), optional(blockOverrides)],
      async ([req, ref, state, blockOverride]) => {
        const block = await requireBlock(node.chain, ref)
        return bigIntToHex(await asRpcErrors(() => node.execution.calls.estimateGas(req, block, { state, block: blockOverride })))
      },
    ),
    eth_createAccessList: defineMethod([callRequest, optional(blockRef, PENDING), optional(stateOverride)], async ([req, ref, state]) => {
      const block = await requireBlock(node.chain, ref)
      const { accessList, gasUsed, error } = await asRpcErrors(() => node.execution.calls.createAccessList(req, block, state))
      return { accessList, gasUsed: bigIntToHex(gasUsed), ...(error !== undefined && { error }) }
    }),
  }
}

/** EIP-1186's answer as geth prints it (each key echoed as it was given, see ProofKey). */
function formatProof(addr: string, keys: ProofKey[], proof: AccountProof) {
  return {
    address: addr,
    accountProof: proof.accountProof.map((node) => bytesToHex(node)),
    balance: bigIntToHex(proof.balance),
    codeHash: bytesToHex(proof.codeHash),
    nonce: bigIntToHex(proof.nonce),
    storageHash: bytesToHex(proof.storageHash),
    storageProof: proof.storageProof.map((p, i) => ({ key: keys[i].key, value: bigIntToHex(p.value), proof: p.proof.map((node) => bytesToHex(node)) })),
  }
}
