import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { decodeFunctionResult, encodeFunctionData, type Hex } from 'viem'
import { afterEach, describe, expect, it } from 'vitest'
import { iDatanetRegistryAbi as abi } from '../../../precompiles/datanetRegistry/abi.ts'
import { PRECOMPILE_ADDRESSES } from '../../../precompiles/addresses.ts'
import { BlockImporter, decodeBlock } from '../../../node/execution/importBlock.ts'
import { ADDR_A, KEY_A, KEY_B, mineOn, openExecution, tx1559, type ExecParts } from '../support/harness.ts'

const REGISTRY = PRECOMPILE_ADDRESSES.datanetRegistry
const data = (functionName: string, args: readonly unknown[]) => hexToBytes(encodeFunctionData({ abi, functionName, args } as any))

describe('DatanetRegistry in blocks', () => {
  const opened: ExecParts[] = []
  afterEach(async () => {
    for (const parts of opened.splice(0)) await parts.kv.close()
  })

  it('builds blocks another node imports to the same state, receipts and answers', async () => {
    const source = await openExecution()
    const target = await openExecution()
    opened.push(source, target)
    const c = source.common
    const call = (to: string, d: Uint8Array, key: Uint8Array, nonce: bigint) => tx1559(c, key, nonce, { to: to as Hex, data: d, gasLimit: 3_000_000n })
    const first = await mineOn(source, [
      call(REGISTRY, data('createDatanet', ['D', 'ipfs://d', 3, { curated: true, nearDuplicatePct: 0 }]), KEY_A, 0n),
      call(REGISTRY, data('submitContribution', [1n, `0x${'11'.repeat(32)}`, 'ipfs://x', [1n, 2n, 3n]]), KEY_B, 0n),
    ])
    const second = await mineOn(source, [call(REGISTRY, data('approve', [1n]), KEY_A, 1n), call(REGISTRY, data('approve', [1n]), KEY_A, 2n)])
    // The second approval reverts (NotPending): its log is gone, the first one's stays.
    expect(second.results.map((r) => [r.execResult.exceptionError?.error, r.receipt.logs.length])).toEqual([
      [undefined, 1],
      ['revert', 0],
    ])

    const importer = new BlockImporter(target.chain, target.execution)
    for (const { block } of [first, second]) expect(await importer.importBlock(decodeBlock(block.serialize(), target.common, 'test'))).toBe('imported')
    expect(bytesToHex(target.chain.headBlock.header.stateRoot)).toBe(bytesToHex(second.block.header.stateRoot))
    expect(bytesToHex(target.chain.headBlock.header.receiptTrie)).toBe(bytesToHex(second.block.header.receiptTrie))

    const outcome = await target.execution.calls.call({ from: ADDR_A.toString(), to: REGISTRY, data: data('getDatanet', [1n]) }, target.chain.headBlock)
    const datanet = decodeFunctionResult({ abi, functionName: 'getDatanet', data: bytesToHex(outcome.returnValue) as Hex }) as { version: bigint; approvedCount: bigint }
    expect([datanet.version, datanet.approvedCount]).toEqual([1n, 1n])
  })
})
