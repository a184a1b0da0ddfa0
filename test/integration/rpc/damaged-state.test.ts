/**
 * A datadir whose LevelDB lost a trie node of the state: the methods that need it answer geth's way
 * (-32000, naming the missing node) instead of reading the account as absent, and the node stays up.
 */
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { hexToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Bucket, bucketKey } from '../../../node/db/buckets.ts'
import { openKV } from '../../../node/db/kv.ts'
import { TrieStore } from '../../../node/db/trieStore.ts'
import { spawnNode, tempDir, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES } from './helpers.ts'

const [damaged, intact] = [DEV_ADDRESSES[1], DEV_ADDRESSES[2]]

/** Deletes, from the LevelDB at `datadir`, the trie node holding `address`'s account at `stateRoot`. */
async function loseAccountNode(datadir: string, stateRoot: string, address: string): Promise<void> {
  const kv = await openKV({ path: datadir })
  try {
    const trie = new MerklePatriciaTrie({ db: new TrieStore(kv), root: hexToBytes(stateRoot as `0x${string}`) })
    const { node } = await trie.findPath(keccak_256(hexToBytes(address as `0x${string}`)))
    await kv.batch([{ type: 'del', key: bucketKey(Bucket.state, keccak_256(node!.serialize())) }])
  } finally {
    await kv.close()
  }
}

describe('a datadir that lost a state trie node', () => {
  let t: TestNode
  let remove: () => Promise<void>

  beforeAll(async () => {
    let datadir: string
    ;({ dir: datadir, remove } = await tempDir())
    const first = await spawnNode({ datadir })
    const { stateRoot } = await first.call('eth_getBlockByNumber', ['latest', false])
    await first.close()
    await loseAccountNode(datadir, stateRoot, damaged)
    t = await spawnNode({ datadir })
  })
  afterAll(async () => {
    await t?.close()
    await remove()
  })

  it('answers a read of the account with -32000 naming the missing node, not a zero balance', async () => {
    const res = await t.rpc('eth_getBalance', [damaged, 'latest'])
    expect(res.result).toBeUndefined()
    expect(res.error!.code).toBe(-32000)
    expect(res.error!.message).toMatch(/^trie node [0-9a-f]{64} is missing from the store$/)
  })

  it('answers a call from the account the same way', async () => {
    const res = await t.rpc('eth_call', [{ from: damaged, to: intact }, 'latest'])
    expect(res.error!.code).toBe(-32000)
    expect(res.error!.message).toMatch(/missing from the store/)
  })

  it('stays up and serves the rest of the state', async () => {
    expect(BigInt(await t.call('eth_getBalance', [intact, 'latest']))).toBeGreaterThan(0n)
    expect(await t.call('eth_blockNumber')).toBe('0x0')
  })
})
