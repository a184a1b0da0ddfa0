import { describe, expect, it } from 'vitest'
import { inProcessCallRate } from '../../../bench/ceilings/callExecutorCeiling.ts'
import { bareHttpCeiling } from '../../../bench/ceilings/httpCeiling.ts'
import { interpreterCeiling } from '../../../bench/ceilings/interpreterCeiling.ts'
import { ceilingsTable } from '../../../bench/ceilings/report.ts'
import { sealRate } from '../../../bench/ceilings/sealCeiling.ts'
import type { WorkloadResult } from '../../../bench/report.ts'

const rates = (runs: number[]) => ({ runs })

describe('bench ceilings', () => {
  it('drives the bare node:http server with checked eth_blockNumber answers, and reads the CPU of its process', async () => {
    const { rate, nodeCpuUs } = await bareHttpCeiling(300)
    expect(rate).toBeGreaterThan(0)
    expect(nodeCpuUs).toBeGreaterThan(0)
  }, 30_000)

  it("calls balanceOf in the chain's EVM alone, on an in-memory state, each answer checked, and times its CPU", async () => {
    const { rate, cpuUs } = await interpreterCeiling(300)
    expect(rate).toBeGreaterThan(0)
    expect(cpuUs).toBeGreaterThan(0)
  }, 30_000)

  it('calls balanceOf through the call executor of an in-process node, each answer checked', async () => {
    expect(await inProcessCallRate(300)).toBeGreaterThan(0)
  }, 60_000)

  it('seals blocks of pre-signed transfers in an in-process node, each receipt checked', async () => {
    expect(await sealRate(1)).toBeGreaterThan(0)
  }, 120_000)

  it('sets each ceiling beside the row it bounds, against the faster peer', () => {
    const results: WorkloadResult[] = [
      { name: 'eth_blockNumber', unit: 'calls/s', outcomes: { olnode: rates([9_000]), anvil: rates([30_000]), hardhat: rates([4_000]) } },
      { name: 'Ceiling: bare node:http JSON-RPC server', unit: 'calls/s', section: 'ceilings', bounds: 'eth_blockNumber', outcomes: { olnode: rates([15_000, 18_000, 16_000]) } },
      { name: "Ceiling: balanceOf through olnode's call executor, in process, no RPC", unit: 'calls/s', section: 'ceilings', bounds: 'eth_call (balanceOf)', outcomes: { olnode: rates([3_000]) } },
      { name: 'eth_blockNumber, node CPU per call', unit: 'µs', lowerIsBetter: true, outcomes: { olnode: rates([60]), anvil: rates([40]), hardhat: rates([200]) } },
      { name: 'Ceiling: bare node:http JSON-RPC server, CPU per call', unit: 'µs', lowerIsBetter: true, section: 'ceilings', bounds: 'eth_blockNumber, node CPU per call', outcomes: { olnode: rates([50]) } },
    ]
    const [, , http, evm, cpu, ...rest] = ceilingsTable(results).split('\n')
    expect(http).toBe('| bare node:http JSON-RPC server (calls/s) | eth_blockNumber | 16,000 | 9,000 | 30,000 | 0.53x |  |')
    // The row it bounds not yet recorded: the ceiling alone.
    expect(evm).toBe("| balanceOf through olnode's call executor, in process, no RPC (calls/s) | eth_call (balanceOf) | 3,000 | - | - | - |  |")
    // A CPU cost: the peer's lower figure over the ceiling's, so below 1x the ceiling alone costs more than the peer.
    expect(cpu).toBe('| bare node:http JSON-RPC server, CPU per call (µs) | eth_blockNumber, node CPU per call | 50 | 60 | 40 | 0.80x |  |')
    expect(rest).toEqual([])
  })
})
