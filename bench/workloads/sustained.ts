/**
 * Workload: transfers at a steady offered OFFERED_TX_PER_S for BENCH_SUSTAIN_S on nodes mining a block a
 * second; the figures are what the blocks mined in that window held, per second, and the CPU the node spent
 * over the window per transfer they hold.
 */
import { DRAIN_MS, INTERVAL_GAS_LIMIT, INTERVAL_REQUEST_TIMEOUT_MS, OFFERED_TX_PER_S, offerAndSettle } from '../load/intervalLoad.ts'
import { fundSenders, transferQueues } from '../load/transferPlan.ts'
import type { Workload } from './workload.ts'

/**
 * Signing (once per process, about 30 s for 240,000), the setup and the receipt checks, beyond the
 * window and drain. On this 2-core machine anvil takes about 3,500 transfers a second, and checking their
 * receipts takes it 1.7 ms each (bench/receipts.ts): about 6 minutes for a 60 s window.
 */
const OVERHEAD_MS = 600_000

export const sustained: Workload = {
  measures: [
    { name: 'Sustained transfers, --block-time 1', unit: 'tx/s' },
    { name: 'Sustained transfers, node CPU per transfer mined in the window', unit: 'µs', lowerIsBetter: true },
  ],
  start: { blockTimeS: 1, gasLimit: INTERVAL_GAS_LIMIT },
  requestTimeoutMs: INTERVAL_REQUEST_TIMEOUT_MS,
  timeoutMs: (config) => config.sustainMs + DRAIN_MS + OVERHEAD_MS,
  async run(client, config, node) {
    const queues = transferQueues((OFFERED_TX_PER_S * config.sustainMs) / 1_000)
    await fundSenders(client)
    const { sent, includedInWindow, nodeCpuMsInWindow } = await offerAndSettle(client, queues, config.sustainMs, node.pid)
    console.log(`    sent ${sent.length} transfers in ${config.sustainMs / 1_000} s, ${includedInWindow} mined by its end, all successful`)
    return [includedInWindow / (config.sustainMs / 1_000), (nodeCpuMsInWindow! * 1_000) / includedInWindow]
  },
}
