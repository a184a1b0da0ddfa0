import { createTx, type TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, createAddressFromString } from '@ethereumjs/util'
import { Wallet } from 'ethers'
import type { DevAccount } from '../../node/devAccounts.ts'
import { impersonatedTx } from '../../node/dev/impersonatedTx.ts'
import { TxPoolError } from '../../node/txpool/errors.ts'
import type { RpcBackend } from '../backend.ts'
import { InvalidParamsError, ServerError } from '../errors.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { decodeRawTx } from '../rawTransaction.ts'
import { checkSubmission } from '../submitChecks.ts'
import { typedData, typesReachableFrom } from '../typedData.ts'
import { address, bytes, callRequest, type CallRequest } from '../validators.ts'
import { asRpcErrors } from './executionErrors.ts'
import { SUGGESTED_TIP } from './fees.ts'

/** Sending transactions, and signing with the accounts whose keys the node holds (dev accounts). */
export function sendMethods(node: RpcBackend): MethodTable {
  const signer = (addr: string): Wallet => {
    const account = node.devAccounts.find((a) => a.address === addr.toLowerCase())
    if (!account) throw new ServerError('unknown account')
    return walletOf(account)
  }
  const submit = async (tx: TypedTransaction) => {
    checkSubmission(tx, node.limits)
    try {
      return bytesToHex(await node.txpool.add(tx))
    } catch (err) {
      if (err instanceof TxPoolError) throw new ServerError(err.message)
      throw err
    }
  }
  return {
    eth_accounts: defineMethod([], () => node.devAccounts.map((a) => a.address)),
    eth_sendRawTransaction: defineMethod([bytes], ([raw]) => submit(decodeRawTx(node.common, raw)), {
      prefetch: (calls) => node.recovery.warm(calls.map(([raw]) => raw)),
    }),
    eth_sendTransaction: defineMethod([callRequest], async ([req]) => {
      if (!req.from) throw new InvalidParamsError('invalid argument 0: from: missing sender')
      const from = createAddressFromString(req.from)
      // As anvil: an impersonated account needs no key, even one the node holds.
      if (node.dev?.isImpersonated(from)) return submit(impersonatedTx(await fillTx(node, req), node.common, from))
      const key = signer(req.from).privateKey
      return submit(createTx(await fillTx(node, req), { common: node.common }).sign(Buffer.from(key.slice(2), 'hex')))
    }),
    eth_sign: defineMethod([address, bytes], ([addr, message]) => signer(addr).signMessageSync(message)),
    personal_sign: defineMethod([bytes, address], ([message, addr]) => signer(addr).signMessageSync(message)),
    eth_signTypedData_v4: defineMethod([address, typedData], async ([addr, data]) => {
      const { domain, types, message, primaryType } = data as { domain: object; types: Record<string, unknown>; message: Record<string, unknown>; primaryType?: unknown }
      if (!types || !message) throw new InvalidParamsError('invalid argument 1: typed data needs types and message')
      const { EIP712Domain: _domainType, ...messageTypes } = types
      // ethers infers the primary type and refuses types it cannot reach; MetaMask and geth sign primaryType.
      const signedTypes = typeof primaryType === 'string' ? typesReachableFrom(primaryType, messageTypes) : messageTypes
      try {
        return await signer(addr).signTypedData(domain ?? {}, signedTypes as never, message)
      } catch (err) {
        if (err instanceof ServerError) throw err
        throw new InvalidParamsError(`invalid argument 1: ${(err as Error).message}`)
      }
    }),
  }
}

function walletOf(account: DevAccount): Wallet {
  return new Wallet(bytesToHex(account.privateKey))
}

/** The fields eth_sendTransaction leaves out, filled as geth and anvil fill them. */
async function fillTx(node: RpcBackend, req: CallRequest) {
  const from = createAddressFromString(req.from!)
  const nonce = req.nonce ?? (await node.txpool.pendingNonce(from))
  const gasLimit = req.gas ?? (await asRpcErrors(() => node.execution.calls.estimateGas(req, node.chain.headBlock)))
  const common = { nonce, gasLimit, to: req.to as `0x${string}` | undefined, value: req.value ?? 0n, data: req.data ?? new Uint8Array() }
  if (req.gasPrice !== undefined) {
    return req.accessList ? { ...common, type: 1, gasPrice: req.gasPrice, accessList: req.accessList as never } : { ...common, type: 0, gasPrice: req.gasPrice }
  }
  const tip = req.maxPriorityFeePerGas ?? SUGGESTED_TIP
  const maxFeePerGas = req.maxFeePerGas ?? 2n * node.chain.headBlock.header.calcNextBaseFee() + tip
  return { ...common, type: 2, maxPriorityFeePerGas: tip, maxFeePerGas, accessList: (req.accessList ?? []) as never }
}
