import { createRequire } from 'node:module'

const pkg = createRequire(import.meta.url)('../package.json') as { version: string }

export const VERSION = pkg.version

/**
 * web3_clientVersion. Hardhat's network helpers pick their dialect by the prefix of this string
 * ("anvil" or "hardhatnetwork"), so it starts with the anvil family whose dev methods we follow.
 */
export const CLIENT_VERSION = `anvil/olnode-v${pkg.version}/node${process.versions.node}`
