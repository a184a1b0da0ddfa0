/**
 * Starts and stops the node processes under test: olnode on a fresh temporary LevelDB datadir (what
 * users run, not --in-memory) or anvil, both on 127.0.0.1 with chain ID 1337. Every process started here
 * is killed when the benchmark exits, however it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { constants, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, type DevnetKind } from '../test/support/devnetProcess.ts'
import { ANVIL_MAX_BLOCK_TXS, CHAIN_ID, NODE_START_TIMEOUT_MS } from './config.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const OUTPUT_TAIL_CHARS = 2_000
const STOP_GRACE_MS = 10_000

export interface BenchNode {
  kind: DevnetKind
  url: string
  /** The last few KB the process printed, for error reports. */
  outputTail(): string
  stop(): Promise<void>
}

interface Live {
  proc: ChildProcess
  datadir?: string
}

const live = new Set<Live>()

function command(kind: DevnetKind, port: number, datadir: string | undefined): [string, string[]] {
  const net = ['--port', String(port), '--host', '127.0.0.1']
  if (kind === 'anvil') {
    return [path.join(root, 'node_modules/.bin/anvil'), [...net, '--chain-id', String(CHAIN_ID), '--max-transactions', String(ANVIL_MAX_BLOCK_TXS)]]
  }
  return [process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), path.join(root, 'bin/olnode.js'), 'devnet', ...net, '--datadir', datadir!]]
}

/**
 * Signals the child's whole process group, so a launcher's own children go too (node_modules/.bin/anvil
 * is a node script that runs the real binary). Not skipped when the launcher has exited: its child may not have.
 */
function signalGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (proc.pid === undefined) return
  try {
    process.kill(-proc.pid, signal)
  } catch {
    // The whole group is already gone.
  }
}

function release(entry: Live): void {
  signalGroup(entry.proc, 'SIGKILL')
  if (entry.datadir) rmSync(entry.datadir, { recursive: true, force: true })
  live.delete(entry)
}

/** Installs the exit and signal hooks that kill whatever is still running. Call once, first. */
export function killNodesOnExit(): void {
  process.on('exit', () => [...live].forEach(release))
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => process.exit(128 + constants.signals[sig]))
}

/**
 * Resolves with `parse`'s first answer to what the process has printed on stdout so far; rejects if it
 * exits or NODE_START_TIMEOUT_MS passes first. `label` and `output` (its recent output) go in the error.
 */
export function awaitStdout<T>(proc: ChildProcess, label: string, parse: (seen: string) => T | undefined, output: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      cleanup()
      reject(new Error(`${label} ${why}:\n${output()}`))
    }
    // Everything until the answer (a few KB): a marker may be split across chunks.
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8')
      const found = parse(seen)
      if (found === undefined) return
      cleanup()
      resolve(found)
    }
    const onExit = (code: number | null) => fail(`exited with ${code} before it was ready`)
    const timer = setTimeout(() => fail(`was not ready within ${NODE_START_TIMEOUT_MS} ms`), NODE_START_TIMEOUT_MS)
    const cleanup = () => {
      clearTimeout(timer)
      proc.stdout!.off('data', onData)
      proc.off('exit', onExit)
    }
    proc.stdout!.on('data', onData)
    proc.once('exit', onExit)
  })
}

export async function startNode(kind: DevnetKind): Promise<BenchNode> {
  const port = await freePort()
  const datadir = kind === 'olnode' ? mkdtempSync(path.join(tmpdir(), 'olnode-bench-')) : undefined
  const [cmd, args] = command(kind, port, datadir)
  // detached: its own process group, which signalGroup can kill as a unit.
  const proc = spawn(cmd, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const entry: Live = { proc, datadir }
  live.add(entry)
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  let tail = ''
  // Always drain the pipes: a full pipe would stall the node and skew its figures.
  const keep = (c: Buffer) => (tail = (tail + c.toString('utf8')).slice(-OUTPUT_TAIL_CHARS))
  proc.stdout!.on('data', keep)
  proc.stderr!.on('data', keep)
  try {
    await awaitStdout(proc, kind, (seen) => (seen.includes('Listening on') ? true : undefined), () => tail)
  } catch (err) {
    release(entry)
    throw err
  }
  return {
    kind,
    url: `http://127.0.0.1:${port}`,
    outputTail: () => tail,
    stop: async () => {
      signalGroup(proc, 'SIGTERM')
      const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())
      await Promise.race([exited, grace])
      release(entry)
      await exited
    },
  }
}
