import { MESSAGE_CODE, signBytes, signDigest, type ConsensusMessage, type Signed } from './messages.ts'
import type { SignGuard } from './signGuard.ts'

/** Signs a validator's consensus messages, each only once the double-sign guard has let it through and recorded it. */
export class GuardedSigner {
  constructor(
    private readonly privateKey: Uint8Array,
    readonly address: string,
    private readonly chainId: number,
    private readonly guard: SignGuard,
  ) {}

  /** The signed message, ready to send; DoubleSignError if signing it could equivocate. */
  async sign<M extends ConsensusMessage>(message: M): Promise<Signed<M>> {
    const bytes = signBytes(this.chainId, message)
    const position = { height: message.height, round: message.round, step: MESSAGE_CODE[message.kind] }
    const locks = message.kind === 'precommit' ? message.blockHash : undefined
    const signature = await this.guard.sign(position, bytes, (b) => signDigest(b, this.privateKey), locks)
    return { message, signature, signer: this.address }
  }
}
