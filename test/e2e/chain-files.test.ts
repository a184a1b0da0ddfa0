/**
 * olnode only: chain files as geth does them. A 1,000-block chain with contract activity is built on a
 * real `olnode devnet --datadir`, exported with `olnode export`, imported with `olnode import` into a
 * fresh datadir (made by `olnode init`), and the imported node serves the same chain: blocks, receipts,
 * logs, balances. Then the refusals: a tampered block (state root, transaction), a truncated file, a
 * datadir in use, another genesis; and importing the same file twice.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Interface, Wallet, getCreateAddress, getBytes } from 'ethers'
import { readChainFile } from '../../node/chain/chainFile.ts'
import { compileToken } from '../fixtures/compile.ts'
import { olnode, type CliResult } from '../support/olnodeCli.ts'
import {
  CHAIN_ID,
  DEV_ADDRESSES,
  DEV_KEYS,
  GWEI,
  IS_OLNODE,
  balanceOf,
  blockNumber,
  makeTempDir,
  removeDir,
  rpc,
  rpcBatch,
  startDevnet,
  toQuantity,
  waitForReceipt,
  type DevnetProcess,
  type RpcLog,
} from './helpers.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const BLOCKS = 1000
const SENDERS = 5

interface ChainSnapshot {
  blocks: Record<string, any>[]
  receipts: unknown[][]
  balances: bigint[]
  tokenBalances: string[]
  logs: RpcLog[]
}

async function inChunks<T>(calls: [string, unknown[]][], url: string): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < calls.length; i += 250) out.push(...(await rpcBatch<T>(url, calls.slice(i, i + 250))))
  return out
}

describe.runIf(IS_OLNODE)('chain files: init, export, import', () => {
  const iface = new Interface(compileToken().abi as any)
  const wallets = DEV_KEYS.slice(0, SENDERS).map((k) => new Wallet(k))
  const dirs: string[] = []
  let work: string
  let source: string
  let token: string
  let before: ChainSnapshot
  let lockedExport: CliResult
  let devnet: DevnetProcess | undefined

  const tempDatadir = (name: string) => {
    const dir = makeTempDir(name)
    dirs.push(dir)
    return dir
  }

  async function snapshot(url: string, head: number): Promise<ChainSnapshot> {
    const numbers = Array.from({ length: head + 1 }, (_, n) => toQuantity(n))
    return {
      blocks: await inChunks(numbers.map((n) => ['eth_getBlockByNumber', [n, false]]), url),
      receipts: await inChunks(numbers.map((n) => ['eth_getBlockReceipts', [n]]), url),
      balances: await Promise.all(DEV_ADDRESSES.map((a) => balanceOf(url, a))),
      tokenBalances: await rpcBatch(url, DEV_ADDRESSES.map((a) => ['eth_call', [{ to: token, data: iface.encodeFunctionData('balanceOf', [a]) }, 'latest']])),
      logs: await rpc<RpcLog[]>(url, 'eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }]),
    }
  }

  /** One transaction per block: a token deploy, then token transfers, approvals and plain transfers from several keys. */
  async function buildChain(url: string): Promise<void> {
    const nonces = wallets.map(() => 0)
    const sign = (k: number, req: { to: string; data?: string; value?: bigint; gasLimit: bigint }) =>
      wallets[k].signTransaction({ chainId: CHAIN_ID, type: 2, nonce: nonces[k]++, maxFeePerGas: 50n * GWEI, maxPriorityFeePerGas: GWEI, ...req })
    const deploy = await wallets[0].signTransaction({
      chainId: CHAIN_ID,
      type: 2,
      nonce: nonces[0]++,
      maxFeePerGas: 50n * GWEI,
      maxPriorityFeePerGas: GWEI,
      gasLimit: 2_000_000n,
      data: compileToken().bytecode + iface.encodeDeploy(['Chain File Token', 'CFT', 10n ** 24n]).slice(2),
    })
    token = getCreateAddress({ from: wallets[0].address, nonce: 0 })
    await waitForReceipt(url, await rpc<string>(url, 'eth_sendRawTransaction', [deploy]))
    const raws: string[] = []
    for (let i = 1; i < BLOCKS; i++) {
      const k = i % SENDERS
      const to = DEV_ADDRESSES[(i * 7) % DEV_ADDRESSES.length]
      if (i % 3 === 0) raws.push(await sign(0, { to: token, data: iface.encodeFunctionData('transfer', [to, BigInt(i)]), gasLimit: 100_000n }))
      else if (i % 3 === 1) raws.push(await sign(k, { to: token, data: iface.encodeFunctionData('approve', [to, BigInt(i)]), gasLimit: 100_000n }))
      else raws.push(await sign(k, { to, value: BigInt(i) * GWEI, gasLimit: 21_000n }))
    }
    // Each sent once the previous one is mined: automine seals transactions that arrive together in one block.
    for (const raw of raws) {
      await waitForReceipt(url, await rpc<string>(url, 'eth_sendRawTransaction', [raw]))
    }
    expect(await blockNumber(url)).toBe(BLOCKS)
  }

  beforeAll(async () => {
    work = tempDatadir('chainfiles-work')
    source = tempDatadir('chainfiles-source')
    devnet = await startDevnet({ datadir: source })
    const started = performance.now()
    await buildChain(devnet.url)
    console.log(`built ${BLOCKS} blocks in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    before = await snapshot(devnet.url, BLOCKS)
    lockedExport = await olnode(['export', path.join(work, 'locked.rlp'), '--datadir', source])
    expect(await devnet.stop()).toBe(0)
    devnet = undefined
  }, 180_000)

  afterAll(async () => {
    await devnet?.stop()
    for (const dir of dirs) removeDir(dir)
  })

  it('the source chain has 1,000 blocks of one transaction each, with logs from the contract', () => {
    expect(before.blocks).toHaveLength(BLOCKS + 1)
    expect(before.receipts.slice(1).every((r) => r.length === 1)).toBe(true)
    expect(before.logs.length).toBeGreaterThan(600)
    expect(new Set(before.logs.map((l) => l.topics[0])).size).toBe(2) // Transfer and Approval
  })

  it('export refuses a datadir another process has open, in one line', () => {
    expect(lockedExport.code).toBe(1)
    expect(lockedExport.stderr.trim()).toMatch(/^olnode: the datadir is in use by another process/)
    expect(lockedExport.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('export writes every block, plain and gzip, with a progress line', async () => {
    for (const file of ['chain.rlp', 'chain.rlp.gz']) {
      const started = performance.now()
      const out = await olnode(['export', path.join(work, file), '--datadir', source])
      console.log(`export ${file}: ${((performance.now() - started) / 1000).toFixed(2)} s (process), ${out.stdout.trim()}`)
      expect(out.stderr).toBe('')
      expect(out.code).toBe(0)
      expect(out.stdout).toMatch(new RegExp(`^Exported ${BLOCKS + 1} blocks \\(${BLOCKS} txs\\), #0\\.\\.#${BLOCKS} to .*${file.replace(/\./g, '\\.')}, \\d+ blocks/s, \\d+ tx/s in `, 'm'))
    }
    const plain = readFileSync(path.join(work, 'chain.rlp'))
    const gz = readFileSync(path.join(work, 'chain.rlp.gz'))
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b])
    expect(gz.length).toBeLessThan(plain.length)
    // Block 0 first, as geth writes it: the file is the blocks' own RLP back to back.
    const items: string[] = []
    for await (const item of readChainFile(path.join(work, 'chain.rlp'))) items.push(Buffer.from(item.bytes).toString('hex'))
    expect(items).toHaveLength(BLOCKS + 1)
  })

  it('init writes block 0, says so again on the same genesis, and refuses another genesis', async () => {
    const target = tempDatadir('chainfiles-target')
    const first = await olnode(['init', '--genesis', 'genesis/devnet.json', '--datadir', target])
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(`Wrote genesis block 0 ${before.blocks[0].hash} (chain ID ${CHAIN_ID})`)
    const again = await olnode(['init', '--genesis', 'genesis/devnet.json', '--datadir', target])
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/already initialised with this genesis/)
    expect(again.stdout).toContain(before.blocks[0].hash)
    const other = JSON.parse(readFileSync(path.join(ROOT, 'genesis/devnet.json'), 'utf8'))
    other.timestamp = '0x1'
    writeFileSync(path.join(work, 'other-genesis.json'), JSON.stringify(other))
    const refused = await olnode(['init', '--genesis', path.join(work, 'other-genesis.json'), '--datadir', target])
    expect(refused.code).toBe(1)
    expect(refused.stderr.trim()).toMatch(/^olnode: the datadir holds a chain with genesis 0x[0-9a-f]{64}, but the genesis given hashes to 0x[0-9a-f]{64}/)
    expect(refused.stderr.trim().split('\n')).toHaveLength(1)
  })

  describe('import of the exported chain into the initialised datadir', () => {
    let target: string
    let imported: CliResult
    let seconds: number

    beforeAll(async () => {
      target = tempDatadir('chainfiles-import')
      expect((await olnode(['init', '--genesis', 'genesis/devnet.json', '--datadir', target])).code).toBe(0)
      const started = performance.now()
      imported = await olnode(['import', path.join(work, 'chain.rlp.gz'), '--datadir', target])
      seconds = (performance.now() - started) / 1000
    }, 180_000)

    it('imports every block and prints the head it reached', () => {
      console.log(`import: ${seconds.toFixed(2)} s (process), ${imported.stdout.trim()}`)
      expect(imported.stderr).toBe('')
      expect(imported.code).toBe(0)
      expect(imported.stdout).toMatch(
        new RegExp(`^Imported ${BLOCKS} blocks \\(${BLOCKS} txs, 1 already present\\), head #${BLOCKS} ${before.blocks[BLOCKS].hash}, \\d+ blocks/s, \\d+ tx/s in `, 'm'),
      )
    })

    it('the imported node serves the same blocks, receipts, logs and balances', async () => {
      devnet = await startDevnet({ datadir: target })
      try {
        expect(await blockNumber(devnet.url)).toBe(BLOCKS)
        const after = await snapshot(devnet.url, BLOCKS)
        expect(after.blocks[BLOCKS].stateRoot).toBe(before.blocks[BLOCKS].stateRoot)
        for (let n = 0; n <= BLOCKS; n++) expect(after.blocks[n]).toEqual(before.blocks[n])
        for (let n = 0; n <= BLOCKS; n++) expect(after.receipts[n]).toEqual(before.receipts[n])
        expect(after.logs).toEqual(before.logs)
        expect(after.balances).toEqual(before.balances)
        expect(after.tokenBalances).toEqual(before.tokenBalances)
      } finally {
        await devnet.stop()
        devnet = undefined
      }
    }, 120_000)

    it('importing the same file again changes nothing', async () => {
      const again = await olnode(['import', path.join(work, 'chain.rlp'), '--datadir', target])
      expect(again.code).toBe(0)
      expect(again.stdout).toMatch(new RegExp(`^Imported 0 blocks \\(0 txs, ${BLOCKS + 1} already present\\), head #${BLOCKS} ${before.blocks[BLOCKS].hash}`, 'm'))
    })
  })

  /** The plain chain file with `edit` applied to the bytes of block `number`. */
  async function tampered(name: string, number: number, edit: (block: Uint8Array) => void): Promise<string> {
    const file = readFileSync(path.join(work, 'chain.rlp'))
    for await (const item of readChainFile(path.join(work, 'chain.rlp'))) {
      if (item.index !== number) continue
      const block = file.subarray(item.offset, item.offset + item.bytes.length)
      edit(block)
    }
    const out = path.join(work, name)
    writeFileSync(out, file)
    return out
  }

  /** Flips the last byte of the first occurrence of `needle` in `bytes`. */
  function flipIn(bytes: Uint8Array, needle: Uint8Array): void {
    const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(Buffer.from(needle))
    expect(at).toBeGreaterThan(0)
    bytes[at + needle.length - 1] ^= 0x01
  }

  /** Imports `file` into a fresh datadir; the refusal must name `number`, and the blocks before it stay, intact. */
  async function expectRefusedAt(file: string, number: number, message: RegExp): Promise<void> {
    const target = tempDatadir('chainfiles-refused')
    const out = await olnode(['import', file, '--datadir', target])
    expect(out.code).toBe(1)
    expect(out.stderr.trim()).toMatch(message)
    expect(out.stderr.trim().split('\n')).toHaveLength(1)
    expect(out.stdout).toMatch(new RegExp(`^Imported ${number - 1} blocks .*head #${number - 1} ${before.blocks[number - 1].hash}`, 'm'))
    devnet = await startDevnet({ datadir: target })
    try {
      expect(await blockNumber(devnet.url)).toBe(number - 1)
      const [block, receipts] = await rpcBatch(devnet.url, [
        ['eth_getBlockByNumber', [toQuantity(number - 1), false]],
        ['eth_getBlockReceipts', [toQuantity(number - 1)]],
      ])
      expect(block).toEqual(before.blocks[number - 1])
      expect(receipts).toEqual(before.receipts[number - 1])
    } finally {
      await devnet.stop()
      devnet = undefined
    }
  }

  it('a block whose state root was changed is refused at that block; the blocks before it stay imported', async () => {
    const number = 300
    const file = await tampered('state-root.rlp', number, (block) => flipIn(block, getBytes(before.blocks[number].stateRoot)))
    await expectRefusedAt(file, number, new RegExp(`^olnode: block ${number}: state root mismatch: have 0x[0-9a-f]{64}, want ${before.blocks[number].stateRoot}$`))
  }, 120_000)

  it('a block with a changed transaction is refused at that block', async () => {
    // A call to the token from block 150 on: its `to` field is the token's address.
    const number = before.receipts.findIndex((r, n) => n >= 150 && (r[0] as { to: string }).to === token.toLowerCase())
    const file = await tampered('tx.rlp', number, (block) => flipIn(block, getBytes(token)))
    await expectRefusedAt(file, number, new RegExp(`^olnode: block ${number}: transactions root mismatch: have ${before.blocks[number].transactionsRoot}, want 0x[0-9a-f]{64}$`))
  }, 120_000)

  it('a truncated file imports the whole blocks before the cut, then fails naming the cut', async () => {
    const file = readFileSync(path.join(work, 'chain.rlp'))
    let cut = 0
    for await (const item of readChainFile(path.join(work, 'chain.rlp'))) if (item.index === 200) cut = item.offset + Math.floor(item.bytes.length / 2)
    writeFileSync(path.join(work, 'truncated.rlp'), file.subarray(0, cut))
    const target = tempDatadir('chainfiles-truncated')
    const out = await olnode(['import', path.join(work, 'truncated.rlp'), '--datadir', target])
    expect(out.code).toBe(1)
    expect(out.stderr.trim()).toMatch(/^olnode: .*truncated\.rlp: truncated: item 200 \(at byte \d+\) needs \d+ bytes, only \d+ bytes remain$/)
    expect(out.stdout).toMatch(new RegExp(`head #199 ${before.blocks[199].hash}`))

    const gz = readFileSync(path.join(work, 'chain.rlp.gz'))
    writeFileSync(path.join(work, 'truncated.rlp.gz'), gz.subarray(0, 3000))
    const outGz = await olnode(['import', path.join(work, 'truncated.rlp.gz'), '--datadir', tempDatadir('chainfiles-truncated-gz')])
    expect(outGz.code).toBe(1)
    expect(outGz.stderr.trim()).toMatch(/^olnode: .*truncated\.rlp\.gz: truncated/)
  }, 120_000)

  it('a file that is not a chain file is refused as corrupt', async () => {
    writeFileSync(path.join(work, 'not-a-chain.rlp'), 'hello, this is text\n')
    const out = await olnode(['import', path.join(work, 'not-a-chain.rlp'), '--datadir', tempDatadir('chainfiles-corrupt')])
    expect(out.code).toBe(1)
    expect(out.stderr.trim()).toMatch(/^olnode: .*not-a-chain\.rlp: corrupt: expected an RLP list at byte 0, found 0x68$/)
  })
})
