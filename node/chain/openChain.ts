import type { Common } from '@ethereumjs/common'
import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import type { Genesis } from '../../genesis/genesis.ts'
import type { TrieStore } from '../db/trieStore.ts'
import { buildGenesisBlock } from '../execution/genesisState.ts'
import { createStateManager } from '../execution/state.ts'
import type { ChainStore } from './chainStore.ts'
import { GenesisMismatchError, MissingStateError } from './errors.ts'

/** Opens the chain at its head, writing block 0 first into an empty database; refuses another genesis. */
export async function openChain(chain: ChainStore, store: TrieStore, common: Common, genesis: Genesis): Promise<void> {
  const block0 = await buildGenesisBlock(genesis, common, createStateManager(common, store))
  // Before the head is read: its transactions only decode under the chain ID they were signed for.
  const storedChainId = await chain.chainId()
  if (storedChainId !== undefined && storedChainId !== common.chainId()) {
    store.discard()
    throw new GenesisMismatchError(String(storedChainId), String(common.chainId()), 'chain ID')
  }
  const head = await chain.open()
  if (!head) {
    await chain.commit(block0, [], store.drain(block0.header.stateRoot))
    return
  }
  store.discard()
  const stored = await chain.genesisHash()
  if (!stored || !equalsBytes(stored, block0.hash())) {
    throw new GenesisMismatchError(stored ? bytesToHex(stored) : '(none)', bytesToHex(block0.hash()))
  }
  const root = chain.headStateRoot
  if (!(await createStateManager(common, store).hasStateRoot(root))) throw new MissingStateError(head.header.number, bytesToHex(root))
}
