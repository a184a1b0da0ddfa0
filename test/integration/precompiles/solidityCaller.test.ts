/**
 * A Solidity contract (contracts/InferenceBroker.sol, compiled with solc-js) calling the precompiles
 * through their interfaces, driven by real signed transactions on the in-process node: it registers a
 * model and an agent, reads Attribution.score, pays through IRewards.payInference{value: ...}, and
 * catches a replay's revert with try/catch.
 */
import { readFileSync } from 'node:fs'
import { getAddress, getContract, keccak256, parseEther, parseEventLogs, toFunctionSelector, toHex, type Abi, type Address, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { devCast } from '../../../demo/chain.ts'
import { DOCUMENTS, INFERENCE_OUTPUT, QUOTED } from '../../../demo/documents.ts'
import type { Cast } from '../../../demo/story.ts'
import { contributeText, inferenceFingerprint, openLedgerContracts, REWARD_ROLES, type OpenLedgerClients } from '../../../precompiles/client.ts'
import { iRewardsAbi } from '../../../precompiles/rewards/abi.ts'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { compile } from '../../unit/precompiles/support.ts'

const BROKER = compile(readFileSync(new URL('./contracts/InferenceBroker.sol', import.meta.url), 'utf8'), 'InferenceBroker')
const ADAPTER = keccak256(toHex('broker LoRA adapter'))
const MODEL_FEE = parseEther('0.04')
const AGENT_FEE = parseEther('0.01')
const FEE = MODEL_FEE + AGENT_FEE + parseEther('0.001')
const INFERENCE_ID = keccak256(toHex('broker inference 1'))
const GAS = 5_000_000n

describe('a Solidity contract calling the precompiles through their interfaces', () => {
  let t: TestNode
  let cast: Cast
  let caller: OpenLedgerClients
  let broker: Address
  let datanetId: bigint
  let contributionIds: bigint[]

  beforeAll(async () => {
    t = await spawnNode()
    cast = await devCast(t.url)
    caller = cast.user
    ;({ datanetId, contributionIds } = await approvedContributions(cast))
    const hash = await caller.wallet.deployContract({ abi: BROKER.abi as Abi, bytecode: BROKER.bytecode })
    broker = getAddress((await caller.public.waitForTransactionReceipt({ hash })).contractAddress!)
  })

  afterAll(async () => {
    await t?.close()
  })

  /** The three documents, each from its contributor, in an open Datanet (approved on submission). */
  async function approvedContributions(cast: Cast): Promise<{ datanetId: bigint; contributionIds: bigint[] }> {
    const { datanetRegistry } = openLedgerContracts(cast.curator)
    const hash = await datanetRegistry.write.createDatanet(['Broker data', '', 4, { curated: false, nearDuplicatePct: 0 }])
    await cast.curator.public.waitForTransactionReceipt({ hash })
    const datanetId = await datanetRegistry.read.datanetCount()
    const contributionIds: bigint[] = []
    for (const [i, doc] of DOCUMENTS.entries()) contributionIds.push((await contributeText(cast.contributors[i], datanetId, doc.text, doc.uri)).result)
    return { datanetId, contributionIds }
  }

  const contract = () => getContract({ address: broker, abi: BROKER.abi as Abi, client: caller.public })
  const view = (name: string) => contract().read[name]() as Promise<any>

  /** Sends `functionName` to the broker with `value`, mined; resolves to the receipt (successful). */
  async function send(functionName: string, args: readonly unknown[], value = 0n) {
    const hash = await caller.wallet.writeContract({ address: broker, abi: BROKER.abi as Abi, functionName, args, value, gas: GAS })
    const receipt = await caller.public.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    return receipt
  }

  async function balances(addresses: readonly Address[]): Promise<bigint[]> {
    return Promise.all(addresses.map((address) => caller.public.getBalance({ address })))
  }

  it('registers a model and an agent that the contract owns', async () => {
    await send('setUp', [datanetId, ADAPTER, MODEL_FEE, AGENT_FEE])
    const [modelId, agentId] = [await view('modelId'), await view('agentId')]
    const { modelRegistry, agentRegistry } = openLedgerContracts(caller.public)
    const model = await modelRegistry.read.getModel([modelId])
    expect([model.owner, model.adapterHash, model.baseModel, model.feePerCall, model.datanets]).toEqual([broker, ADAPTER, 'meta-llama/Llama-3.1-8B', MODEL_FEE, [{ datanetId, version: 3n }]])
    const agent = await agentRegistry.read.getAgent([agentId])
    expect([agent.owner, agent.modelIds, agent.feePerCall]).toEqual([broker, [modelId], AGENT_FEE])
  })

  it('scores the output with Attribution and pays for it through Rewards with the caller\'s value', async () => {
    const modelId = await view('modelId')
    const output = await inferenceFingerprint(caller.public, modelId, INFERENCE_OUTPUT)
    const { attribution, rewards } = openLedgerContracts(caller.public)
    const [scoredIds, weights] = await attribution.read.score([modelId, output, BigInt((await rewards.read.policy()).maxContributors)])
    const contributors = cast.contributors.map((c) => c.wallet.account.address)
    const before = await balances([caller.wallet.account.address, broker, ...contributors])

    const receipt = await send('serve', [output, INFERENCE_ID], FEE)
    expect([await view('topContribution'), await view('topWeightPpm'), await view('scoredCount')]).toEqual([scoredIds[0], weights[0], BigInt(scoredIds.length)])
    expect([...scoredIds].sort()).toEqual(QUOTED.map((doc) => contributionIds[doc]).sort())

    const paid = parseEventLogs({ abi: iRewardsAbi, logs: receipt.logs, eventName: 'RewardPaid' }).map((l) => l.args)
    const [settled] = parseEventLogs({ abi: iRewardsAbi, logs: receipt.logs, eventName: 'InferenceSettled' })
    expect([settled.args.payer, settled.args.fee, settled.args.inferenceId]).toEqual([broker, FEE, INFERENCE_ID])
    expect(paid.reduce((sum, s) => sum + s.amount, 0n)).toBe(FEE)
    const toContributors = paid.filter((s) => REWARD_ROLES[s.role] === 'Contributor')
    expect([await view('sharesPaid'), await view('paidToContributors')]).toEqual([BigInt(paid.length), toContributors.reduce((sum, s) => sum + s.amount, 0n)])

    const after = await balances([caller.wallet.account.address, broker, ...contributors])
    const received = (address: Address) => paid.filter((s) => s.recipient === address).reduce((sum, s) => sum + s.amount, 0n)
    expect(before[0] - after[0]).toBe(FEE + receipt.gasUsed * receipt.effectiveGasPrice)
    // The broker forwarded the fee and owns the model and the agent: it keeps their two shares.
    expect(after[1] - before[1]).toBe(received(broker))
    expect(received(broker)).toBe(paid.filter((s) => REWARD_ROLES[s.role] === 'Model' || REWARD_ROLES[s.role] === 'Agent').reduce((sum, s) => sum + s.amount, 0n))
    contributors.forEach((address, i) => expect(after[i + 2] - before[i + 2]).toBe(received(address)))
    expect(received(contributors[2])).toBe(0n)
    expect(await rewards.read.isSettled([INFERENCE_ID])).toBe(true)
  })

  it('catches the replay\'s InferenceAlreadySettled with try/catch and refunds the caller', async () => {
    const output = await inferenceFingerprint(caller.public, await view('modelId'), INFERENCE_OUTPUT)
    const [callerBefore, brokerBefore] = await balances([caller.wallet.account.address, broker])
    const receipt = await send('trySettle', [output, INFERENCE_ID], FEE)
    expect(await view('caught')).toBe(toFunctionSelector('error InferenceAlreadySettled(bytes32)'))
    expect(await view('caughtInferenceId')).toBe(INFERENCE_ID as Hex)
    expect(await view('refunded')).toBe(FEE)
    expect(parseEventLogs({ abi: iRewardsAbi, logs: receipt.logs })).toEqual([])
    const [callerAfter, brokerAfter] = await balances([caller.wallet.account.address, broker])
    expect(callerBefore - callerAfter).toBe(receipt.gasUsed * receipt.effectiveGasPrice)
    expect(brokerAfter).toBe(brokerBefore)
  })
})
