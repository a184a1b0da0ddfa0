import { pino, type Logger } from 'pino'

export type { Logger }

export interface LoggerOptions {
  level?: string
  /** Where log lines go; defaults to stderr so stdout stays for the banner. */
  destination?: number
}

/** The root logger; modules take `logger.child({ module })` so every line says who wrote it. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    { level: opts.level ?? process.env.OLNODE_LOG_LEVEL ?? 'info', base: undefined },
    pino.destination({ fd: opts.destination ?? 2, sync: false }),
  )
}

/** A logger that drops everything: for tests that are about something else. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
