import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { bytesToHex } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Bucket, bucketKey } from '../../../node/db/buckets.ts'
import type { KV } from '../../../node/db/kv.ts'
import { BlockImportError, CallInvalidError } from '../../../node/execution/errors.ts'
import { MissingTrieNodeError } from '../../../node/execution/trieNodes.ts'
import { ADDR_A, ADDR_B, KEY_A, SINK, WatchedKV, openExecution, tempDir, tx1559, type ExecParts } from '../support/harness.ts'

/** A KV that has lost some keys: reads of them find nothing, as after a damaged disk. */
class LosingKV extends WatchedKV {
  constructor(
    inner: KV,
    private readonly lost: Set<string>,
  ) {
    super(inner)
  }

  override get(key: Uint8Array) {
    return this.lost.has(bytesToHex(key)) ? Promise.resolve(undefined) : super.get(key)
  }
}

/** The store key of the trie node holding `address`'s account in the state at `root`. */
async function accountLeafKey(parts: ExecParts, root: Uint8Array, address: Uint8Array): Promise<string> {
  const trie = new MerklePatriciaTrie({ db: parts.store, root })
  const { node } = await trie.findPath(keccak_256(address))
  if (!node) throw new Error('the account is not in the state')
  return bytesToHex(bucketKey(Bucket.state, keccak_256(node.serialize())))
}

describe('a store that lost the trie node of an account', () => {
  let dir: string
  let remove: () => Promise<void>
  let parts: ExecParts

  beforeEach(async () => {
    ;({ dir, remove } = await tempDir('olnode-damaged-'))
    const intact = await openExecution({ dir })
    const lost = new Set([await accountLeafKey(intact, intact.chain.headBlock.header.stateRoot, ADDR_A.bytes)])
    await intact.kv.close()
    parts = await openExecution({ dir, wrap: (kv) => new LosingKV(kv, lost) })
  })
  afterEach(async () => {
    await parts.kv.close()
    await remove()
  })

  it('fails the read with MissingTrieNodeError rather than reading the account as absent', async () => {
    const state = parts.execution.stateAt(parts.chain.headBlock)
    await expect(state.getAccount(ADDR_A)).rejects.toBeInstanceOf(MissingTrieNodeError)
  })

  it('stops building a block with the store error, and does not drop the transaction as invalid', async () => {
    const build = parts.execution.buildOnHead([tx1559(parts.common, KEY_A, 0n)], { timestamp: 1n, coinbase: new Uint8Array(20) })
    await expect(build).rejects.toBeInstanceOf(MissingTrieNodeError)
  })

  it('stops importing a block with the store error, and does not call the block invalid', async () => {
    const other = await openExecution()
    const { block } = await other.execution.buildOnHead([tx1559(other.common, KEY_A, 0n)], { timestamp: 1n, coinbase: new Uint8Array(20) })
    await other.kv.close()
    const applied = parts.execution.applyOnHead(block)
    await expect(applied).rejects.toBeInstanceOf(MissingTrieNodeError)
    await expect(applied).rejects.not.toBeInstanceOf(BlockImportError)
  })

  it('fails a call with the store error, not as an invalid call', async () => {
    const call = parts.execution.calls.call({ from: ADDR_A.toString(), to: SINK }, parts.chain.headBlock)
    await expect(call).rejects.toBeInstanceOf(MissingTrieNodeError)
    await expect(call).rejects.not.toBeInstanceOf(CallInvalidError)
  })

  it('reads the other accounts as before', async () => {
    const state = parts.execution.stateAt(parts.chain.headBlock)
    expect((await state.getAccount(ADDR_B))!.balance).toBeGreaterThan(0n)
  })
})
