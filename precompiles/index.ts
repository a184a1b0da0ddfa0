/** What clients and other packages use of the precompiles: addresses, ABIs, the canonical fingerprint and the viem client. */
export { PRECOMPILE_ADDRESSES } from './addresses.ts'
export { DEFAULT_MAX_SHINGLES, DEFAULT_SHINGLE_SIZE, fingerprint, type FingerprintOptions } from './fingerprint.ts'
export { iAgentRegistryAbi } from './agentRegistry/abi.ts'
export { iAttributionAbi } from './attribution/abi.ts'
export { iDatanetRegistryAbi } from './datanetRegistry/abi.ts'
export { iModelRegistryAbi } from './modelRegistry/abi.ts'
export { iOpenLedgerPrecompileAbi } from './framework/abi.ts'
export { iRewardsAbi } from './rewards/abi.ts'
export {
  contentHashOf,
  contributeText,
  datanetFingerprint,
  inferenceFee,
  inferenceFingerprint,
  openLedgerContracts,
  payInference,
  REWARD_ROLES,
  sendSimulated,
  type ContractClient,
  type InferencePayment,
  type OpenLedgerClients,
  type OpenLedgerContracts,
  type Sent,
  type Share,
} from './client.ts'
export { MixedShingleSizesError, NoDatanetsError, TransactionFailedError } from './clientErrors.ts'
