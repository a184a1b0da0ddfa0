import { RLP, type NestedUint8Array } from '@ethereumjs/rlp'
import { hexKey } from '../util/hexKey.ts'

type RawNode = NestedUint8Array
/** Which trie a node is in: account-trie leaves hold accounts, whose storage roots lead into storage tries. */
type TrieKind = 'account' | 'storage'

const HASH_BYTES = 32
const BRANCH_ITEMS = 17
const CHILDREN = 16
/** The account RLP's third item: [nonce, balance, storageRoot, codeHash]. */
const STORAGE_ROOT_ITEM = 2

/**
 * The keys (hex) of the `held` trie nodes reachable from the state root `root`, through the account
 * trie and the storage tries of its accounts. A node not held is already stored, and so is everything
 * under it, so the walk stops there: it visits only the nodes written since the last commit.
 * ethereumjs writes every node on the path of each update, so nodes superseded by a later update in
 * the same block are held too, and are the ones this leaves out.
 */
export function reachableHeldNodes(held: ReadonlyMap<string, Uint8Array | null>, root: Uint8Array): Set<string> {
  const reached = new Set<string>()
  const visit = (hash: Uint8Array, kind: TrieKind) => {
    const key = hexKey(hash)
    const node = held.get(key)
    if (!node || reached.has(key)) return
    reached.add(key)
    walk(RLP.decode(node) as RawNode, kind)
  }
  const child = (ref: Uint8Array | RawNode, kind: TrieKind) => {
    if (Array.isArray(ref)) walk(ref, kind) // embedded (under 32 bytes): no hash to look up
    else if (ref.length === HASH_BYTES) visit(ref, kind)
  }
  const walk = (raw: RawNode, kind: TrieKind) => {
    if (raw.length === BRANCH_ITEMS) {
      // Keys are 32-byte hashes, all the same length: values sit in leaves, never in branches.
      for (let i = 0; i < CHILDREN; i++) child(raw[i], kind)
      return
    }
    const [path, next] = raw as [Uint8Array, Uint8Array | RawNode]
    if (!isLeafPath(path)) return child(next, kind)
    if (kind === 'account') visit((RLP.decode(next as Uint8Array) as Uint8Array[])[STORAGE_ROOT_ITEM], 'storage')
  }
  visit(root, 'account')
  return reached
}

/** Hex-prefix encoding: the first nibble's 2 bit marks a leaf (terminated path). */
function isLeafPath(encodedPath: Uint8Array): boolean {
  return (encodedPath[0] & 0x20) !== 0
}
