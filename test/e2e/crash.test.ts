/**
 * Crash safety. The olnode-only part starts the node 20 times on one datadir, streams transfers at it
 * and kills it with SIGKILL after a random 50-400 ms; after each restart the chain must be whole and
 * consistent with its own receipts (see checkChain). The same checker also runs, for any kind, on a
 * live chain after a transfer stream, which is how it was checked against anvil.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Wallet } from 'ethers'
import {
  CHAIN_ID,
  DEV_BALANCE,
  DEV_KEYS,
  IS_OLNODE,
  KIND,
  blockNumber,
  fees,
  makeTempDir,
  nonceOf,
  removeDir,
  rpc,
  rpcBatch,
  sleep,
  startDevnet,
  waitFor,
  type DevnetProcess,
  type RpcReceipt,
} from './helpers.ts'

const ITERATIONS = 20
const BUDGET_MS = 170_000
const VALUE = 1_000n

interface RpcBlock {
  number: string
  hash: string
  parentHash: string
  stateRoot: string
  gasUsed: string
  transactions: { hash: string; from: string; to: string | null; nonce: string; value: string; blockHash: string; blockNumber: string; transactionIndex: string }[]
}

interface ChainFacts {
  head: number
  headHash: string
  mined: number
  hashes: string[]
}

/** Waits until the head stops moving (a restarted node might mine what it kept in its pool). */
async function settledHead(url: string): Promise<number> {
  let last = await blockNumber(url)
  for (let i = 0; i < 40; i++) {
    await sleep(250)
    const now = await blockNumber(url)
    if (now === last) return now
    last = now
  }
  throw new Error('the head kept moving for 10 s')
}

/**
 * Checks the whole chain 0..head over JSON-RPC: parent links, every transaction's receipt and
 * position, gas accounting per block, nothing past the head, and that the sender's balance and nonce
 * at the head are exactly what its mined transactions imply (it only ever sends VALUE to recipient).
 */
async function checkChain(url: string, sender: string, recipient: string): Promise<ChainFacts> {
  const head = await settledHead(url)
  const blocks: RpcBlock[] = []
  for (let from = 0; from <= head; from += 100) {
    const nums = Array.from({ length: Math.min(100, head - from + 1) }, (_, i) => from + i)
    blocks.push(...(await rpcBatch<RpcBlock>(url, nums.map((n) => ['eth_getBlockByNumber', [`0x${n.toString(16)}`, true]]))))
  }
  const txs = blocks.flatMap((b) => b.transactions)
  const receipts: RpcReceipt[] = []
  for (let i = 0; i < txs.length; i += 200) {
    receipts.push(...(await rpcBatch<RpcReceipt>(url, txs.slice(i, i + 200).map((t) => ['eth_getTransactionReceipt', [t.hash]]))))
  }

  let spent = 0n
  let received = 0n
  let mined = 0
  let r = 0
  for (let n = 0; n <= head; n++) {
    const b = blocks[n]
    expect(b, `block ${n} of ${head} is missing`).toBeTruthy()
    expect(Number(b.number)).toBe(n)
    if (n > 0) expect(b.parentHash, `parentHash of block ${n}`).toBe(blocks[n - 1].hash)
    expect(b.stateRoot).toMatch(/^0x[0-9a-f]{64}$/)
    let cumulative = 0n
    b.transactions.forEach((tx, i) => {
      const rc = receipts[r++]
      expect(rc, `receipt of ${tx.hash} (block ${n})`).toBeTruthy()
      expect(rc.transactionHash).toBe(tx.hash)
      expect(rc.blockHash).toBe(b.hash)
      expect(Number(rc.blockNumber)).toBe(n)
      expect(Number(rc.transactionIndex)).toBe(i)
      expect(tx.blockHash).toBe(b.hash)
      expect(Number(tx.transactionIndex)).toBe(i)
      expect(rc.status).toBe('0x1')
      cumulative += BigInt(rc.gasUsed)
      expect(BigInt(rc.cumulativeGasUsed)).toBe(cumulative)
      if (tx.from.toLowerCase() === sender.toLowerCase()) {
        expect(Number(tx.nonce), `nonces of the sender in chain order`).toBe(mined)
        mined++
        spent += BigInt(tx.value) + BigInt(rc.gasUsed) * BigInt(rc.effectiveGasPrice)
      }
      if (tx.to?.toLowerCase() === recipient.toLowerCase()) received += BigInt(tx.value)
    })
    expect(BigInt(b.gasUsed), `gasUsed of block ${n}`).toBe(cumulative)
  }

  const headHex = `0x${head.toString(16)}`
  expect(await rpc(url, 'eth_getBlockByNumber', [`0x${(head + 1).toString(16)}`, false])).toBeNull()
  expect((await rpc<RpcBlock>(url, 'eth_getBlockByNumber', ['latest', false])).hash).toBe(blocks[head].hash)
  for (const tag of ['latest', headHex]) {
    expect(BigInt(await rpc<string>(url, 'eth_getBalance', [sender, tag])), `sender balance at ${tag}`).toBe(DEV_BALANCE - spent)
    expect(Number(await rpc<string>(url, 'eth_getTransactionCount', [sender, tag])), `sender nonce at ${tag}`).toBe(mined)
    expect(BigInt(await rpc<string>(url, 'eth_getBalance', [recipient, tag])), `recipient balance at ${tag}`).toBe(received)
  }
  expect(received).toBe(VALUE * BigInt(mined))
  return { head, headHash: blocks[head].hash, mined, hashes: blocks.map((b) => b.hash) }
}

/** Sends plain transfers back to back (awaiting only each send's answer) until stopped or refused. */
function streamTransfers(url: string, wallet: Wallet, recipient: string, firstNonce: number, fee: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }) {
  let stopped = false
  let sent = 0
  const done = (async () => {
    for (let nonce = firstNonce; !stopped; nonce++) {
      const raw = await wallet.signTransaction({ type: 2, chainId: CHAIN_ID, nonce, to: recipient, value: VALUE, gasLimit: 21_000n, ...fee })
      try {
        await rpc(url, 'eth_sendRawTransaction', [raw])
        sent++
      } catch {
        return // the node went away (or refused): the stream ends
      }
    }
  })()
  return {
    stop: async () => {
      stopped = true
      await done
      return sent
    },
  }
}

const streamFee = async (url: string) => {
  const f = await fees(url)
  return { maxFeePerGas: f.maxFeePerGas * 4n, maxPriorityFeePerGas: f.maxPriorityFeePerGas }
}

describe(`chain consistency under a transfer stream, live (${KIND})`, () => {
  let devnet: DevnetProcess
  const wallet = new Wallet(DEV_KEYS[9])
  const recipient = Wallet.createRandom().address

  beforeAll(async () => {
    devnet = await startDevnet()
  })

  afterAll(async () => {
    await devnet?.stop()
  })

  it('every block, transaction and receipt agrees; balance and nonce match the receipts', async () => {
    const empty = await checkChain(devnet.url, wallet.address, recipient)
    expect(empty.mined).toBe(0)
    const firstNonce = await nonceOf(devnet.url, wallet.address, 'pending')
    const stream = streamTransfers(devnet.url, wallet, recipient, firstNonce, await streamFee(devnet.url))
    await sleep(400)
    const sent = await stream.stop()
    expect(sent).toBeGreaterThan(0)
    // The node was alive throughout: everything it accepted gets mined.
    await waitFor(async () => ((await nonceOf(devnet.url, wallet.address)) === firstNonce + sent ? true : null), `${sent} transactions mined`)
    const facts = await checkChain(devnet.url, wallet.address, recipient)
    expect(facts.mined).toBe(firstNonce + sent)
    expect(facts.head).toBeGreaterThan(empty.head)
    expect(facts.hashes.slice(0, empty.head + 1)).toEqual(empty.hashes)
  })
})

describe.runIf(IS_OLNODE)(`kill -9 while transactions stream in, ${ITERATIONS} times (${KIND})`, () => {
  let datadir: string
  let devnet: DevnetProcess | undefined
  const wallet = new Wallet(DEV_KEYS[9])
  const recipient = Wallet.createRandom().address

  const start = () => startDevnet({ datadir })

  beforeAll(() => {
    datadir = makeTempDir('crash')
  })

  afterAll(async () => {
    await devnet?.kill()
    removeDir(datadir)
  })

  it(
    'reopens every time with a whole, self-consistent chain that never loses what it showed',
    async () => {
      const deadline = Date.now() + BUDGET_MS
      let prev: ChainFacts | undefined
      let totalSent = 0
      let done = 0
      for (let i = 0; i < ITERATIONS; i++) {
        if (Date.now() > deadline - 15_000) break
        devnet = await start()
        const facts = await checkChain(devnet.url, wallet.address, recipient)
        if (prev) {
          // What the previous run showed after its restart is still there, unchanged.
          expect(facts.head, `iteration ${i}: head went back`).toBeGreaterThanOrEqual(prev.head)
          expect(facts.hashes.slice(0, prev.head + 1), `iteration ${i}: blocks were replaced`).toEqual(prev.hashes)
          expect(facts.mined).toBeGreaterThanOrEqual(prev.mined)
        }
        prev = facts

        const stream = streamTransfers(devnet.url, wallet, recipient, await nonceOf(devnet.url, wallet.address, 'pending'), await streamFee(devnet.url))
        await sleep(50 + Math.floor(Math.random() * 350))
        await devnet.kill() // SIGKILL
        devnet = undefined
        totalSent += await stream.stop()
        done++
      }
      // One last restart to check the chain left by the last crash.
      devnet = await start()
      const last = await checkChain(devnet.url, wallet.address, recipient)
      expect(last.head).toBeGreaterThanOrEqual(prev!.head)
      expect(last.hashes.slice(0, prev!.head + 1)).toEqual(prev!.hashes)
      expect(done, 'iterations completed within the time budget').toBeGreaterThanOrEqual(Math.min(ITERATIONS, 5))
      expect(totalSent).toBeGreaterThan(0)
      expect(last.mined).toBeGreaterThan(0)
      // A transaction can be mined while its answer is lost to the kill: at most one per kill.
      expect(last.mined).toBeLessThanOrEqual(totalSent + done)
      console.log(`crash test: ${done} kills, ${totalSent} transactions accepted, ${last.mined} mined, head ${last.head}`)
    },
    200_000,
  )
})
