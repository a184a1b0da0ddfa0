/**
 * Starts and stops the node processes under test (bench/nodeCommand.ts says how each is launched): olnode
 * on a fresh temporary LevelDB datadir (what users run, not --in-memory), anvil and Hardhat's node in
 * memory. Every process started here is killed when the benchmark exits, however it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { constants, tmpdir } from 'node:os'
import path from 'node:path'
import { freePort } from '../test/support/devnetProcess.ts'
import { NODE_START_TIMEOUT_MS } from './config.ts'
import { launchSpec, type StartOptions } from './nodeCommand.ts'
import type { NodeKind } from './nodeKind.ts'

const OUTPUT_TAIL_CHARS = 2_000
const STOP_GRACE_MS = 10_000

export interface BenchNode {
  kind: NodeKind
  url: string
  /** The spawned process, which for olnode is the node itself (bin/olnode.js imports the bundle). */
  pid: number
  /** olnode's directory (datadir and genesis), to restart on. */
  home?: string
  /** performance.now() when the process was spawned. */
  spawnedAt: number
  /** The last few KB the process printed, for error reports. */
  outputTail(): string
  /** SIGTERM, then SIGKILL to the group after a grace period; removes `home` unless `keepHome`. Later calls do nothing. */
  stop(keepHome?: boolean): Promise<void>
}

export interface LaunchOptions extends StartOptions {
  /** olnode: start on this existing home instead of a fresh one (it is then owned by the new node). */
  home?: string
}

interface Live {
  proc: ChildProcess
  home?: string
}

const live = new Set<Live>()

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

function release(entry: Live, keepHome = false): void {
  signalGroup(entry.proc, 'SIGKILL')
  if (entry.home && !keepHome) rmSync(entry.home, { recursive: true, force: true })
  live.delete(entry)
}

/** Installs the exit and signal hooks that kill whatever is still running. Call once, first. */
export function killNodesOnExit(): void {
  process.on('exit', () => [...live].forEach((entry) => release(entry)))
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

/** Spawns the node; `ready` settles when it prints its ready line (or fails to). */
export async function launchNode(kind: NodeKind, opts: LaunchOptions = {}): Promise<{ node: BenchNode; ready: Promise<void> }> {
  const port = await freePort()
  const home = kind === 'olnode' ? (opts.home ?? mkdtempSync(path.join(tmpdir(), 'olnode-bench-'))) : undefined
  const launch = launchSpec(kind, port, opts, home)
  const spawnedAt = performance.now()
  // detached: its own process group, which signalGroup can kill as a unit.
  const proc = spawn(launch.cmd, launch.args, { cwd: launch.cwd, env: launch.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const entry: Live = { proc, home }
  live.add(entry)
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  let tail = ''
  // Always drain the pipes: a full pipe would stall the node and skew its figures.
  const keep = (c: Buffer) => (tail = (tail + c.toString('utf8')).slice(-OUTPUT_TAIL_CHARS))
  proc.stdout!.on('data', keep)
  proc.stderr!.on('data', keep)
  const ready = awaitStdout(proc, kind, (seen) => (seen.includes(launch.readyLine) ? true : undefined), () => tail).then(() => undefined)
  // A caller that does not wait for the line (it polls RPC instead) must not leave the rejection unhandled.
  ready.catch(() => undefined)
  let stopping: Promise<void> | undefined
  const stop = async (keepHome: boolean) => {
    signalGroup(proc, 'SIGTERM')
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())
    await Promise.race([exited, grace])
    release(entry, keepHome)
    await exited
  }
  const node: BenchNode = {
    kind,
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid!,
    home,
    spawnedAt,
    outputTail: () => tail,
    stop: (keepHome = false) => (stopping ??= stop(keepHome)),
  }
  return { node, ready }
}

export async function startNode(kind: NodeKind, opts: LaunchOptions = {}): Promise<BenchNode> {
  const { node, ready } = await launchNode(kind, opts)
  try {
    await ready
  } catch (err) {
    await node.stop()
    throw err
  }
  return node
}
