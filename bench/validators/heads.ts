/**
 * Watches every node's newHeads over WebSocket and notes when each block reached each node, on this
 * process's clock: the common clock that makes arrival times on different nodes comparable.
 */
import WebSocket from 'ws'

export interface Arrival {
  node: number
  number: number
  hash: string
  /** The proposer: the coinbase of a decided block. */
  miner: string
  /** performance.now() when the notification arrived. */
  at: number
}

interface NewHeadMessage {
  method?: string
  params?: { result: { number: string; hash: string; miner: string } }
}

function subscribe(url: string, onHead: (head: NonNullable<NewHeadMessage['params']>['result']) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('error', reject)
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as NewHeadMessage
      if (msg.method === 'eth_subscription' && msg.params) onHead(msg.params.result)
      else if ('result' in msg) resolve(ws) // the subscription id: from here on, heads are reported
    })
    ws.once('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] })))
  })
}

export class HeadWatcher {
  readonly arrivals: Arrival[] = []

  private constructor(private readonly sockets: WebSocket[]) {}

  static async open(wsUrls: string[]): Promise<HeadWatcher> {
    const sockets: WebSocket[] = []
    const watcher = new HeadWatcher(sockets)
    for (const [node, url] of wsUrls.entries()) {
      sockets.push(await subscribe(url, (h) => watcher.arrivals.push({ node, number: Number(h.number), hash: h.hash, miner: h.miner.toLowerCase(), at: performance.now() })))
    }
    return watcher
  }

  /** When `hash` reached `node`, if it has. */
  arrivalAt(node: number, hash: string): number | undefined {
    return this.arrivals.find((a) => a.node === node && a.hash === hash)?.at
  }

  /** The blocks first seen (on any node) within [from, to), with when. */
  firstSeenBetween(from: number, to: number): Arrival[] {
    const first = new Map<string, Arrival>()
    for (const a of this.arrivals) if (!first.has(a.hash) || first.get(a.hash)!.at > a.at) first.set(a.hash, a)
    return [...first.values()].filter((a) => a.at >= from && a.at < to)
  }

  close(): void {
    this.sockets.forEach((s) => s.terminate())
  }
}
