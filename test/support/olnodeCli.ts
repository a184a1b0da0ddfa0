import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `olnode <args>` from the bundle to its end; never throws (the caller checks `code`). */
export function olnode(args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'dist/olnode.mjs'), ...args], { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, OLNODE_LOG_LEVEL: 'warn' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() })
    })
  })
}
