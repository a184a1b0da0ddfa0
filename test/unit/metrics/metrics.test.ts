/** The Prometheus endpoint over real HTTP: gauges read at scrape time, counters and histogram as fed. */
import { afterEach, describe, expect, it } from 'vitest'
import { NodeMetrics } from '../../../node/metrics/metrics.ts'
import { startMetricsServer } from '../../../node/metrics/server.ts'

const servers: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function serve(metrics: NodeMetrics): Promise<string> {
  const server = await startMetricsServer(metrics, '127.0.0.1', 0)
  servers.push(server)
  return server.url
}

describe('/metrics', () => {
  it('reports the head, peers, consensus height and round as they are when scraped', async () => {
    let head = 5n
    let round = 0
    const url = await serve(new NodeMetrics({ headNumber: () => head, peers: () => 3, consensus: () => ({ height: head + 1n, round }) }))
    const first = await (await fetch(url)).text()
    expect(first).toMatch(/^olnode_chain_head 5$/m)
    expect(first).toMatch(/^olnode_p2p_peers 3$/m)
    expect(first).toMatch(/^olnode_consensus_height 6$/m)
    head = 9n
    round = 2
    const second = await (await fetch(url)).text()
    expect(second).toMatch(/^olnode_chain_head 9$/m)
    expect(second).toMatch(/^olnode_consensus_round 2$/m)
  })

  it('counts gossip verdicts by topic and observes time to finality', async () => {
    const metrics = new NodeMetrics({ headNumber: () => 0n })
    metrics.countGossip('consensus', 'reject')
    metrics.countGossip('consensus', 'reject')
    metrics.countGossip('blocks', 'accept')
    metrics.finalitySeconds.observe(1.2)
    const res = await fetch(await serve(metrics))
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await res.text()
    expect(text).toMatch(/^olnode_gossip_messages_total\{topic="consensus",verdict="reject"\} 2$/m)
    expect(text).toMatch(/^olnode_gossip_messages_total\{topic="blocks",verdict="accept"\} 1$/m)
    expect(text).toMatch(/^olnode_consensus_finality_seconds_bucket\{le="1.5"\} 1$/m)
    expect(text).toMatch(/^olnode_consensus_finality_seconds_bucket\{le="1"\} 0$/m)
    expect(text).not.toMatch(/olnode_p2p_peers/)
  })

  it('answers 404 anywhere else', async () => {
    const url = await serve(new NodeMetrics({ headNumber: () => 0n }))
    const res = await fetch(url.replace('/metrics', '/'))
    expect(res.status).toBe(404)
    expect(await res.text()).toMatch(/GET \/metrics/)
  })
})
