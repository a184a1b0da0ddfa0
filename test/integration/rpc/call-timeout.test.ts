/**
 * eth_call's limits under load: an endless loop ends at the gas cap or at the time limit (counted
 * from the request's arrival, so calls queued behind it time out too), with geth's errors, while
 * the node keeps answering other requests and sealing blocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_RPC } from '../../../node/options.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { devWallet, hex, probe, rpcError, sendAndMine, deployProbe, word } from './helpers.ts'

/** JUMPDEST PUSH1 0 JUMP: 12 gas a turn, forever. */
const LOOP_RUNTIME = '5b600056'
/** Copies the 4 runtime bytes to memory and returns them. */
const LOOP_INIT = `0x6004600c60003960046000f3${LOOP_RUNTIME}`

const TIMEOUT_MS = 2_000
const GAS_CAP = 1_000_000n
const STORM = 100

const OUT_OF_GAS = { code: -32000, message: 'out of gas' }
const TIMED_OUT = { code: -32000, message: 'execution aborted (timeout = 2s)' }

describe('eth_call time limit and gas cap', () => {
  let t: TestNode
  let loop: string
  let probeAddress: string

  beforeAll(async () => {
    t = await spawnNode({ rpc: { ...DEFAULT_RPC, port: 0, gasCap: GAS_CAP, evmTimeoutMs: TIMEOUT_MS } })
    const receipt = await sendAndMine(t, devWallet(0), { data: LOOP_INIT, gasLimit: 100_000n })
    loop = receipt.contractAddress
    expect(await t.call('eth_getCode', [loop, 'latest'])).toBe(`0x${LOOP_RUNTIME}`)
    probeAddress = (await deployProbe(t, devWallet(1), 5n)).address
  })
  afterAll(async () => {
    await t?.close()
  })

  it('one endless call stops at the gas cap with "out of gas"', async () => {
    const started = performance.now()
    expect(await rpcError(t, 'eth_call', [{ to: loop }, 'latest'])).toEqual(OUT_OF_GAS)
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS)
  })

  it('a call given more gas than the cap is capped, not refused', async () => {
    expect(await rpcError(t, 'eth_call', [{ to: loop, gas: hex(10n ** 9n) }, 'latest'])).toEqual(OUT_OF_GAS)
  })

  it(`${STORM} concurrent endless calls each end at the cap or the time limit, while eth_blockNumber and mining go on`, async () => {
    const latencies: number[] = []
    let storming = true
    const poller = (async () => {
      while (storming) {
        const sent = performance.now()
        await t.call('eth_blockNumber')
        latencies.push(performance.now() - sent)
        await new Promise((r) => setTimeout(r, 20))
      }
    })()
    const started = performance.now()
    let answered = 0
    const storm = Promise.all(
      Array.from({ length: STORM }, async () => {
        const answer = await t.rpc('eth_call', [{ to: loop }, 'latest'])
        answered++
        return { ...answer, at: performance.now() - started }
      }),
    )
    // A transaction sent in the middle of the storm is sealed in the middle of it.
    const before = Number(await t.call('eth_blockNumber'))
    const mined = await sendAndMine(t, devWallet(2), { to: probeAddress, data: probe.encodeFunctionData('setValue', [9n]), gasLimit: 100_000n })
    const answeredWhenMined = answered
    const answers = await storm
    const stormMs = performance.now() - started
    storming = false
    await poller

    expect(Number(mined.blockNumber)).toBe(before + 1)
    expect(answeredWhenMined).toBeLessThan(STORM)
    const errors = answers.map((a) => a.error)
    expect(errors.every((e) => e !== undefined)).toBe(true)
    const outOfGas = errors.filter((e) => e!.message === OUT_OF_GAS.message)
    const timedOut = errors.filter((e) => e!.message === TIMED_OUT.message)
    expect(outOfGas.length + timedOut.length).toBe(STORM)
    for (const e of outOfGas) expect(e).toEqual(OUT_OF_GAS)
    for (const e of timedOut) expect(e).toEqual(TIMED_OUT)
    expect(outOfGas.length).toBeGreaterThan(0)
    expect(timedOut.length).toBeGreaterThan(0)
    // The deadline counts from each request's arrival, queueing included: had it counted from the
    // start of execution, the 100 calls would run to the cap one after another (~100 x 0.3 s).
    const firstTimeout = Math.min(...answers.filter((a) => a.error?.message === TIMED_OUT.message).map((a) => a.at))
    expect(firstTimeout).toBeGreaterThanOrEqual(TIMEOUT_MS - 50)
    // Requests reach the server while the loop runs (this client shares the process), so the last arrive late.
    expect(stormMs).toBeLessThan(2 * TIMEOUT_MS + 1_000)

    latencies.sort((a, b) => a - b)
    const p50 = latencies[Math.floor(latencies.length / 2)]
    const p90 = latencies[Math.floor(latencies.length * 0.9)]
    const max = latencies[latencies.length - 1]
    console.log(`storm: ${outOfGas.length} out of gas, ${timedOut.length} timed out in ${stormMs.toFixed(0)} ms; eth_blockNumber x${latencies.length} p50 ${p50.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${max.toFixed(1)} ms`)
    // Without the yielding the loop would hold the event loop for whole calls back to back (the queue
    // chains them on microtasks): seconds. The worst cases here are the opening burst of 100
    // connections and the closing burst of answers, which this in-process client shares the loop with.
    expect(latencies.length).toBeGreaterThan(20)
    expect(p50).toBeLessThan(50)
    expect(p90).toBeLessThan(150)
    expect(max).toBeLessThan(1_000)
  })

  it('the call VM is intact afterwards: an ordinary call answers from the chain state', async () => {
    expect(await t.call('eth_call', [{ to: probeAddress, data: probe.encodeFunctionData('value') }, 'latest'])).toBe(word(9))
  })
})

describe('eth_call time limit without a gas cap', () => {
  let t: TestNode
  let loop: string

  beforeAll(async () => {
    t = await spawnNode({ rpc: { ...DEFAULT_RPC, port: 0, gasCap: 0n, evmTimeoutMs: 500 } })
    loop = (await sendAndMine(t, devWallet(0), { data: LOOP_INIT, gasLimit: 100_000n })).contractAddress
  })
  afterAll(async () => {
    await t?.close()
  })

  it('an endless call with the block gas limit stops at the deadline with geth\'s message', async () => {
    const started = performance.now()
    expect(await rpcError(t, 'eth_call', [{ to: loop, gas: hex(10n ** 12n) }, 'latest'])).toEqual({ code: -32000, message: 'execution aborted (timeout = 500ms)' })
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(490)
    expect(elapsed).toBeLessThan(1_500)
  })

  it('eth_estimateGas is held to the same limit', async () => {
    expect(await rpcError(t, 'eth_estimateGas', [{ to: loop, gas: hex(10n ** 12n) }, 'latest'])).toEqual({ code: -32000, message: 'execution aborted (timeout = 500ms)' })
  })
})
