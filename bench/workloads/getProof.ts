/** Workload: eth_getProof of the token contract and one holder's balance slot, under concurrent load. */
import { keccak256, AbiCoder } from 'ethers'
import { senders } from '../accounts.ts'
import { deployAndDistribute, SENDER_BALANCE } from '../token.ts'
import { measureCallRate } from './callLoad.ts'
import type { Workload } from './workload.ts'

/** BenchToken's `balanceOf` mapping is its storage slot 1. */
const BALANCE_OF_SLOT = 1n

interface Proof {
  accountProof: string[]
  storageProof: { key: string; value: string; proof: string[] }[]
}

export const getProof: Workload = {
  measures: [{ name: 'eth_getProof (account + 1 slot)', unit: 'proofs/s' }],
  unsupportedBy: { hardhat: 'Hardhat 2.26 answers eth_getProof: Method not supported' },
  async run(client, config) {
    const token = await deployAndDistribute(client)
    const slot = keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [senders[0].address, BALANCE_OF_SLOT]))
    const call = { method: 'eth_getProof', params: [token, [slot], 'latest'] }
    const isCorrect = (r: unknown) => {
      const proof = r as Proof
      return proof?.accountProof?.length > 0 && proof.storageProof?.length === 1 && BigInt(proof.storageProof[0].value) === SENDER_BALANCE
    }
    return [await measureCallRate(client, call, isCorrect, config.loadDurationMs)]
  },
}
