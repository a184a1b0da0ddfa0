/** A command line the CLI cannot act on; printed with the usage, exit code 2. */
export class CliUsageError extends Error {
  readonly code = 'CLI_USAGE'
}
