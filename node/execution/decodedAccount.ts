import { Account, createAccountFromRLP } from '@ethereumjs/util'

type AccountFields = readonly [nonce: bigint, balance: bigint, storageRoot: Uint8Array, codeHash: Uint8Array]

/**
 * Accounts by the RLP they were decoded from or serialized to. The RLP that tries and the state
 * caches hold is never changed in place, and neither are an account's root and code hash (ethereumjs
 * assigns new ones), so the same bytes always stand for the same fields.
 */
const fieldsByRLP = new WeakMap<Uint8Array, AccountFields>()

/**
 * The account `rlp` encodes, decoded once per RLP. A new Account each time: callers change the one they
 * are given. ethereumjs' state manager decodes the RLP its cache holds on every read, and its cache holds
 * what each write serialized, so a block decoded the coinbase and each sender again at every transaction.
 */
export function decodeAccount(rlp: Uint8Array): Account {
  let fields = fieldsByRLP.get(rlp)
  if (fields === undefined) {
    const { nonce, balance, storageRoot, codeHash } = createAccountFromRLP(rlp)
    fields = [nonce, balance, storageRoot, codeHash]
    fieldsByRLP.set(rlp, fields)
  }
  return new DecodedAccount(rlp, fields)
}

/**
 * An account read from `rlp`. Serialized unchanged (most accounts a call reads, a zero fee paid, a
 * zero reward), it is the RLP it came from: the node writes every account as ethereumjs serializes it,
 * so stored RLP is canonical. Serialized changed, the new RLP is remembered for the next read.
 */
class DecodedAccount extends Account {
  constructor(
    private readonly rlp: Uint8Array,
    private readonly fields: AccountFields,
  ) {
    super(...fields)
  }

  override serialize(): Uint8Array {
    const [nonce, balance, storageRoot, codeHash] = this.fields
    if (this.nonce === nonce && this.balance === balance && this.storageRoot === storageRoot && this.codeHash === codeHash) return this.rlp
    const rlp = super.serialize()
    fieldsByRLP.set(rlp, [this.nonce, this.balance, this.storageRoot, this.codeHash])
    return rlp
  }
}
