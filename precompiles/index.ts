/** What clients and other packages use of the precompiles: addresses, ABIs and the canonical fingerprint. */
export { PRECOMPILE_ADDRESSES } from './addresses.ts'
export { DEFAULT_MAX_SHINGLES, DEFAULT_SHINGLE_SIZE, fingerprint, type FingerprintOptions } from './fingerprint.ts'
export { iAgentRegistryAbi } from './agentRegistry/abi.ts'
export { iAttributionAbi } from './attribution/abi.ts'
export { iDatanetRegistryAbi } from './datanetRegistry/abi.ts'
export { iModelRegistryAbi } from './modelRegistry/abi.ts'
export { iOpenLedgerPrecompileAbi } from './framework/abi.ts'
export { iRewardsAbi } from './rewards/abi.ts'
