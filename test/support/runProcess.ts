import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnUntilListening, type StartedProcess } from './devnetProcess.ts'

const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/olnode.mjs')

/** A running `olnode run` process and what its banner says. */
export interface RunProcess extends StartedProcess {
  rpcUrl: string
  peerId: string
  /** The banner's "Role:" line: `validator 0x...` or `full node (not validating)`. */
  role: string
}

/** Starts `olnode <args>` (args begin with `run`) from the bundle and resolves once it listens. */
export async function spawnRunProcess(name: string, args: string[], startTimeoutMs = 60_000): Promise<RunProcess> {
  const started = await spawnUntilListening(name, process.execPath, [BUNDLE, ...args], startTimeoutMs)
  const field = (label: string) => {
    const value = new RegExp(`^${label}:\\s+(.+)$`, 'm').exec(started.output())?.[1]
    if (value === undefined) throw new Error(`${name}'s banner has no "${label}:" line:\n${started.output()}`)
    return value.trim()
  }
  return { ...started, rpcUrl: field('RPC URL'), peerId: field('Peer ID'), role: field('Role') }
}
