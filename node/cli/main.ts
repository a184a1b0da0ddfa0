import { GenesisError } from '../../genesis/errors.ts'
import { ChainFileError, GenesisMismatchError, MissingBlockError, MissingStateError, NoChainError } from '../chain/errors.ts'
import { BlockImportError } from '../execution/errors.ts'
import { NotAValidatorError, SignGuardFileError } from '../consensus/errors.ts'
import { KeyError } from '../keys/errors.ts'
import { NodeKeyError } from '../network/errors.ts'
import { Node } from '../node.ts'
import type { NodeOptions } from '../options.ts'
import { VERSION } from '../version.ts'
import { banner, devnetOptions, DEVNET_USAGE } from './devnet.ts'
import { CliUsageError } from './errors.ts'
import { runExport } from './export.ts'
import { runImport } from './import.ts'
import { runInit } from './init.ts'
import { runKeys } from './keys.ts'
import { logHeapLimit, MEMORY_USAGE } from './memory.ts'
import { runBanner, runOptions, RUN_USAGE } from './run.ts'

const USAGE = `olnode v${VERSION}: the OpenLedger appchain node

Usage: olnode <command> [options]

Commands:
  devnet     start a single-node development chain (olnode devnet --help)
  run        run a validator or full node of a chain with validators (olnode run --help)
  init       write the genesis block into a new datadir (olnode init --help)
  import     import blocks from a chain file, re-executing each (olnode import --help)
  export     export the chain's blocks to a chain file (olnode export --help)
  keys       make or inspect a validator's keystore (olnode keys --help)
  version    print the version

${MEMORY_USAGE}`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'devnet':
      return serve(await devnetOptions(rest), DEVNET_USAGE, banner)
    case 'run':
      return serve(await runOptions(rest), RUN_USAGE, runBanner)
    case 'init':
      return runInit(rest)
    case 'import':
      return runImport(rest)
    case 'export':
      return runExport(rest)
    case 'keys':
      return runKeys(rest)
    case 'version':
    case '--version':
      console.log(VERSION)
      return 0
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE)
      return 0
    default:
      throw new CliUsageError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`)
  }
}

/** Starts the node, prints its banner, and runs it until SIGINT or SIGTERM. */
async function serve(options: NodeOptions | 'help', usage: string, describe: (node: Node, options: NodeOptions) => string): Promise<number> {
  if (options === 'help') {
    console.log(usage)
    return 0
  }
  logHeapLimit(options.logger)
  const node = await Node.init(options)
  console.log(describe(node, options))
  await untilSignal()
  await node.close()
  return 0
}

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

/** Errors a user can act on are printed as one line; anything else with its stack. */
function report(err: unknown): number {
  if (err instanceof CliUsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    console.error(`olnode: ${(err as Error).message}`)
    return 2
  }
  if (isUserFacing(err)) {
    console.error(`olnode: ${err.message}`)
    return 1
  }
  const { code, address, port } = err as { code?: string; address?: string; port?: number }
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    console.error(`olnode: cannot listen on ${address}:${port}: ${code === 'EADDRINUSE' ? 'the port is in use (another node or anvil?)' : 'permission denied'}`)
    return 1
  }
  const cause = (err as { cause?: { code?: string } }).cause
  if (cause?.code === 'LEVEL_LOCKED') {
    console.error(`olnode: the datadir is in use by another process (${(err as Error).message})`)
    return 1
  }
  console.error(err)
  return 1
}

/** Errors whose message says all a user needs: one line, exit code 1. */
function isUserFacing(err: unknown): err is Error {
  return [GenesisError, GenesisMismatchError, MissingStateError, MissingBlockError, NoChainError, ChainFileError, BlockImportError, KeyError, NodeKeyError, NotAValidatorError, SignGuardFileError].some((type) => err instanceof type)
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => process.exit(report(err)),
)
