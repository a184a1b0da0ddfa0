/**
 * How each node under test is launched: command line, working directory, environment and the line it
 * prints once it serves RPC. All three listen on 127.0.0.1 with chain ID 1337 and automine by default.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ANVIL_MAX_BLOCK_TXS, CHAIN_ID } from './config.ts'
import type { NodeKind } from './nodeKind.ts'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** What a workload may ask of the node it runs on; the defaults are each node's own. */
export interface StartOptions {
  /** Interval mining: a block every this many seconds instead of automine. */
  blockTimeS?: number
  /** Block gas limit (each node's default is 30M). */
  gasLimit?: number
}

export interface Launch {
  cmd: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  /** Printed on stdout once the node serves RPC. */
  readyLine: string
}

/** olnode keeps its chain in `home`. */
export const datadirIn = (home: string) => path.join(home, 'chain')

function olnode(port: number, opts: StartOptions, home: string): Launch {
  const extra = [
    ...(opts.blockTimeS ? ['--block-time', String(opts.blockTimeS)] : []),
    ...(opts.gasLimit ? ['--gas-limit', String(opts.gasLimit)] : []),
  ]
  const args = ['devnet', '--port', String(port), '--host', '127.0.0.1', '--datadir', datadirIn(home), ...extra]
  // Run as users do, the bin itself: its shebang sets the heap cap and execs node (the same pid).
  // BENCH_NODE_ARGS come after the bin's flags in NODE_OPTIONS, so they win.
  const nodeOptions = [process.env.NODE_OPTIONS, process.env.BENCH_NODE_ARGS].filter(Boolean).join(' ')
  return { cmd: path.join(root, 'bin/olnode.js'), args, cwd: root, env: { ...process.env, NODE_OPTIONS: nodeOptions }, readyLine: 'Listening on' }
}

function anvil(port: number, opts: StartOptions): Launch {
  const args = ['--port', String(port), '--host', '127.0.0.1', '--chain-id', String(CHAIN_ID), '--max-transactions', String(ANVIL_MAX_BLOCK_TXS)]
  if (opts.blockTimeS) args.push('--block-time', String(opts.blockTimeS))
  if (opts.gasLimit) args.push('--gas-limit', String(opts.gasLimit))
  return { cmd: path.join(root, 'node_modules/.bin/anvil'), args, cwd: root, env: process.env, readyLine: 'Listening on' }
}

/** bench/hardhat/hardhat.config.cjs reads the mining interval and gas limit from the environment. */
function hardhat(port: number, opts: StartOptions): Launch {
  const env = {
    ...process.env,
    // Never stop at a prompt.
    HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true',
    CI: 'true',
    BENCH_HARDHAT_INTERVAL_MS: opts.blockTimeS ? String(opts.blockTimeS * 1_000) : '',
    BENCH_HARDHAT_GAS_LIMIT: opts.gasLimit ? String(opts.gasLimit) : '',
  }
  return {
    cmd: path.join(root, 'node_modules/.bin/hardhat'),
    args: ['node', '--hostname', '127.0.0.1', '--port', String(port)],
    // Hardhat finds its config in the working directory (and itself in node_modules above it).
    cwd: path.join(root, 'bench/hardhat'),
    env,
    readyLine: 'Started HTTP and WebSocket JSON-RPC server at',
  }
}

/** `home` is olnode's directory (its datadir); the peers keep their chain in memory. */
export function launchSpec(kind: NodeKind, port: number, opts: StartOptions, home: string | undefined): Launch {
  if (kind === 'olnode') return olnode(port, opts, home!)
  return kind === 'anvil' ? anvil(port, opts) : hardhat(port, opts)
}
