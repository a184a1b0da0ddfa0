/** The OpenLedger precompiles' addresses (shared/DESIGN.md), lowercase. */
export const PRECOMPILE_ADDRESSES = {
  datanetRegistry: '0x0000000000000000000000000000000000000a01',
  modelRegistry: '0x0000000000000000000000000000000000000a02',
  agentRegistry: '0x0000000000000000000000000000000000000a03',
  attribution: '0x0000000000000000000000000000000000000a04',
  rewards: '0x0000000000000000000000000000000000000a05',
} as const

/**
 * The code every precompile account holds from genesis (PUSH1 0 PUSH1 0 REVERT; never run, the
 * precompile answers first). It makes the account non-empty, so EIP-161 never deletes it with its
 * storage, and gives it a code size, so Solidity's extcodesize check before a call passes.
 */
export const PRECOMPILE_ACCOUNT_CODE = Uint8Array.from([0x60, 0x00, 0x60, 0x00, 0xfd])
