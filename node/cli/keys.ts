import { parseArgs } from 'node:util'
import { loadValidatorKey, newValidatorKey, readPassword, writeKeystore } from '../keys/keystore.ts'
import { CliUsageError } from './errors.ts'

export const KEYS_USAGE = `Usage: olnode keys <new|inspect> [options]

  olnode keys new --out FILE --password-file F
      Makes a fresh validator key, writes it as an encrypted keystore (Web3 Secret Storage v3,
      scrypt) to FILE, which must not exist yet, and prints its address.
  olnode keys inspect FILE --password-file F
      Decrypts the keystore FILE and prints its address.

Options:
  --out FILE             where keys new writes the keystore
  --password-file F      file whose first line is the password
  -h, --help             this text`

/** Test hook: a cheaper scrypt for keys new (the CLI always uses the default). */
export interface KeysOptions {
  scryptN?: number
}

export async function runKeys(argv: string[], opts: KeysOptions = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { out: { type: 'string' }, 'password-file': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  })
  const [subcommand, ...files] = positionals
  if (values.help) {
    console.log(KEYS_USAGE)
    return 0
  }
  if (subcommand === undefined) throw new CliUsageError(`keys needs a command: new or inspect\n\n${KEYS_USAGE}`)
  const passwordFile = values['password-file']
  if (!passwordFile) throw new CliUsageError(`keys ${subcommand} needs --password-file F\n\n${KEYS_USAGE}`)
  if (subcommand === 'new') {
    if (files.length > 0) throw new CliUsageError(`keys new takes no file argument (give it with --out FILE)\n\n${KEYS_USAGE}`)
    if (!values.out) throw new CliUsageError(`keys new needs --out FILE\n\n${KEYS_USAGE}`)
    const key = newValidatorKey()
    await writeKeystore(values.out, key, await readPassword(passwordFile), opts.scryptN)
    console.log(key.address)
    return 0
  }
  if (subcommand === 'inspect') {
    if (files.length !== 1 || values.out) throw new CliUsageError(`keys inspect takes one keystore FILE\n\n${KEYS_USAGE}`)
    const key = await loadValidatorKey({ keystore: files[0], passwordFile })
    console.log(key.address)
    return 0
  }
  throw new CliUsageError(`unknown keys command ${JSON.stringify(subcommand)}\n\n${KEYS_USAGE}`)
}

