/**
 * Runs benchmark nodes as separate `node` processes. nodeProcess.ts is bundled once with esbuild (as
 * `npm run build` bundles the CLI) so the nodes run on plain node with ethereumjs' dist, not under tsx.
 * Every process started here is killed when the benchmark exits, however it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { awaitStdout } from '../nodes.ts'
import { READY_MARKER, type NodeEndpoints, type NodeSpec } from './spec.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** In dist/ beside the CLI bundle, so the bundle's relative paths (genesis/devnet.json) and node_modules resolve. */
const BUNDLE = path.join(root, 'dist/bench-node.mjs')
const OUTPUT_TAIL_CHARS = 2_000
const STOP_GRACE_MS = 10_000

export interface NodeProcess extends NodeEndpoints {
  outputTail(): string
  stop(): Promise<void>
}

const live = new Set<ChildProcess>()
process.on('exit', () => live.forEach((p) => p.kill('SIGKILL')))

export async function bundleNodeScript(): Promise<void> {
  await build({
    entryPoints: [path.join(root, 'bench/validators/nodeProcess.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: BUNDLE,
    logLevel: 'warning',
  })
}

/** The endpoints on the READY line, once a whole one has been printed. */
function readyLine(seen: string): NodeEndpoints | undefined {
  const line = seen.split('\n').slice(0, -1).find((l) => l.startsWith(READY_MARKER))
  return line ? (JSON.parse(line.slice(READY_MARKER.length)) as NodeEndpoints) : undefined
}

/** Starts one node (bundleNodeScript first) and resolves once it serves RPC and p2p. */
export async function startNodeProcess(spec: NodeSpec): Promise<NodeProcess> {
  // BENCH_NODE_ARGS (e.g. --cpu-prof), as for the devnet nodes in nodes.ts.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const proc = spawn(process.execPath, [...nodeArgs, BUNDLE, JSON.stringify(spec)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  live.add(proc)
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  void exited.then(() => live.delete(proc))
  let tail = ''
  // Always drain the pipes: a full pipe would stall the node.
  const keep = (c: Buffer) => (tail = (tail + c.toString('utf8')).slice(-OUTPUT_TAIL_CHARS))
  proc.stdout!.on('data', keep)
  proc.stderr!.on('data', keep)
  try {
    const endpoints = await awaitStdout(proc, 'node process', readyLine, () => tail)
    return {
      ...endpoints,
      outputTail: () => tail,
      stop: async () => {
        proc.kill('SIGTERM')
        const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())
        await Promise.race([exited, grace])
        proc.kill('SIGKILL')
        await exited
      },
    }
  } catch (err) {
    proc.kill('SIGKILL')
    throw err
  }
}
