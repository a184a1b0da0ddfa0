import { Common, ConsensusAlgorithm, ConsensusType, Hardfork, type ChainConfig } from '@ethereumjs/common'
import { bigIntToHex, bytesToHex } from '@ethereumjs/util'
import type { Genesis } from '../../genesis/genesis.ts'
import { chainCrypto } from './crypto.ts'

/** The hardfork the chain runs from block 0: Cancun (Prague's EIP-7685 needs system-contract predeploys). */
export const CHAIN_HARDFORK = Hardfork.Cancun

const FORKS_UP_TO_CANCUN = [
  Hardfork.Chainstart,
  Hardfork.Homestead,
  Hardfork.TangerineWhistle,
  Hardfork.SpuriousDragon,
  Hardfork.Byzantium,
  Hardfork.Constantinople,
  Hardfork.Petersburg,
  Hardfork.Istanbul,
  Hardfork.MuirGlacier,
  Hardfork.Berlin,
  Hardfork.London,
  Hardfork.Paris,
  Hardfork.Shanghai,
  Hardfork.Cancun,
]

/** The chain's Common: every fork active at block 0, our genesis, proof-of-stake style headers. */
export function createChainCommon(genesis: Genesis): Common {
  const chain: ChainConfig = {
    name: 'olnode',
    chainId: genesis.chainId,
    defaultHardfork: CHAIN_HARDFORK,
    genesis: {
      gasLimit: bigIntToHex(genesis.gasLimit),
      difficulty: bigIntToHex(genesis.difficulty),
      nonce: bytesToHex(genesis.nonce),
      extraData: bytesToHex(genesis.extraData),
      timestamp: bigIntToHex(genesis.timestamp),
      baseFeePerGas: bigIntToHex(genesis.baseFeePerGas),
    },
    hardforks: FORKS_UP_TO_CANCUN.map((name) => ({ name, block: 0 })),
    bootstrapNodes: [],
    consensus: { type: ConsensusType.ProofOfStake, algorithm: ConsensusAlgorithm.Casper },
  }
  return new Common({ chain, hardfork: CHAIN_HARDFORK, customCrypto: chainCrypto })
}
