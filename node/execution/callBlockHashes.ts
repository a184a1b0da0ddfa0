import type { EVMMockBlockchainInterface } from '@ethereumjs/evm'

type EVMMockBlock = Awaited<ReturnType<EVMMockBlockchainInterface['getBlock']>>

const UNKNOWN: EVMMockBlock = { hash: () => new Uint8Array(32) }

/**
 * BLOCKHASH for calls: the blocks of the simulation under way, then the chain's; zero for a number
 * neither has (a call whose block number is overridden past the head), as geth's GetHashFn answers.
 */
export class CallBlockHashes implements EVMMockBlockchainInterface {
  private readonly simulated = new Map<number, EVMMockBlock>()

  constructor(private readonly chain: EVMMockBlockchainInterface) {}

  async getBlock(number: number): Promise<EVMMockBlock> {
    const simulated = this.simulated.get(number)
    if (simulated) return simulated
    try {
      return await this.chain.getBlock(number)
    } catch {
      return UNKNOWN
    }
  }

  /** A simulated block, named by its number until `forgetSimulated`. */
  async putBlock(block: EVMMockBlock & { header: { number: bigint } }): Promise<void> {
    this.simulated.set(Number(block.header.number), block)
  }

  forgetSimulated(): void {
    this.simulated.clear()
  }

  shallowCopy(): EVMMockBlockchainInterface {
    return this
  }
}
