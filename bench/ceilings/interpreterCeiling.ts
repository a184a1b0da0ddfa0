/**
 * The ceiling ethereumjs' interpreter puts on eth_call: BenchToken balanceOf run by the chain's EVM (the
 * node's Common, precompiles and jump-analysis cache) with evm.runCall on an in-memory state, in this
 * process. No transaction is built around the call, no trie is read and no RPC is served: what is left
 * is the interpreter. Every olnode eth_call runs it, on one thread, so none answers more than this a second,
 * and none costs less CPU than it does here.
 */
import { SimpleStateManager } from '@ethereumjs/statemanager'
import { Account, bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import { devnetGenesis } from '../../genesis/genesis.ts'
import { createChainCommon, openLedgerConfigOf } from '../../node/execution/common.ts'
import { cacheJumpAnalysis } from '../../node/execution/jumpAnalysis.ts'
import { createChainEVM } from '../../precompiles/chain.ts'
import { LOAD_WARMUP_MS } from '../config.ts'
import { SENDER_BALANCE, SENDER_BALANCE_WORD, TOKEN_DEPLOY_GAS, tokenCreationCode, tokenInterface } from '../token.ts'
import { callsWithin } from './callExecutorCeiling.ts'

const HOLDER = createAddressFromString('0x00000000000000000000000000000000000b0b00')
const CALL_GAS = 100_000n

/** The block hashes BLOCKHASH would read: balanceOf reads none. */
const noBlocks = {
  getBlock: () => Promise.reject(new Error('the interpreter ceiling reads no block hash')),
  putBlock: () => Promise.resolve(),
  shallowCopy: () => noBlocks,
}

export interface InterpreterFigures {
  /** Calls a second, one after another. */
  rate: number
  /** CPU (user + system) of this process per call, µs. */
  cpuUs: number
}

/** balanceOf calls per second through the chain's EVM alone over `durationMs`, after a warm-up, and their CPU; every answer checked. */
export async function interpreterCeiling(durationMs: number): Promise<InterpreterFigures> {
  const common = createChainCommon(devnetGenesis())
  const stateManager = new SimpleStateManager({ common })
  await cacheJumpAnalysis()
  const evm = createChainEVM({ common, stateManager, blockchain: noBlocks }, openLedgerConfigOf(common))
  await stateManager.putAccount(HOLDER, new Account())
  const created = await evm.runCall({ caller: HOLDER, gasLimit: TOKEN_DEPLOY_GAS, data: hexToBytes(tokenCreationCode(SENDER_BALANCE) as `0x${string}`) })
  if (created.execResult.exceptionError || !created.createdAddress) throw new Error(`BenchToken's constructor failed: ${created.execResult.exceptionError?.error}`)
  const data = hexToBytes(tokenInterface.encodeFunctionData('balanceOf', [HOLDER.toString()]) as `0x${string}`)
  const call = async () => {
    const { execResult } = await evm.runCall({ caller: HOLDER, to: created.createdAddress, gasLimit: CALL_GAS, data })
    if (bytesToHex(execResult.returnValue) !== SENDER_BALANCE_WORD) throw new Error(`balanceOf answered ${bytesToHex(execResult.returnValue)}, expected ${SENDER_BALANCE_WORD}`)
  }
  await callsWithin(call, LOAD_WARMUP_MS)
  const cpuBefore = process.cpuUsage()
  const calls = await callsWithin(call, durationMs)
  const { user, system } = process.cpuUsage(cpuBefore)
  return { rate: calls / (durationMs / 1_000), cpuUs: (user + system) / calls }
}
