/**
 * The precompiles' gas schedule (precompiles/README.md, "Gas"). Storage and logs are priced as the
 * EVM prices SLOAD, SSTORE and LOGn (EIP-2929 cold/warm slots; no EIP-2200 dirty-slot discount and no
 * refunds, so a precompile never costs less than the equivalent contract would); everything is charged
 * before the work it pays for.
 */
export const GAS = {
  /** Dispatch: selector lookup, the handler's fixed work. */
  call: 100n,
  /** Decoding or encoding one 32-byte word of calldata or return data (CALLDATACOPY's rate). */
  abiWord: 3n,
  /** Account access: first touch in the transaction (EIP-2929); warm is `warmAccess`. */
  coldAccount: 2_600n,
  /** Crediting value to an account: CALL's value-transfer cost (9,000) less the 2,300 stipend no code uses. */
  valueTransfer: 6_700n,
  /** Crediting value to an empty account (CALL's new-account cost, EIP-161). */
  newAccount: 25_000n,
  /** Storage slot access: first touch in the transaction (EIP-2929) and every later one. */
  coldSload: 2_100n,
  warmAccess: 100n,
  /** Writing a slot: zero to non-zero, any other change (the cold surcharge comes on top). */
  sstoreSet: 20_000n,
  sstoreReset: 2_900n,
  /** keccak256 over n words: 30 + 6 per word (KECCAK256's price), for every derived slot key. */
  keccak: 30n,
  keccakWord: 6n,
  /** LOGn: 375 + 375 per topic + 8 per data byte. */
  log: 375n,
  logTopic: 375n,
  logByte: 8n,
  /**
   * Attribution, per posting-list entry read: its eligibility check and the run and points update
   * of its contribution, about a dozen arithmetic and memory opcodes in a contract.
   */
  attributionPosting: 30n,
  /**
   * Attribution, per contribution credited: its place in the ranking (a comparison sort does about
   * log2(candidates) comparisons each) and its share's division and remainder.
   */
  attributionCandidate: 200n,
} as const

/** 32-byte words needed for `bytes` bytes. */
export function words(bytes: number): bigint {
  return BigInt(Math.ceil(bytes / 32))
}

export function logGas(topics: number, dataBytes: number): bigint {
  return GAS.log + GAS.logTopic * BigInt(topics) + GAS.logByte * BigInt(dataBytes)
}
