import type { Block } from '@ethereumjs/block'
import { bytesToBigInt, createContractAddress, hexToBytes, type PrefixedHexString } from '@ethereumjs/util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CallRequest } from '../../../node/execution/call.ts'
import { ADDR_A, GWEI, KEY_A, RETURN_42, SINK, contractsGenesis, deployCode, mineOn, openExecution, tx1559, word, type ExecParts } from '../support/harness.ts'

const code = (s: string) => hexToBytes(`0x${s.replace(/\s+/g, '')}` as PrefixedHexString)

/** With calldata: SSTORE(0, word 0). Without: returns SLOAD(0). Its JUMPI makes the EVM analyse its jump destinations. */
const SLOT_0 = '0x000000000000000000000000000000000000d000'
const SLOT_0_CODE = code('36 15 600c 57  6000 35 6000 55 00  5b 6000 54 6000 52 6020 6000 f3')

/** Returns SELFBALANCE. */
const SELF_BALANCE = '0x000000000000000000000000000000000000d001'
const SELF_BALANCE_CODE = code('47 6000 52 6020 6000 f3')

/** Returns NUMBER, TIMESTAMP, GASLIMIT and BASEFEE, a word each. */
const CONTEXT = '0x000000000000000000000000000000000000d002'
const CONTEXT_CODE = code('43 6000 52  42 6020 52  45 6040 52  48 6060 52  6080 6000 f3')

function genesis() {
  const g = contractsGenesis()
  const added: [string, Uint8Array][] = [
    [SLOT_0, SLOT_0_CODE],
    [SELF_BALANCE, SELF_BALANCE_CODE],
    [CONTEXT, CONTEXT_CODE],
  ]
  const alloc = [...g.alloc, ...added.map(([a, c]): (typeof g.alloc)[number] => [a, { balance: 1000n, nonce: 1n, code: c, storage: [] }])]
  alloc.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { ...g, alloc }
}

/** The words of a return value. */
function words(out: { returnValue: Uint8Array }): bigint[] {
  const out32: bigint[] = []
  for (let i = 0; i < out.returnValue.length; i += 32) out32.push(bytesToBigInt(out.returnValue.subarray(i, i + 32)))
  return out32
}

/**
 * The call executor keeps what calls rebuild (storage tries, decoded accounts, the call block) from
 * one call to the next; none of it may let a call see another block's state or context.
 */
describe('CallExecutor reuse across calls', () => {
  let parts: ExecParts
  let nonce = 0n
  beforeAll(async () => {
    parts = await openExecution({ genesis: genesis() })
  })
  afterAll(() => parts.kv.close())

  const head = () => parts.chain.headBlock
  const call = (req: CallRequest, block: Block = head()) => parts.execution.calls.call(req, block)
  const mine = (to: string, o: { data?: Uint8Array; value?: bigint } = {}) =>
    mineOn(parts, [tx1559(parts.common, KEY_A, nonce++, { to: to as PrefixedHexString, gasLimit: 100_000n, ...o })])

  it('a call reads the storage of the block it runs at, whichever block the last call ran at', async () => {
    const first = (await mine(SLOT_0, { data: word(7n) })).block
    expect(words(await call({ to: SLOT_0 }))).toEqual([7n])
    const second = (await mine(SLOT_0, { data: word(9n) })).block
    expect(words(await call({ to: SLOT_0 }))).toEqual([9n])
    expect(words(await call({ to: SLOT_0 }, first))).toEqual([7n])
    expect(words(await call({ to: SLOT_0 }, second))).toEqual([9n])
  })

  it('a storage write of a call or of a simulated block is gone for the next call', async () => {
    await call({ to: SLOT_0, data: word(11n) })
    expect(words(await call({ to: SLOT_0 }))).toEqual([9n])
    // A simulated block's state root flushes the write into the storage trie.
    await parts.execution.calls.simulate(head(), { blocks: [{ calls: [{ to: SLOT_0, data: word(12n) }] }, { calls: [{ to: SLOT_0 }] }], validation: false })
    expect(words(await call({ to: SLOT_0 }))).toEqual([9n])
  })

  it('a call reads the balances of the block it runs at, and its own value transfer for itself only', async () => {
    const before = head()
    expect(words(await call({ to: SELF_BALANCE }))).toEqual([1000n])
    await mine(SELF_BALANCE, { value: 5n })
    expect(words(await call({ to: SELF_BALANCE }))).toEqual([1005n])
    expect(words(await call({ from: ADDR_A.toString(), to: SELF_BALANCE, value: 3n }))).toEqual([1008n])
    expect(words(await call({ to: SELF_BALANCE }))).toEqual([1005n])
    expect(words(await call({ to: SELF_BALANCE }, before))).toEqual([1000n])
  })

  it('a call runs the code of the block it runs at, or the code an override gives for that call only', async () => {
    const before = head()
    const created = createContractAddress(ADDR_A, nonce).toString()
    await mineOn(parts, [tx1559(parts.common, KEY_A, nonce++, { to: null, data: deployCode(RETURN_42), gasLimit: 100_000n })])
    expect(words(await call({ to: created }))).toEqual([42n])
    expect((await call({ to: created }, before)).returnValue).toEqual(new Uint8Array(0))
    const overridden = await parts.execution.calls.call({ to: created }, head(), { state: { [created]: { code: SELF_BALANCE_CODE } } })
    expect(words(overridden)).toEqual([0n])
    expect(words(await call({ to: created }))).toEqual([42n])
    expect(words(await call({ to: SELF_BALANCE }, before))).toEqual([1005n])
  })

  it('a call runs in the context of its own block, gas and fees, and block overrides last one call', async () => {
    const at = (block: Block) => [block.header.number, block.header.timestamp, block.header.gasLimit]
    const before = head()
    expect(words(await call({ to: CONTEXT }))).toEqual([...at(before), 0n])
    await mine(SINK)
    expect(words(await call({ to: CONTEXT }))).toEqual([...at(head()), 0n])
    expect(words(await call({ to: CONTEXT }, before))).toEqual([...at(before), 0n])
    const priced = await call({ from: ADDR_A.toString(), to: CONTEXT, gasPrice: 10n * GWEI })
    expect(words(priced)).toEqual([...at(head()), head().header.baseFeePerGas!])
    const moreGas = head().header.gasLimit + 1n
    expect(words(await call({ to: CONTEXT, gas: moreGas }))).toEqual([head().header.number, head().header.timestamp, moreGas, 0n])
    const overridden = await parts.execution.calls.call({ to: CONTEXT }, head(), { block: { number: 999n } })
    expect(words(overridden)[0]).toBe(999n)
    expect(words(await call({ to: CONTEXT }))).toEqual([...at(head()), 0n])
  })
})
