/**
 * The timed operations, each repeated `samples` times on the node as it stands: submit and approve on
 * a curated Datanet, score() by eth_call, payInference() by transaction. Times are medians taken by
 * the caller; gas is the receipts' gasUsed (transactions) or eth_estimateGas (the view).
 */
import { decodeFunctionResult, keccak256, toHex, type Hex } from 'viem'
import { iAttributionAbi } from '../../precompiles/attribution/abi.ts'
import { PRECOMPILE_ADDRESSES } from '../../precompiles/addresses.ts'
import type { RpcClient } from '../client.ts'
import { approve, payInference, score, submitContribution } from './calls.ts'
import { outputFingerprint } from './shingles.ts'
import { send, sendTimed, signNext, type Account } from './tx.ts'

/** Contributions paid per inference (genesis rewards.maxContributors): score() is asked for as many. */
export const MAX_CONTRIBUTORS = 16n
const PPM = 1_000_000

export interface Sample {
  ms: number
  gas: bigint
}

/** Gas limit of a transaction: its estimate plus a margin, since later ones may touch a little more. */
export async function gasLimitFor(client: RpcClient, from: Account, to: string, data: Uint8Array, value = 0n): Promise<bigint> {
  const estimate = BigInt(await client.call<string>('eth_estimateGas', [{ from: from.signer.address, to, data: toHex(data), value: toHex(value) }]))
  return (estimate * 5n) / 4n
}

/** Submits contributions `from` … of `stream` to a curated Datanet and approves each: two samples per contribution. */
export async function submitAndApprove(client: RpcClient, curator: Account, datanetId: bigint, stream: number, from: number, samples: number): Promise<{ submit: Sample[]; approve: Sample[] }> {
  const registry = PRECOMPILE_ADDRESSES.datanetRegistry
  const submitGas = await gasLimitFor(client, curator, registry, submitContribution(datanetId, stream, from))
  const out = { submit: [] as Sample[], approve: [] as Sample[] }
  for (let i = from; i < from + samples; i++) {
    const submitted = await send(client, curator, { to: registry, data: submitContribution(datanetId, stream, i), gasLimit: submitGas })
    // ContributionSubmitted(contributionId indexed, …): the first topic after the signature.
    const id = BigInt(submitted.logs[0].topics[1])
    const approveGas = await gasLimitFor(client, curator, registry, approve(id))
    const approved = await send(client, curator, { to: registry, data: approve(id), gasLimit: approveGas })
    out.submit.push({ ms: submitted.ms, gas: submitted.gasUsed })
    out.approve.push({ ms: approved.ms, gas: approved.gasUsed })
  }
  return out
}

function checkScore(result: Hex): void {
  const [ids, weights] = decodeFunctionResult({ abi: iAttributionAbi, functionName: 'score', data: result })
  const total = weights.reduce((a, w) => a + w, 0)
  if (ids.length === 0 || total !== PPM) throw new Error(`score() credited ${ids.length} contributions with ${total} ppm in all`)
}

/** score() of the benchmark output by eth_call, checked; gas by eth_estimateGas. */
export async function scoreCalls(client: RpcClient, modelId: bigint, samples: number): Promise<Sample[]> {
  const call = { to: PRECOMPILE_ADDRESSES.attribution, data: score(modelId, outputFingerprint, MAX_CONTRIBUTORS) }
  const gas = BigInt(await client.call<string>('eth_estimateGas', [call]))
  const out: Sample[] = []
  for (let i = 0; i < samples; i++) {
    const start = performance.now()
    const result = await client.call<Hex>('eth_call', [call, 'latest'])
    out.push({ ms: performance.now() - start, gas })
    checkScore(result)
  }
  return out
}

/** payInference() of the benchmark output, each with a fresh inference id, as transactions. */
export async function payments(client: RpcClient, payer: Account, ids: { model: bigint; agent: bigint }, fee: bigint, samples: number): Promise<Sample[]> {
  const inference = (i: number) => keccak256(toHex(`olnode-bench-inference-${ids.model}-${i}`))
  const data = (i: number) => payInference(ids.model, ids.agent, outputFingerprint, inference(i))
  const gasLimit = await gasLimitFor(client, payer, PRECOMPILE_ADDRESSES.rewards, data(0), fee)
  const out: Sample[] = []
  for (let i = 0; i < samples; i++) {
    const paid = await sendTimed(client, signNext(payer, { to: PRECOMPILE_ADDRESSES.rewards, data: data(i), gasLimit, value: fee }))
    out.push({ ms: paid.ms, gas: paid.gasUsed })
  }
  return out
}
