import { parseArgs } from 'node:util'
import type { Common } from '@ethereumjs/common'
import { bytesToHex } from '@ethereumjs/util'
import { DEVNET_GENESIS_PATH, loadGenesisFile } from '../../genesis/genesis.ts'
import { readChainFile } from '../chain/chainFile.ts'
import type { ChainStore } from '../chain/chainStore.ts'
import { openKV } from '../db/kv.ts'
import { Execution } from '../execution/execution.ts'
import { BlockImporter, decodeBlock } from '../execution/importBlock.ts'
import { openGenesisChain, resolveDatadir } from './datadir.ts'
import { CliUsageError } from './errors.ts'
import { Progress } from './progress.ts'

export const IMPORT_USAGE = `Usage: olnode import FILE [--datadir DIR] [--genesis FILE]

Imports a chain file (RLP blocks back to back, gzip when FILE ends in .gz; what olnode export and
geth export write) into a datadir, creating it from the genesis if it is empty. Blocks already on the
chain are skipped; every other block is checked against its parent, re-executed and checked against
its header before it is committed. The first block that fails stops the import with an error naming
it; the blocks before it stay imported.

Options:
  --datadir DIR        chain database directory (default ./.olnode/devnet)
  --genesis FILE       the genesis the datadir was (or is to be) created with (default genesis/devnet.json)
  -h, --help           this text`

export async function runImport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { datadir: { type: 'string' }, genesis: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  })
  if (values.help) {
    console.log(IMPORT_USAGE)
    return 0
  }
  if (positionals.length !== 1) throw new CliUsageError(`import takes one FILE\n\n${IMPORT_USAGE}`)
  const genesis = await loadGenesisFile(values.genesis ?? DEVNET_GENESIS_PATH)
  const kv = await openKV({ path: resolveDatadir(values.datadir) })
  try {
    const { common, store, chain } = await openGenesisChain(kv, genesis)
    const execution = await Execution.create(common, store, chain, { rpcGasCap: 0n, evmTimeoutMs: 0 })
    await importFile(positionals[0], new BlockImporter(chain, execution), chain, common)
    return 0
  } finally {
    await kv.close()
  }
}

/** Imports the file's blocks in order; the progress line is printed at the end whether it succeeds or not. */
async function importFile(file: string, importer: BlockImporter, chain: ChainStore, common: Common): Promise<void> {
  let imported = 0
  let known = 0
  let txs = 0
  const progress: Progress = new Progress((): string => {
    const head = chain.headBlock
    return `Imported ${imported} blocks (${txs} txs, ${known} already present), head #${head.header.number} ${bytesToHex(head.hash())}, ${progress.rates(imported, txs)}`
  })
  try {
    for await (const item of readChainFile(file)) {
      const block = decodeBlock(item.bytes, common, `item ${item.index} of ${file}, at byte ${item.offset}`)
      const outcome = await importer.importBlock(block)
      known += outcome === 'known' ? 1 : 0
      imported += outcome === 'imported' ? 1 : 0
      txs += outcome === 'imported' ? block.transactions.length : 0
      progress.tick()
    }
  } finally {
    progress.done()
  }
}
