/**
 * Foundry's cast against the devnet: chain-id, block-number, balance, send (value and --create),
 * receipt, call (including a reverting call).
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Wallet } from 'ethers'
import { compileToken } from '../fixtures/compile.ts'
import { DEV_ADDRESSES, DEV_BALANCE, DEV_KEYS, ETHER, KIND, balanceOf, blockNumber, rpc, startDevnet, type DevnetProcess, type RpcReceipt } from './helpers.ts'

const CAST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.bin/cast')

interface CastResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs cast with --rpc-url pointing at the devnet; never throws (the caller checks `code`). */
function runCast(args: string[], timeoutMs = 30_000): Promise<CastResult> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, FOUNDRY_DISABLE_NIGHTLY_WARNING: '1', NO_COLOR: '1' }
    // Make sure nothing from the environment points cast elsewhere.
    delete env.ETH_RPC_URL
    delete env.ETH_FROM
    delete env.CHAIN
    execFile(CAST, args, { timeout: timeoutMs, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() })
    })
  })
}

describe(`Foundry cast (${KIND})`, () => {
  let devnet: DevnetProcess
  let cast: (...args: string[]) => Promise<string>
  let castRaw: (...args: string[]) => Promise<CastResult>
  const recipient = Wallet.createRandom().address
  let tokenAddress: string

  beforeAll(async () => {
    devnet = await startDevnet()
    // --rpc-url goes right after the subcommand: after `--create <code> <sig>` every word is an argument.
    const withUrl = ([sub, ...rest]: string[]) => [sub, '--rpc-url', devnet.url, ...rest]
    cast = async (...args: string[]) => {
      const r = await runCast(withUrl(args))
      if (r.code !== 0) throw new Error(`cast ${args.join(' ')} failed (${r.code}):\n${r.stderr}`)
      return r.stdout.trim()
    }
    castRaw = (...args: string[]) => runCast(withUrl(args))
  })

  afterAll(async () => {
    await devnet?.stop()
  })

  it('cast chain-id', async () => {
    expect(await cast('chain-id')).toBe('1337')
  })

  it('cast block-number agrees with eth_blockNumber', async () => {
    expect(Number(await cast('block-number'))).toBe(await blockNumber(devnet.url))
  })

  it('cast balance of a dev account: 10,000 OPEN in wei', async () => {
    expect(await cast('balance', DEV_ADDRESSES[9])).toBe(DEV_BALANCE.toString())
    expect(await cast('balance', recipient)).toBe('0')
  })

  it('cast send --value 1ether, then cast receipt', async () => {
    const sender = DEV_ADDRESSES[8]
    const before = await balanceOf(devnet.url, sender)
    const sent = JSON.parse(await cast('send', '--json', '--private-key', DEV_KEYS[8], recipient, '--value', '1ether')) as RpcReceipt
    expect(sent.status).toBe('0x1')
    expect(sent.from.toLowerCase()).toBe(sender.toLowerCase())
    expect(sent.to?.toLowerCase()).toBe(recipient.toLowerCase())
    expect(BigInt(sent.gasUsed)).toBe(21_000n)

    const receipt = JSON.parse(await cast('receipt', '--json', sent.transactionHash)) as RpcReceipt
    expect(receipt.transactionHash).toBe(sent.transactionHash)
    expect(receipt.blockHash).toBe(sent.blockHash)
    expect(receipt.blockNumber).toBe(sent.blockNumber)
    expect(receipt.status).toBe('0x1')
    // One field only.
    expect(await cast('receipt', sent.transactionHash, 'status')).toMatch(/^(true|1|0x1|1 \(success\))$/)

    // And the node agrees.
    const viaRpc = await rpc<RpcReceipt>(devnet.url, 'eth_getTransactionReceipt', [sent.transactionHash])
    expect(viaRpc.blockHash).toBe(sent.blockHash)
    expect(await cast('balance', recipient)).toBe(ETHER.toString())
    expect(await balanceOf(devnet.url, sender)).toBe(before - ETHER - 21_000n * BigInt(receipt.effectiveGasPrice))
    expect(Number(await cast('block-number'))).toBeGreaterThanOrEqual(Number(BigInt(sent.blockNumber)))
  })

  it('cast send --create deploys the token; cast call reads it', async () => {
    const { bytecode } = compileToken()
    const deployed = JSON.parse(
      await cast('send', '--json', '--private-key', DEV_KEYS[7], '--create', bytecode, 'constructor(string,string,uint256)', 'Cast Token', 'CST', '1000000000000000000000000'),
    ) as RpcReceipt
    expect(deployed.status).toBe('0x1')
    expect(deployed.contractAddress).toMatch(/^0x[0-9a-fA-F]{40}$/)
    tokenAddress = deployed.contractAddress!

    expect(await cast('call', tokenAddress, 'name()(string)')).toBe('"Cast Token"')
    expect(await cast('call', tokenAddress, 'decimals()(uint8)')).toBe('18')
    const bal = await cast('call', tokenAddress, 'balanceOf(address)(uint256)', DEV_ADDRESSES[7])
    expect(bal.split(/\s+/)[0]).toBe('1000000000000000000000000')
  })

  it('cast send a token transfer; cast call balanceOf sees it', async () => {
    const r = JSON.parse(await cast('send', '--json', '--private-key', DEV_KEYS[7], tokenAddress, 'transfer(address,uint256)', recipient, '250')) as RpcReceipt
    expect(r.status).toBe('0x1')
    expect(r.logs).toHaveLength(1)
    expect(BigInt(r.logs[0].data)).toBe(250n)
    expect((await cast('call', tokenAddress, 'balanceOf(address)(uint256)', recipient)).split(/\s+/)[0]).toBe('250')
    expect((await cast('call', tokenAddress, 'balanceOf(address)(uint256)', DEV_ADDRESSES[7])).split(/\s+/)[0]).toBe((10n ** 24n - 250n).toString())
  })

  it('a reverting cast call fails and shows the reason', async () => {
    const r = await castRaw('call', '--from', DEV_ADDRESSES[1], tokenAddress, 'transfer(address,uint256)(bool)', recipient, '1')
    // cast 1.7 prints the node's error (code 3 and the reason) on stderr; it may still exit with 0.
    expect(r.stderr).toMatch(/execution reverted: insufficient balance/)
    expect(r.stdout.trim()).toBe('')
  })
})
