/** The nodes the benchmark compares: ours and its two peers. */
export const NODE_KINDS = ['olnode', 'anvil', 'hardhat'] as const

export type NodeKind = (typeof NODE_KINDS)[number]

/** The peers, in the order their columns appear. */
export const PEERS: NodeKind[] = ['anvil', 'hardhat']

export const isNodeKind = (s: string): s is NodeKind => (NODE_KINDS as readonly string[]).includes(s)
