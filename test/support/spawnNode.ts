import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Node } from '../../node/node.ts'
import { testNodeOptions, type NodeOptions } from '../../node/options.ts'

export interface TestNode {
  node: Node
  url: string
  wsUrl: string
  /** Sends one JSON-RPC request over HTTP; resolves to the whole response object. */
  rpc(method: string, params?: unknown[]): Promise<{ result?: any; error?: { code: number; message: string; data?: unknown } }>
  /** Like `rpc` but returns the result, throwing on an error answer. */
  call<T = any>(method: string, params?: unknown[]): Promise<T>
  close(): Promise<void>
}

/** The in-process node every integration test uses (anvil's `spawn()`): Config.test() plus overrides. */
export async function spawnNode(overrides: Partial<NodeOptions> = {}): Promise<TestNode> {
  const node = await Node.init(testNodeOptions(overrides))
  const url = node.rpc!.url
  let id = 0
  const rpc: TestNode['rpc'] = async (method, params = []) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) })
    return (await res.json()) as Awaited<ReturnType<TestNode['rpc']>>
  }
  return {
    node,
    url,
    wsUrl: node.rpc!.wsUrl,
    rpc,
    async call(method, params) {
      const res = await rpc(method, params)
      if (res.error) throw Object.assign(new Error(res.error.message), res.error)
      return res.result
    },
    close: () => node.close(),
  }
}

/** A fresh temporary directory, and its removal. */
export async function tempDir(prefix = 'olnode-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}
