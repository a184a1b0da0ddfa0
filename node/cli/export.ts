import { parseArgs } from 'node:util'
import { RLP } from '@ethereumjs/rlp'
import { writeChainFile } from '../chain/chainFile.ts'
import { NoChainError } from '../chain/errors.ts'
import { StoredBlocks } from '../chain/storedBlocks.ts'
import { openKV } from '../db/kv.ts'
import { holdsDatabase, resolveDatadir } from './datadir.ts'
import { CliUsageError } from './errors.ts'
import { Progress } from './progress.ts'

export const EXPORT_USAGE = `Usage: olnode export FILE [FIRST [LAST]] [--datadir DIR]

Writes the canonical blocks of a datadir to FILE as RLP blocks back to back, gzip-compressed when
FILE ends in .gz: geth's chain file format (geth export / geth import). Without FIRST and LAST it
writes blocks 0 to the head into a new FILE; with them, it appends blocks FIRST to LAST (default:
the head) to FILE, as geth export does with a range. The datadir must not be open in another process.

Options:
  --datadir DIR        chain database directory (default ./.olnode/devnet)
  -h, --help           this text`

export async function runExport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { datadir: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  })
  if (values.help) {
    console.log(EXPORT_USAGE)
    return 0
  }
  const [file, firstArg, lastArg, ...extra] = positionals
  if (!file || extra.length > 0) throw new CliUsageError(`export takes FILE [FIRST [LAST]]\n\n${EXPORT_USAGE}`)
  const datadir = resolveDatadir(values.datadir)
  if (!holdsDatabase(datadir)) throw new NoChainError(datadir)
  const kv = await openKV({ path: datadir })
  try {
    const stored = new StoredBlocks(kv)
    const head = await stored.headNumber()
    if (head === undefined) throw new NoChainError(datadir)
    const first = firstArg === undefined ? 0n : blockNumberArg('FIRST', firstArg)
    const last = lastArg === undefined ? head : blockNumberArg('LAST', lastArg)
    if (last > head) throw new CliUsageError(`export: block ${last} is beyond the head block ${head}`)
    if (first > last) throw new CliUsageError(`export: FIRST (${first}) is greater than LAST (${last})`)
    await exportRange(stored, file, first, last, firstArg !== undefined)
    return 0
  } finally {
    await kv.close()
  }
}

async function exportRange(stored: StoredBlocks, file: string, first: bigint, last: bigint, append: boolean): Promise<void> {
  let blocks = 0
  let txs = 0
  const progress: Progress = new Progress((): string => `Exported ${blocks} blocks (${txs} txs), #${first}..#${first + BigInt(blocks) - 1n} to ${file}, ${progress.rates(blocks, txs)}`)
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const block of stored.encodedRange(first, last)) {
      yield block
      blocks++
      txs += (RLP.decode(block) as Uint8Array[][])[1].length
      progress.tick()
    }
  }
  await writeChainFile(file, counted(), { append })
  progress.done()
}

function blockNumberArg(name: string, value: string): bigint {
  if (!/^\d+$/.test(value)) throw new CliUsageError(`export: ${name} must be a block number, got ${JSON.stringify(value)}`)
  return BigInt(value)
}
