import { parseArgs } from 'node:util'
import { bytesToHex } from '@ethereumjs/util'
import { loadGenesisFile } from '../../genesis/genesis.ts'
import { openKV } from '../db/kv.ts'
import { openGenesisChain, resolveDatadir } from './datadir.ts'
import { CliUsageError } from './errors.ts'

export const INIT_USAGE = `Usage: olnode init --genesis FILE [--datadir DIR]

Writes block 0 of a genesis into a new datadir and prints its hash (geth init). On a datadir that
already holds this genesis it says so and changes nothing; on one with another genesis it refuses.

Options:
  --genesis FILE       geth-format genesis.json (may also be given as the only argument)
  --datadir DIR        chain database directory (default ./.olnode/devnet)
  -h, --help           this text`

export async function runInit(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { genesis: { type: 'string' }, datadir: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  })
  if (values.help) {
    console.log(INIT_USAGE)
    return 0
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.genesis)) throw new CliUsageError(`init takes one genesis file\n\n${INIT_USAGE}`)
  const genesisFile = values.genesis ?? positionals[0]
  if (!genesisFile) throw new CliUsageError(`init needs --genesis FILE\n\n${INIT_USAGE}`)
  const genesis = await loadGenesisFile(genesisFile)
  const datadir = resolveDatadir(values.datadir)
  const kv = await openKV({ path: datadir, sync: true })
  try {
    const { chain, created } = await openGenesisChain(kv, genesis)
    const block0 = (await chain.blockByNumber(0n))!
    const what = `block 0 ${bytesToHex(block0.hash())} (chain ID ${genesis.chainId})`
    if (created) console.log(`Wrote genesis ${what} to ${datadir}`)
    else console.log(`${datadir} is already initialised with this genesis: ${what}, head block ${chain.headBlock.header.number}`)
    return 0
  } finally {
    await kv.close()
  }
}
