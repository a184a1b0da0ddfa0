/** What the benchmark hands each node process, and the line the process answers with once it serves. */

/** Without `privateKey` the node is a full node that follows the validators. */
export interface NodeSpec {
  validators: string[]
  blockPeriodMs: number
  datadir: string
  bootnodes: string[]
  /** 32 bytes, 0x-hex: the node's libp2p identity. */
  identitySeed: string
  privateKey?: string
  guardFile?: string
}

/** Printed on stdout, followed by NodeEndpoints as JSON. */
export const READY_MARKER = 'READY '

export interface NodeEndpoints {
  rpc: string
  ws: string
  /** The libp2p multiaddr, with /p2p/<peer id>, that other nodes take as a bootnode. */
  p2p: string
}
