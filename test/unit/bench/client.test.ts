import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createRpcClient } from '../../../bench/client.ts'

interface Call {
  id: number
  method: string
}

/** A JSON-RPC server on 127.0.0.1 that resets the socket of the requests numbered in `resets` (from 1). */
async function flakyServer(resets: number[]): Promise<{ url: string; received: string[]; close: () => Promise<void> }> {
  const received: string[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      const parsed = JSON.parse(body) as Call | Call[]
      const calls = Array.isArray(parsed) ? parsed : [parsed]
      received.push(calls[0].method)
      // As a node closing an idle kept-alive socket just as the client reuses it.
      if (resets.includes(received.length)) return void req.socket.destroy()
      const answers = calls.map(({ id }) => ({ jsonrpc: '2.0', id, result: '0x1' }))
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Array.isArray(parsed) ? answers : answers[0]))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

describe('bench RPC client on a kept-alive socket the node closed', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  it('sends a read again once, on a new socket', async () => {
    const server = await flakyServer([2])
    const client = createRpcClient(server.url, 1)
    cleanups.push(() => client.close(), server.close)
    expect(await client.call('eth_blockNumber')).toBe('0x1')
    expect(await client.call('eth_getTransactionReceipt', ['0xab'])).toBe('0x1')
    expect(server.received).toEqual(['eth_blockNumber', 'eth_getTransactionReceipt', 'eth_getTransactionReceipt'])
  })

  it('never sends a write twice: the error reaches the caller', async () => {
    const server = await flakyServer([2])
    const client = createRpcClient(server.url, 1)
    cleanups.push(() => client.close(), server.close)
    await client.call('eth_blockNumber')
    await expect(client.call('eth_sendRawTransaction', ['0x00'])).rejects.toThrow(/socket hang up/)
    expect(server.received).toEqual(['eth_blockNumber', 'eth_sendRawTransaction'])
  })

  it('tries a read once per pooled socket, all of which may have been closed', async () => {
    const server = await flakyServer([4, 5])
    const client = createRpcClient(server.url, 2)
    cleanups.push(() => client.close(), server.close)
    // Two sockets in the pool: two calls in flight at once open both.
    await Promise.all([client.call('eth_blockNumber'), client.call('eth_blockNumber'), client.call('eth_chainId')])
    expect(await client.call('eth_getTransactionReceipt', ['0xab'])).toBe('0x1')
    expect(server.received.slice(3)).toEqual(['eth_getTransactionReceipt', 'eth_getTransactionReceipt', 'eth_getTransactionReceipt'])
  })

  it('gives up on a read that fails on a new socket too', async () => {
    const server = await flakyServer([2, 3])
    const client = createRpcClient(server.url, 1)
    cleanups.push(() => client.close(), server.close)
    await client.call('eth_blockNumber')
    await expect(client.batch([{ method: 'eth_getBlockByNumber', params: ['0x1', false] }])).rejects.toThrow()
    expect(server.received).toEqual(['eth_blockNumber', 'eth_getBlockByNumber', 'eth_getBlockByNumber'])
  })
})
