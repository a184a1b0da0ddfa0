/**
 * The olnode under the precompile benchmark: the node itself (node/node.ts, as the integration tests
 * run it) in this process, on a LevelDB datadir, serving JSON-RPC on 127.0.0.1. In-process so the
 * benchmark can close it, compact its database, copy it, and open it again.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ClassicLevel } from 'classic-level'
import { Node } from '../../node/node.ts'
import { testNodeOptions } from '../../node/options.ts'
import { createRpcClient, type RpcClient } from '../client.ts'
import { LOAD_CONCURRENCY } from '../config.ts'

/** One evm_mine seals a full block of Datanet submissions: seconds each on a loaded machine. */
const REQUEST_TIMEOUT_MS = 300_000

export interface PrecompileBenchNode {
  client(): RpcClient
  /** Closes the node, compacts its LevelDB, copies it to `copyTo` if given, and opens it again: its bytes on disk. */
  compactedSize(copyTo?: string): Promise<number>
  /** Closes the node and deletes its datadir. */
  remove(): Promise<void>
}

function directoryBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0)
}

async function compact(dir: string): Promise<void> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' })
  await db.open()
  // Every key starts with a bucket byte below 0xff (node/db/buckets.ts).
  await db.compactRange(Uint8Array.of(0x00), Uint8Array.of(0xff))
  await db.close()
}

/** A fresh temporary directory, removed however the benchmark exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  process.once('exit', () => {
    try {
      rmSync(dir, { recursive: true, force: true })
    } catch {
      // A node cut off by the time limit may still be writing into it: nothing more to do at exit.
    }
  })
  return dir
}

/** Starts a node on a fresh datadir: empty (the devnet genesis) or a copy of `snapshot`. */
export async function startPrecompileBenchNode(snapshot?: string): Promise<PrecompileBenchNode> {
  const datadir = tempDir('olnode-bench-precompiles-')
  if (snapshot) cpSync(snapshot, datadir, { recursive: true })
  const open = async () => {
    const node = await Node.init(testNodeOptions({ datadir }))
    return { node, client: createRpcClient(node.rpc!.url, LOAD_CONCURRENCY, REQUEST_TIMEOUT_MS) }
  }
  let live: Awaited<ReturnType<typeof open>> | undefined = await open()
  const close = async () => {
    live?.client.close()
    await live?.node.close()
    live = undefined
  }
  return {
    client: () => live!.client,
    async compactedSize(copyTo) {
      await close()
      await compact(datadir)
      if (copyTo) cpSync(datadir, copyTo, { recursive: true })
      const bytes = directoryBytes(datadir)
      live = await open()
      return bytes
    },
    async remove() {
      await close()
      rmSync(datadir, { recursive: true, force: true })
    },
  }
}
