/**
 * A typed client of the OpenLedger precompiles on viem: `openLedgerContracts` gives viem contract
 * instances (read / write / simulate / estimateGas / watchEvent / getEvents, typed from the const ABIs)
 * for all five, and a few helpers make the common flows one call each, taking and returning viem's
 * own clients, hashes and receipts.
 */
import {
  getContract,
  keccak256,
  parseEventLogs,
  toHex,
  type Account,
  type Chain,
  type Client,
  type ContractFunctionReturnType,
  type GetContractReturnType,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem'
import { PRECOMPILE_ADDRESSES } from './addresses.ts'
import { iAgentRegistryAbi } from './agentRegistry/abi.ts'
import { iAttributionAbi } from './attribution/abi.ts'
import { MixedShingleSizesError, NoDatanetsError, TransactionFailedError } from './clientErrors.ts'
import { iDatanetRegistryAbi } from './datanetRegistry/abi.ts'
import { DEFAULT_MAX_SHINGLES, fingerprint } from './fingerprint.ts'
import { iModelRegistryAbi } from './modelRegistry/abi.ts'
import { iRewardsAbi } from './rewards/abi.ts'

/** What viem's getContract takes: one client, or a public client for reads and a wallet client for writes. */
export type ContractClient = Client | { public: Client; wallet?: Client } | { public?: Client; wallet: Client }

/** The five precompiles as viem contracts bound to `client`. */
export interface OpenLedgerContracts<C extends ContractClient> {
  datanetRegistry: GetContractReturnType<typeof iDatanetRegistryAbi, C, typeof PRECOMPILE_ADDRESSES.datanetRegistry>
  modelRegistry: GetContractReturnType<typeof iModelRegistryAbi, C, typeof PRECOMPILE_ADDRESSES.modelRegistry>
  agentRegistry: GetContractReturnType<typeof iAgentRegistryAbi, C, typeof PRECOMPILE_ADDRESSES.agentRegistry>
  attribution: GetContractReturnType<typeof iAttributionAbi, C, typeof PRECOMPILE_ADDRESSES.attribution>
  rewards: GetContractReturnType<typeof iRewardsAbi, C, typeof PRECOMPILE_ADDRESSES.rewards>
}

export function openLedgerContracts<C extends ContractClient>(client: C): OpenLedgerContracts<C> {
  return {
    datanetRegistry: getContract({ address: PRECOMPILE_ADDRESSES.datanetRegistry, abi: iDatanetRegistryAbi, client }),
    modelRegistry: getContract({ address: PRECOMPILE_ADDRESSES.modelRegistry, abi: iModelRegistryAbi, client }),
    agentRegistry: getContract({ address: PRECOMPILE_ADDRESSES.agentRegistry, abi: iAgentRegistryAbi, client }),
    attribution: getContract({ address: PRECOMPILE_ADDRESSES.attribution, abi: iAttributionAbi, client }),
    rewards: getContract({ address: PRECOMPILE_ADDRESSES.rewards, abi: iRewardsAbi, client }),
  } as OpenLedgerContracts<C>
}

/** The clients the story helpers need: a public client to read and wait, a wallet client with an account to sign. */
export interface OpenLedgerClients {
  public: PublicClient<Transport, Chain>
  wallet: WalletClient<Transport, Chain, Account>
}

/** A mined, successful transaction: its hash and receipt, and what its simulation returned. */
export interface Sent<R> {
  result: R
  hash: Hash
  receipt: TransactionReceipt
}

/**
 * Sends what a viem simulation prepared (`contract.simulate.fn(args, { account: address })`, which has already
 * decoded any revert into the precompile's custom error) and waits for it to be mined.
 * Throws TransactionFailedError if the mined transaction failed.
 */
export async function sendSimulated<R, Q>(clients: OpenLedgerClients, simulation: { result: R; request: Q } | Promise<{ result: R; request: Q }>): Promise<Sent<R>> {
  const { result, request } = await simulation
  // Simulated from the account's address; signed by the wallet's account itself (local key or JSON-RPC).
  const hash = await clients.wallet.writeContract({ ...(request as Parameters<OpenLedgerClients['wallet']['writeContract']>[0]), account: clients.wallet.account })
  const receipt = await clients.public.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new TransactionFailedError(hash, receipt)
  return { result, hash, receipt }
}

/** keccak256 of the document's UTF-8 bytes: the content hash a contribution commits to. */
export function contentHashOf(text: string): Hex {
  return keccak256(toHex(text))
}

/** The canonical fingerprint of `text` as Datanet `datanetId` indexes it (its shingle size). */
export async function datanetFingerprint(pub: PublicClient, datanetId: bigint, text: string, maxShingles = DEFAULT_MAX_SHINGLES): Promise<bigint[]> {
  const datanet = await openLedgerContracts(pub).datanetRegistry.read.getDatanet([datanetId])
  return fingerprint(text, { shingleSize: datanet.shingleSize, maxShingles })
}

/**
 * The fingerprint of a model's output that Attribution scores: the shingle size of the Datanets the
 * model was trained on, at most the chain's maxOutputShingles values.
 */
export async function inferenceFingerprint(pub: PublicClient, modelId: bigint, text: string): Promise<bigint[]> {
  const contracts = openLedgerContracts(pub)
  const model = await contracts.modelRegistry.read.getModel([modelId])
  const datanets = await Promise.all(model.datanets.map((d) => contracts.datanetRegistry.read.getDatanet([d.datanetId])))
  const sizes = [...new Set(datanets.map((d) => d.shingleSize))]
  if (sizes.length === 0) throw new NoDatanetsError(modelId)
  if (sizes.length > 1) throw new MixedShingleSizesError(modelId, sizes)
  const { maxOutputShingles } = await contracts.attribution.read.limits()
  return fingerprint(text, { shingleSize: sizes[0], maxShingles: maxOutputShingles })
}

/** The least an inference of `modelId` through `agentId` (0: none) must pay: the model's fee plus the agent's. */
export async function inferenceFee(pub: PublicClient, modelId: bigint, agentId: bigint): Promise<bigint> {
  const contracts = openLedgerContracts(pub)
  const model = await contracts.modelRegistry.read.getModel([modelId])
  if (agentId === 0n) return model.feePerCall
  const agent = await contracts.agentRegistry.read.getAgent([agentId])
  return model.feePerCall + agent.feePerCall
}

/**
 * Submits `text` to a Datanet as the wallet's account: content hash and fingerprint computed here, only
 * they go on chain. Resolves to the contribution's id, from the receipt's ContributionSubmitted event.
 */
export async function contributeText(clients: OpenLedgerClients, datanetId: bigint, text: string, uri: string): Promise<Sent<bigint>> {
  const print = await datanetFingerprint(clients.public, datanetId, text)
  const { datanetRegistry } = openLedgerContracts(clients)
  const sent = await sendSimulated(clients, datanetRegistry.simulate.submitContribution([datanetId, contentHashOf(text), uri, print], { account: clients.wallet.account.address }))
  const [submitted] = parseEventLogs({ abi: iDatanetRegistryAbi, logs: sent.receipt.logs, eventName: 'ContributionSubmitted' })
  return { ...sent, result: submitted.args.contributionId }
}

export interface InferencePayment {
  modelId: bigint
  /** 0n for an inference served without an agent. */
  agentId: bigint
  outputText: string
  /** Non-zero and unique per inference, e.g. the hash of the request. */
  inferenceId: Hex
  /** msg.value; the least accepted (the model's fee plus the agent's) when not given. */
  fee?: bigint
}

/** One share of a settlement (IRewards.Share), as payInference returns it and its RewardPaid event logs it. */
export type Share = ContractFunctionReturnType<typeof iRewardsAbi, 'payable', 'payInference'>[number]

/** Pays for an inference as the wallet's account: the output fingerprinted for the model, the fee split on chain. Resolves to the shares paid, from the receipt's RewardPaid events. */
export async function payInference(clients: OpenLedgerClients, payment: InferencePayment): Promise<Sent<Share[]>> {
  const print = await inferenceFingerprint(clients.public, payment.modelId, payment.outputText)
  const value = payment.fee ?? (await inferenceFee(clients.public, payment.modelId, payment.agentId))
  const { rewards } = openLedgerContracts(clients)
  const args = [payment.modelId, payment.agentId, print, payment.inferenceId] as const
  const sent = await sendSimulated(clients, rewards.simulate.payInference(args, { account: clients.wallet.account.address, value }))
  const paid = parseEventLogs({ abi: iRewardsAbi, logs: sent.receipt.logs, eventName: 'RewardPaid' })
  return { ...sent, result: paid.map(({ args: { role, recipient, id, amount } }) => ({ role, recipient, id, amount })) }
}

/** The Role enum of IRewards, by its index. */
export const REWARD_ROLES = ['Model', 'Agent', 'Contributor', 'Treasury'] as const
