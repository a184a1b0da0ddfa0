import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export type DevnetKind = 'olnode' | 'anvil'

export interface DevnetProcessOptions {
  kind?: DevnetKind
  /** olnode only: the datadir (omit for --in-memory). */
  datadir?: string
  port?: number
  extraArgs?: string[]
  /** How long to wait for "Listening on"; ms. */
  startTimeoutMs?: number
}

export interface DevnetProcess extends StartedProcess {
  url: string
  wsUrl: string
  port: number
}

/** Process groups of devnets still running; killed if the test process exits without stopping them. */
const liveGroups = new Set<(signal: NodeJS.Signals) => void>()
process.once('exit', () => {
  for (const signalGroup of liveGroups) signalGroup('SIGKILL')
})

/** A free TCP port on 127.0.0.1, found by binding port 0. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

function commandFor(kind: DevnetKind, port: number, opts: DevnetProcessOptions): [string, string[]] {
  if (kind === 'anvil') {
    return [path.join(root, 'node_modules/.bin/anvil'), ['--port', String(port), '--host', '127.0.0.1', ...(opts.extraArgs ?? [])]]
  }
  const store = opts.datadir ? ['--datadir', opts.datadir] : ['--in-memory']
  return [
    process.execPath,
    [path.join(root, 'dist/olnode.mjs'), 'devnet', '--port', String(port), '--host', '127.0.0.1', ...store, ...(opts.extraArgs ?? [])],
  ]
}

/** Starts a real devnet process (ours or anvil) and resolves once it prints "Listening on". */
export async function spawnDevnetProcess(opts: DevnetProcessOptions = {}): Promise<DevnetProcess> {
  const kind = opts.kind ?? 'olnode'
  const port = opts.port ?? (await freePort())
  const [cmd, args] = commandFor(kind, port, opts)
  const started = await spawnUntilListening(kind, cmd, args, opts.startTimeoutMs ?? 30_000)
  return { ...started, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}`, port }
}

/** A started process: its output so far, and two ways to end it. */
export interface StartedProcess {
  proc: ChildProcess
  /** Everything the process printed so far (stdout + stderr). */
  output(): string
  /** SIGTERM and wait for exit; resolves to the exit code. */
  stop(): Promise<number | null>
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>
}

/** Spawns `cmd` in a process group of its own and resolves once it prints "Listening on" (`label` names it in errors). */
export async function spawnUntilListening(label: string, cmd: string, args: string[], timeoutMs: number): Promise<StartedProcess> {
  // detached: the process leads its own process group, so kill() reaches every process of it. This
  // matters because node_modules/.bin/anvil is a Node wrapper around the real binary (SIGKILL on the
  // wrapper alone orphans a running anvil), and a launcher may do the same for olnode.
  const proc = spawn(cmd, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, OLNODE_LOG_LEVEL: process.env.OLNODE_LOG_LEVEL ?? 'warn' },
  })
  const signalGroup = (signal: NodeJS.Signals) => {
    if (proc.pid === undefined) return
  try {
      process.kill(-proc.pid, signal)
    } catch {
      // the group is gone already
    }
  }
  liveGroups.add(signalGroup)
  let out = ''
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      // Whatever the leader left behind goes with it.
      signalGroup('SIGKILL')
      liveGroups.delete(signalGroup)
      resolve(code)
    }),
  )
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()))
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${label} did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs)
      const onData = () => {
        if (!out.includes('Listening on')) return
        clearTimeout(timer)
        proc.stdout!.off('data', onData)
        proc.stderr!.off('data', onData)
        resolve()
      }
      // The line may come on either stream (a logger may write to stderr).
      proc.stdout!.on('data', onData)
      proc.stderr!.on('data', onData)
      proc.once('error', (err) => {
        clearTimeout(timer)
        reject(new Error(`${label} could not be spawned (${cmd}): ${err.message}`))
      })
      proc.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(new Error(`${label} exited with ${code ?? signal} before listening:\n${out}`))
      })
    })
  } catch (err) {
    // Do not leave a half-started process behind (e.g. on a start timeout).
    signalGroup('SIGKILL')
    throw err
  }
  return {
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      return exited
    },
    kill: async () => {
      signalGroup('SIGKILL')
      await exited
    },
  }
}
