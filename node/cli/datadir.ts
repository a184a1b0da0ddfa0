import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Common } from '@ethereumjs/common'
import type { Genesis } from '../../genesis/genesis.ts'
import { ChainStore } from '../chain/chainStore.ts'
import { openChain } from '../chain/openChain.ts'
import type { KV } from '../db/kv.ts'
import { TrieStore } from '../db/trieStore.ts'
import { createChainCommon } from '../execution/common.ts'

/** The datadir the commands use when --datadir is not given: the devnet's. */
export const DEFAULT_DATADIR = '.olnode/devnet'

export function resolveDatadir(flag: string | undefined): string {
  return path.resolve(flag ?? DEFAULT_DATADIR)
}

/** A LevelDB directory has a CURRENT file; checked before opening, which would create one. */
export function holdsDatabase(datadir: string): boolean {
  return existsSync(path.join(datadir, 'CURRENT'))
}

export interface OpenedChain {
  common: Common
  store: TrieStore
  chain: ChainStore
  /** Block 0 was written now: the datadir held no chain before. */
  created: boolean
}

/** Opens the chain of `genesis` on an open KV, writing block 0 if it is empty (GenesisMismatchError for another genesis). */
export async function openGenesisChain(kv: KV, genesis: Genesis): Promise<OpenedChain> {
  const common = createChainCommon(genesis)
  const store = new TrieStore(kv)
  const chain = new ChainStore(kv, common)
  const created = (await chain.genesisHash()) === undefined
  await openChain(chain, store, common, genesis)
  return { common, store, chain, created }
}
