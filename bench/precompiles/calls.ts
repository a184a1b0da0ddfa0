/** Calldata of the precompile calls the benchmark makes, encoded with the precompiles' own ABIs. */
import { encodeFunctionData, hexToBytes, type Hex } from 'viem'
import { iAgentRegistryAbi } from '../../precompiles/agentRegistry/abi.ts'
import { iAttributionAbi } from '../../precompiles/attribution/abi.ts'
import { iDatanetRegistryAbi } from '../../precompiles/datanetRegistry/abi.ts'
import { iModelRegistryAbi } from '../../precompiles/modelRegistry/abi.ts'
import { iRewardsAbi } from '../../precompiles/rewards/abi.ts'
import { contentHash, contributionFingerprint } from './shingles.ts'

const bytes = (data: Hex) => hexToBytes(data)

export function createDatanet(name: string, curated: boolean): Uint8Array {
  return bytes(encodeFunctionData({ abi: iDatanetRegistryAbi, functionName: 'createDatanet', args: [name, `ipfs://bench/${name}`, 5, { curated, nearDuplicatePct: 0 }] }))
}

/** Contribution i of Datanet stream `stream` (shingles.ts), submitted to `datanetId`. */
export function submitContribution(datanetId: bigint, stream: number, i: number): Uint8Array {
  const args = [datanetId, contentHash(stream, i), `ipfs://bench/${stream}/${i}`, contributionFingerprint(stream, i)] as const
  return bytes(encodeFunctionData({ abi: iDatanetRegistryAbi, functionName: 'submitContribution', args }))
}

export function approve(contributionId: bigint): Uint8Array {
  return bytes(encodeFunctionData({ abi: iDatanetRegistryAbi, functionName: 'approve', args: [contributionId] }))
}

export function registerModel(name: string, datanetIds: bigint[], feePerCall: bigint): Uint8Array {
  const zero = `0x${'00'.repeat(32)}` as const
  return bytes(encodeFunctionData({ abi: iModelRegistryAbi, functionName: 'registerModel', args: [name, `ipfs://bench/${name}`, '', zero, datanetIds, feePerCall] }))
}

export function registerAgent(name: string, modelIds: bigint[], feePerCall: bigint): Uint8Array {
  return bytes(encodeFunctionData({ abi: iAgentRegistryAbi, functionName: 'registerAgent', args: [name, `ipfs://bench/${name}`, modelIds, feePerCall] }))
}

export function score(modelId: bigint, output: bigint[], maxContributors: bigint): Hex {
  return encodeFunctionData({ abi: iAttributionAbi, functionName: 'score', args: [modelId, output, maxContributors] })
}

export function payInference(modelId: bigint, agentId: bigint, output: bigint[], inferenceId: Hex): Uint8Array {
  return bytes(encodeFunctionData({ abi: iRewardsAbi, functionName: 'payInference', args: [modelId, agentId, output, inferenceId] }))
}
