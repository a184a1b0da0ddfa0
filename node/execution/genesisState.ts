import { createBlock, type Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { Account, KECCAK256_RLP, createAddressFromString } from '@ethereumjs/util'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import type { Genesis } from '../../genesis/genesis.ts'
import { precompileAccounts } from '../../genesis/openledger.ts'

/** Writes the genesis alloc and the precompiles' accounts into `state` and returns block 0 over the resulting state root. */
export async function buildGenesisBlock(genesis: Genesis, common: Common, state: MerkleStateManager): Promise<Block> {
  for (const [address, account] of [...genesis.alloc, ...precompileAccounts()]) {
    const addr = createAddressFromString(address)
    await state.putAccount(addr, new Account(account.nonce, account.balance))
    if (account.code && account.code.length > 0) await state.putCode(addr, account.code)
    for (const [slot, value] of account.storage) await state.putStorage(addr, slot, value)
  }
  const stateRoot = await state.getStateRoot()
  return createBlock(
    {
      header: {
        number: 0n,
        gasLimit: genesis.gasLimit,
        timestamp: genesis.timestamp,
        extraData: genesis.extraData,
        difficulty: genesis.difficulty,
        mixHash: genesis.mixHash,
        nonce: genesis.nonce,
        coinbase: genesis.coinbase,
        baseFeePerGas: genesis.baseFeePerGas,
        stateRoot,
        withdrawalsRoot: KECCAK256_RLP,
        blobGasUsed: 0n,
        excessBlobGas: 0n,
        parentBeaconBlockRoot: new Uint8Array(32),
      },
      withdrawals: [],
    },
    { common },
  )
}
