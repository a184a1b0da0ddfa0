/**
 * Shared helpers of the RPC integration suite: dev keys, a small test contract compiled with
 * solc-js, signing with ethers, polling for receipts, a raw WebSocket JSON-RPC client, and
 * independent re-computations (block hash from the printed header, EIP-1559 base fee) that the
 * tests compare the node's answers with.
 */
import { expect } from 'vitest'
import WebSocket from 'ws'
import solc from 'solc'
import {
  Interface,
  Transaction,
  Wallet,
  computeAddress,
  encodeRlp,
  getBytes,
  hexlify,
  getCreateAddress,
  keccak256,
  toBeArray,
  type TransactionRequest,
} from 'ethers'
import type { TestNode } from '../../support/spawnNode.ts'
import { DEV_KEYS } from '../../support/devKeys.ts'

export { DEV_KEYS }

export const CHAIN_ID = 1337n
export const GWEI = 10n ** 9n
export const ETHER = 10n ** 18n
/** Every dev account starts with 10,000 OPEN. */
export const DEV_BALANCE = 10_000n * ETHER
/** The genesis base fee of the devnet (genesis/devnet.json). */
export const GENESIS_BASE_FEE = 1_000_000_000n
/** The devnet's block gas limit (genesis/devnet.json: 0x1c9c380). */
export const BLOCK_GAS_LIMIT = 30_000_000n

/** The dev addresses, lowercase (as the node prints addresses). */
export const DEV_ADDRESSES = DEV_KEYS.map((k) => computeAddress(k).toLowerCase())
export const devWallet = (i: number): Wallet => new Wallet(DEV_KEYS[i])

export const hex = (n: bigint | number): string => `0x${BigInt(n).toString(16)}`
export const big = (h: string): bigint => BigInt(h)
export const num = (h: string): number => Number(BigInt(h))
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
export const randomHash = (): string => keccak256(toBeArray(BigInt(Date.now()) * 1_000_003n + BigInt(Math.floor(Math.random() * 1e9))))

// ---------------------------------------------------------------------------------------------
// The test contract

/**
 * Probe: storage at known slots, events with indexed and unindexed fields, an Error(string)
 * revert, a custom-error revert, a panic, a call whose gas need exceeds its gas use
 * (needsGas), and a storage clear that earns a refund.
 */
export const PROBE_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Probe {
    uint256 public value;                        // slot 0
    address public owner;                        // slot 1
    mapping(address => uint256) public credits;  // slot 2

    event ValueSet(address indexed by, uint256 indexed newValue, uint256 oldValue);
    event Note(uint256 indexed id, bytes32 indexed tag, string text);

    error Denied(address caller, uint256 code);

    constructor(uint256 initial) {
        value = initial;
        owner = msg.sender;
        emit ValueSet(msg.sender, initial, 0);
    }

    function setValue(uint256 v) external {
        uint256 old = value;
        value = v;
        emit ValueSet(msg.sender, v, old);
    }

    function credit(address who, uint256 amount) external {
        credits[who] += amount;
    }

    function note(uint256 id, bytes32 tag, string calldata text) external {
        emit Note(id, tag, text);
    }

    function notes(uint256 n, bytes32 tag) external {
        for (uint256 i = 0; i < n; i++) emit Note(i, tag, "");
    }

    function fail(string calldata reason) external pure {
        revert(reason);
    }

    function deny(uint256 code) external view {
        revert Denied(msg.sender, code);
    }

    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    function needsGas(uint256 minimum) external returns (uint256) {
        require(gasleft() >= minimum, "not enough gas left");
        value += 1;
        return value;
    }

    function whoami() external view returns (address) {
        return msg.sender;
    }

    function add(uint256 a, uint256 b) external pure returns (uint256) {
        return a + b;
    }

    function echo(bytes calldata data) external pure returns (bytes memory) {
        return data;
    }
}
`

export interface Compiled {
  abi: Record<string, unknown>[]
  bytecode: string
  deployedBytecode: string
}

let probeCache: Compiled | undefined

/** Probe compiled for Cancun (the chain's fork), optimizer on. */
export function compileProbe(): Compiled {
  if (probeCache) return probeCache
  const input = {
    language: 'Solidity',
    sources: { 'Probe.sol': { content: PROBE_SOURCE } },
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[]
    contracts: Record<string, Record<string, { abi: Record<string, unknown>[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>
  }
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'))
  const c = output.contracts['Probe.sol'].Probe
  probeCache = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, deployedBytecode: `0x${c.evm.deployedBytecode.object}` }
  return probeCache
}

export const probe = new Interface([
  'constructor(uint256 initial)',
  'function value() view returns (uint256)',
  'function owner() view returns (address)',
  'function credits(address) view returns (uint256)',
  'function setValue(uint256 v)',
  'function credit(address who, uint256 amount)',
  'function note(uint256 id, bytes32 tag, string text)',
  'function notes(uint256 n, bytes32 tag)',
  'function fail(string reason) pure',
  'function deny(uint256 code) view',
  'function divide(uint256 a, uint256 b) pure returns (uint256)',
  'function needsGas(uint256 minimum) returns (uint256)',
  'function whoami() view returns (address)',
  'function add(uint256 a, uint256 b) pure returns (uint256)',
  'function echo(bytes data) pure returns (bytes)',
  'event ValueSet(address indexed by, uint256 indexed newValue, uint256 oldValue)',
  'event Note(uint256 indexed id, bytes32 indexed tag, string text)',
  'error Denied(address caller, uint256 code)',
])
export const VALUE_SET_TOPIC = probe.getEvent('ValueSet')!.topicHash
export const NOTE_TOPIC = probe.getEvent('Note')!.topicHash

/** Creation code of Probe with its constructor argument. */
export function probeDeployData(initial: bigint): string {
  return compileProbe().bytecode + probe.encodeDeploy([initial]).slice(2)
}

/** A uint256 / bytes32 as a 32-byte topic. */
export const word = (n: bigint | number): string => `0x${BigInt(n).toString(16).padStart(64, '0')}`
export const addressTopic = (address: string): string => `0x${address.toLowerCase().slice(2).padStart(64, '0')}`

// ---------------------------------------------------------------------------------------------
// JSON-RPC over HTTP

export type RpcErrorObject = { code: number; message: string; data?: unknown }

/** The error of a call that must fail; fails the test if it answers with a result. */
export async function rpcError(t: TestNode, method: string, params: unknown[] = []): Promise<RpcErrorObject> {
  const res = await t.rpc(method, params)
  if (!res.error) throw new Error(`${method} was expected to fail but returned ${JSON.stringify(res.result)}`)
  return res.error
}

/** Polls for the receipt of `hash` (automine seals asynchronously after the hash is returned). */
export async function waitForReceipt(t: TestNode, hash: string, timeoutMs = 10_000): Promise<any> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const receipt = await t.call('eth_getTransactionReceipt', [hash])
    if (receipt) return receipt
    if (Date.now() > deadline) throw new Error(`no receipt for ${hash} after ${timeoutMs} ms`)
    await sleep(20)
  }
}

/** Polls until `fn` returns something other than undefined/null. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null> | T | undefined | null, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v !== undefined && v !== null) return v
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(20)
  }
}

/** Fields ethers needs to sign without a provider; defaults: EIP-1559, 10 gwei cap, 1 gwei tip. */
export async function signTx(t: TestNode, wallet: Wallet, tx: TransactionRequest): Promise<string> {
  const nonce = tx.nonce ?? num(await t.call('eth_getTransactionCount', [wallet.address, 'pending']))
  const type = tx.type ?? (tx.gasPrice !== undefined ? 0 : 2)
  const fees =
    type === 2
      ? { maxFeePerGas: tx.maxFeePerGas ?? 10n * GWEI, maxPriorityFeePerGas: tx.maxPriorityFeePerGas ?? GWEI }
      : { gasPrice: tx.gasPrice ?? 10n * GWEI }
  return wallet.signTransaction({ chainId: CHAIN_ID, gasLimit: 1_000_000n, value: 0n, ...tx, ...fees, type, nonce })
}

/** Signs and sends; resolves to the hash the node returned (checked against the signed bytes). */
export async function sendTx(t: TestNode, wallet: Wallet, tx: TransactionRequest): Promise<string> {
  const raw = await signTx(t, wallet, tx)
  const hash = await t.call<string>('eth_sendRawTransaction', [raw])
  expect(hash).toBe(Transaction.from(raw).hash)
  return hash
}

/** Sends and waits for the receipt (automine). */
export async function sendAndMine(t: TestNode, wallet: Wallet, tx: TransactionRequest): Promise<any> {
  return waitForReceipt(t, await sendTx(t, wallet, tx))
}

/** Deploys Probe from `wallet`; resolves to its address and the deployment receipt. */
export async function deployProbe(t: TestNode, wallet: Wallet, initial = 0n): Promise<{ address: string; receipt: any }> {
  const nonce = num(await t.call('eth_getTransactionCount', [wallet.address, 'pending']))
  const receipt = await sendAndMine(t, wallet, { data: probeDeployData(initial), gasLimit: 1_000_000n, nonce })
  expect(receipt.status).toBe('0x1')
  const address = getCreateAddress({ from: wallet.address, nonce }).toLowerCase()
  expect(receipt.contractAddress).toBe(address)
  return { address, receipt }
}

// ---------------------------------------------------------------------------------------------
// Independent re-computations

/** EIP-1559's next base fee from a parent header (elasticity 2, change denominator 8). */
export function nextBaseFee(parent: { baseFeePerGas: string; gasUsed: string; gasLimit: string }): bigint {
  const baseFee = big(parent.baseFeePerGas)
  const gasUsed = big(parent.gasUsed)
  const target = big(parent.gasLimit) / 2n
  if (gasUsed === target) return baseFee
  if (gasUsed > target) {
    const delta = (baseFee * (gasUsed - target)) / target / 8n
    return baseFee + (delta > 1n ? delta : 1n)
  }
  return baseFee - (baseFee * (target - gasUsed)) / target / 8n
}

/** The 2048-bit bloom of logs (yellow paper M3:2048): 3 bits per address and topic. */
export function logsBloom(logs: { address: string; topics: string[] }[]): string {
  const bloom = new Uint8Array(256)
  for (const item of logs.flatMap((l) => [l.address, ...l.topics])) {
    const h = getBytes(keccak256(item))
    for (let i = 0; i < 6; i += 2) {
      const bit = ((h[i] << 8) | h[i + 1]) & 2047
      bloom[255 - (bit >> 3)] |= 1 << (bit & 7)
    }
  }
  return hexlify(bloom)
}

const rlpQuantity = (h: string): Uint8Array => (big(h) === 0n ? new Uint8Array() : toBeArray(big(h)))

/** keccak(rlp(header)) of a block or newHeads header as printed (Cancun header layout). */
export function headerHash(h: Record<string, any>): string {
  const fields: (string | Uint8Array)[] = [
    h.parentHash,
    h.sha3Uncles,
    h.miner,
    h.stateRoot,
    h.transactionsRoot,
    h.receiptsRoot,
    h.logsBloom,
    rlpQuantity(h.difficulty),
    rlpQuantity(h.number),
    rlpQuantity(h.gasLimit),
    rlpQuantity(h.gasUsed),
    rlpQuantity(h.timestamp),
    h.extraData,
    h.mixHash,
    h.nonce,
    rlpQuantity(h.baseFeePerGas),
    h.withdrawalsRoot,
    rlpQuantity(h.blobGasUsed),
    rlpQuantity(h.excessBlobGas),
    h.parentBeaconBlockRoot,
  ]
  return keccak256(encodeRlp(fields))
}

// ---------------------------------------------------------------------------------------------
// WebSocket JSON-RPC

interface Pending {
  resolve(value: any): void
}

/** A minimal JSON-RPC client over one WebSocket, keeping every subscription notification. */
export class WsClient {
  private nextId = 1
  private readonly waiting = new Map<number, Pending>()
  /** Notifications per subscription id, in arrival order. */
  readonly notifications = new Map<string, unknown[]>()

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString())
      if (msg.method === 'eth_subscription') {
        const { subscription, result } = msg.params
        if (!this.notifications.has(subscription)) this.notifications.set(subscription, [])
        this.notifications.get(subscription)!.push(result)
        return
      }
      const pending = this.waiting.get(msg.id)
      if (pending) {
        this.waiting.delete(msg.id)
        pending.resolve(msg)
      }
    })
  }

  static connect(url: string, timeoutMs = 5_000): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url)
      const timer = setTimeout(() => {
        ws.terminate()
        reject(new Error(`websocket ${url} did not open in ${timeoutMs} ms`))
      }, timeoutMs)
      ws.once('open', () => {
        clearTimeout(timer)
        resolve(new WsClient(ws))
      })
      ws.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
    })
  }

  /** The whole response object of one call. */
  request(method: string, params: unknown[] = [], timeoutMs = 5_000): Promise<{ result?: any; error?: RpcErrorObject }> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id)
        reject(new Error(`no answer to ${method} over websocket in ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiting.set(id, {
        resolve: (msg) => {
          clearTimeout(timer)
          resolve(msg)
        },
      })
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
    })
  }

  async call<T = any>(method: string, params: unknown[] = []): Promise<T> {
    const res = await this.request(method, params)
    if (res.error) throw Object.assign(new Error(res.error.message), res.error)
    return res.result as T
  }

  /** What has arrived so far for `subscription`. */
  received<T = any>(subscription: string): T[] {
    return (this.notifications.get(subscription) ?? []) as T[]
  }

  /** Waits until `count` notifications arrived for `subscription`; returns all so far. */
  async waitFor<T = any>(subscription: string, count: number, timeoutMs = 5_000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs
    while (this.received(subscription).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`subscription ${subscription}: ${this.received(subscription).length} of ${count} notifications after ${timeoutMs} ms`)
      }
      await sleep(10)
    }
    return this.received<T>(subscription)
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate()
        resolve()
      }, 2_000)
      this.ws.once('close', () => {
        clearTimeout(timer)
        resolve()
      })
      this.ws.close()
    })
  }
}
