import { bytesToHex } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { RpcBackend } from '../backend.ts'
import { defineMethod, type MethodTable } from '../method.ts'
import { bytes } from '../validators.ts'

export function web3Methods(node: RpcBackend): MethodTable {
  return {
    web3_clientVersion: defineMethod([], () => node.clientVersion),
    web3_sha3: defineMethod([bytes], ([data]) => bytesToHex(keccak_256(data))),
  }
}

/** A single node: no peers, but listening as far as tools that ask are concerned. */
export function netMethods(node: RpcBackend): MethodTable {
  return {
    net_version: defineMethod([], () => String(node.common.chainId())),
    net_listening: defineMethod([], () => true),
    net_peerCount: defineMethod([], () => '0x0'),
  }
}

