/**
 * DatanetRegistry at 0x…0A01 through real signed transactions over HTTP (viem, and ethers for one
 * decode), on the in-process node: every function, custom-error reverts, logs read back with
 * eth_getLogs and a subscription, a contract calling it through IDatanetRegistry, too little gas,
 * and the state after a restart on the same datadir.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Contract, JsonRpcProvider } from 'ethers'
import solc from 'solc'
import { encodeAbiParameters, encodeFunctionData, getAddress, keccak256, parseEventLogs, toFunctionSelector, toHex, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { iDatanetRegistryAbi as abi } from '../../../precompiles/datanetRegistry/abi.ts'
import { PRECOMPILE_ADDRESSES } from '../../../precompiles/addresses.ts'
import { fingerprint } from '../../../precompiles/fingerprint.ts'
import { spawnNode, tempDir, type TestNode } from '../../support/spawnNode.ts'
import { WsClient, waitForReceipt } from '../rpc/helpers.ts'
import { address, clientsFor as clientsOf, read as readFrom, revertOf as revertOfCall, write as writeTo, type Clients, type Target } from './clients.ts'

const REGISTRY = PRECOMPILE_ADDRESSES.datanetRegistry
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const Status = { Pending: 1, Approved: 2, Rejected: 3 } as const

const DOC_A = 'Open ledgers let every contributor of data be paid whenever a model trained on it earns, in proportion to how much their data helped produce the output.'
const DOC_B = 'Attribution is computed on chain from fingerprints of hashed word shingles, deterministically and in integer arithmetic, so every node agrees to the last wei.'
const DOC_C = 'A Datanet is a community data set with an owner, curators and a policy; contributions are content hashes and fingerprints, never the raw text itself.'

const fp = (text: string) => fingerprint(text, { shingleSize: 3 })
const contentHash = (text: string) => keccak256(toHex(text))

const TARGET: Target = { address: REGISTRY, abi }
const clientsFor = (t: TestNode) => clientsOf(t, 4)
const write = (c: Clients, who: number, functionName: string, args: readonly unknown[]) => writeTo(c, TARGET, who, functionName, args)
const read = (c: Clients, functionName: string, args: readonly unknown[] = []) => readFrom(c, TARGET, functionName, args)
const revertOf = (c: Clients, who: number, functionName: string, args: readonly unknown[]) => revertOfCall(c, TARGET, who, functionName, args)

describe('DatanetRegistry over JSON-RPC', () => {
  let t: TestNode
  let c: Clients
  let curated: bigint
  let open: bigint
  let approvedA: bigint

  beforeAll(async () => {
    t = await spawnNode()
    c = clientsFor(t)
  })

  afterAll(async () => {
    await t?.close()
  })

  it('creates a Datanet owned by the caller, with its event and view', async () => {
    const { result, receipt } = await write(c, 0, 'createDatanet', ['Open Research', 'ipfs://meta', 3, { curated: true, nearDuplicatePct: 0 }])
    curated = result
    expect(curated).toBe(1n)
    const [event] = parseEventLogs({ abi, logs: receipt.logs, eventName: 'DatanetCreated' })
    expect(event.address).toBe(REGISTRY)
    expect(event.args).toEqual({ datanetId: 1n, owner: address(c, 0), name: 'Open Research', metadataURI: 'ipfs://meta', shingleSize: 3, policy: { curated: true, nearDuplicatePct: 80 } })
    expect(await read(c, 'getDatanet', [curated])).toEqual({
      id: 1n,
      owner: address(c, 0),
      name: 'Open Research',
      metadataURI: 'ipfs://meta',
      shingleSize: 3,
      policy: { curated: true, nearDuplicatePct: 80 },
      version: 0n,
      commitment: `0x${'00'.repeat(32)}`,
      contributionCount: 0n,
      approvedCount: 0n,
    })
    expect(await read(c, 'datanetCount')).toBe(1n)
    expect((await revertOf(c, 0, 'createDatanet', ['x', '', 0, { curated: true, nearDuplicatePct: 0 }])).errorName).toBe('InvalidShingleSize')
    expect(await revertOf(c, 0, 'createDatanet', ['x'.repeat(129), '', 3, { curated: true, nearDuplicatePct: 0 }])).toEqual({ errorName: 'TooLong', args: ['name', 129n, 128n] })
    expect(await revertOf(c, 0, 'getDatanet', [99n])).toEqual({ errorName: 'DatanetNotFound', args: [99n] })
  })

  it('lets the owner, and only the owner, add and remove curators', async () => {
    expect(await revertOf(c, 1, 'addCurator', [curated, address(c, 1)])).toEqual({ errorName: 'NotOwner', args: [curated, address(c, 1)] })
    const { receipt } = await write(c, 0, 'addCurator', [curated, address(c, 1)])
    expect(parseEventLogs({ abi, logs: receipt.logs, eventName: 'CuratorAdded' })[0].args).toEqual({ datanetId: curated, curator: address(c, 1) })
    expect(await read(c, 'isCurator', [curated, address(c, 1)])).toBe(true)
    expect(await read(c, 'isCurator', [curated, address(c, 0)])).toBe(true)
    expect((await revertOf(c, 0, 'addCurator', [curated, address(c, 1)])).errorName).toBe('AlreadyCurator')
    await write(c, 0, 'addCurator', [curated, address(c, 3)])
    const removed = await write(c, 0, 'removeCurator', [curated, address(c, 3)])
    expect(parseEventLogs({ abi, logs: removed.receipt.logs, eventName: 'CuratorRemoved' })).toHaveLength(1)
    expect(await read(c, 'isCurator', [curated, address(c, 3)])).toBe(false)
    expect((await revertOf(c, 0, 'removeCurator', [curated, address(c, 3)])).errorName).toBe('NotCurator')
  })

  it('takes contributions as pending, approves them with a new version and commitment, and rejects', async () => {
    const submitted = await write(c, 2, 'submitContribution', [curated, contentHash(DOC_A), 'ipfs://a', fp(DOC_A)])
    approvedA = submitted.result
    expect(parseEventLogs({ abi, logs: submitted.receipt.logs, eventName: 'ContributionSubmitted' })[0].args).toEqual({
      contributionId: approvedA,
      datanetId: curated,
      contributor: address(c, 2),
      contentHash: contentHash(DOC_A),
      uri: 'ipfs://a',
      fingerprintLength: fp(DOC_A).length,
    })
    expect((await read(c, 'getContribution', [approvedA])).status).toBe(Status.Pending)
    expect(await revertOf(c, 2, 'approve', [approvedA])).toEqual({ errorName: 'NotCurator', args: [curated, address(c, 2)] })

    const approved = await write(c, 1, 'approve', [approvedA])
    const commitment = keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }, { type: 'bytes32' }], [`0x${'00'.repeat(32)}`, approvedA, contentHash(DOC_A)]))
    expect(parseEventLogs({ abi, logs: approved.receipt.logs, eventName: 'ContributionApproved' })[0].args).toEqual({ contributionId: approvedA, datanetId: curated, curator: address(c, 1), version: 1n, commitment })
    expect(await read(c, 'getContribution', [approvedA])).toEqual({
      id: approvedA,
      datanetId: curated,
      contributor: address(c, 2),
      contentHash: contentHash(DOC_A),
      uri: 'ipfs://a',
      status: Status.Approved,
      approvedVersion: 1n,
      fingerprintLength: fp(DOC_A).length,
    })
    expect(await read(c, 'getFingerprint', [approvedA])).toEqual(fp(DOC_A))
    expect(await read(c, 'postings', [curated, fp(DOC_A)[5]])).toEqual([approvedA])
    expect(await revertOf(c, 1, 'approve', [approvedA])).toEqual({ errorName: 'NotPending', args: [approvedA, Status.Approved] })

    const b = (await write(c, 2, 'submitContribution', [curated, contentHash(DOC_B), 'ipfs://b', fp(DOC_B)])).result
    const rejected = await write(c, 0, 'reject', [b])
    expect(parseEventLogs({ abi, logs: rejected.receipt.logs, eventName: 'ContributionRejected' })[0].args).toEqual({ contributionId: b, datanetId: curated, curator: address(c, 0) })
    expect((await read(c, 'getContribution', [b])).status).toBe(Status.Rejected)
    expect(await read(c, 'postings', [curated, fp(DOC_B)[0]])).toEqual([])

    const datanet = await read(c, 'getDatanet', [curated])
    expect([datanet.version, datanet.commitment, datanet.contributionCount, datanet.approvedCount]).toEqual([1n, commitment, 2n, 1n])
    expect(await read(c, 'contributionCountOf', [address(c, 2)])).toBe(2n)
    expect(await read(c, 'contributionsOf', [address(c, 2), 0n, 10n])).toEqual([approvedA, b])
    expect(await read(c, 'contributionsOf', [address(c, 2), 1n, 10n])).toEqual([b])
  })

  it('refuses an exact duplicate and a near duplicate of an approved contribution, naming it', async () => {
    expect(await revertOf(c, 3, 'submitContribution', [curated, contentHash(DOC_A), 'ipfs://copy', fp(DOC_C)])).toEqual({ errorName: 'DuplicateContent', args: [approvedA] })
    const edited = DOC_A.replace('output.', 'result.')
    const overlap = BigInt(Math.floor((fp(edited).filter((h) => fp(DOC_A).includes(h)).length * 100) / fp(edited).length))
    expect(overlap).toBeGreaterThanOrEqual(80n)
    expect(await revertOf(c, 3, 'submitContribution', [curated, contentHash(edited), 'ipfs://edited', fp(edited)])).toEqual({ errorName: 'NearDuplicate', args: [approvedA, overlap] })
    // ethers decodes the same revert from the ABI.
    const provider = new JsonRpcProvider(t.url, 1337, { staticNetwork: true })
    const registry = new Contract(REGISTRY, abi as any, provider)
    const err = await registry.submitContribution.staticCall(curated, contentHash(edited), 'ipfs://edited', fp(edited), { from: address(c, 3) }).catch((e: any) => e)
    expect(err.revert?.name).toBe('NearDuplicate')
    expect(err.revert?.args.map((x: bigint) => x)).toEqual([approvedA, overlap])
    provider.destroy()
  })

  it('caps the fingerprint and refuses repeated shingles', async () => {
    const tooLong = Array.from({ length: 513 }, (_, i) => BigInt(i + 1))
    expect(await revertOf(c, 3, 'submitContribution', [curated, contentHash('long'), '', tooLong])).toEqual({ errorName: 'FingerprintTooLong', args: [513n, 512n] })
    expect(await revertOf(c, 3, 'submitContribution', [curated, contentHash('none'), '', []])).toEqual({ errorName: 'EmptyFingerprint', args: [] })
    expect(await revertOf(c, 3, 'submitContribution', [curated, contentHash('rep'), '', [5n, 6n, 5n]])).toEqual({ errorName: 'RepeatedShingle', args: [2n, 5n] })
  })

  it('approves contributions to an open Datanet at once, and each approval moves the version', async () => {
    open = (await write(c, 3, 'createDatanet', ['Open', '', 3, { curated: false, nearDuplicatePct: 90 }])).result
    const first = await write(c, 1, 'submitContribution', [open, contentHash(DOC_B), 'ipfs://b', fp(DOC_B)])
    expect(parseEventLogs({ abi, logs: first.receipt.logs }).map((l) => l.eventName)).toEqual(['ContributionSubmitted', 'ContributionApproved'])
    await write(c, 2, 'submitContribution', [open, contentHash(DOC_C), 'ipfs://c', fp(DOC_C)])
    const datanet = await read(c, 'getDatanet', [open])
    expect([datanet.version, datanet.approvedCount, datanet.policy.nearDuplicatePct]).toEqual([2n, 2n, 90])
    expect((await read(c, 'getContribution', [first.result])).status).toBe(Status.Approved)
  })

  it('returns every event through eth_getLogs and a logs subscription', async () => {
    const logs = await c.pub.getLogs({ address: REGISTRY, fromBlock: 0n, toBlock: 'latest' })
    const names = parseEventLogs({ abi, logs }).map((l) => l.eventName)
    expect(names.filter((n) => n === 'DatanetCreated')).toHaveLength(2)
    expect(names.filter((n) => n === 'ContributionApproved')).toHaveLength(3)
    const byOwner = await c.pub.getLogs({ address: REGISTRY, event: abi.find((x) => x.type === 'event' && x.name === 'DatanetCreated') as any, args: { owner: address(c, 3) }, fromBlock: 0n })
    expect(byOwner).toHaveLength(1)

    const ws = await WsClient.connect(t.wsUrl)
    try {
      const sub = await ws.call<string>('eth_subscribe', ['logs', { address: REGISTRY }])
      await write(c, 0, 'addCurator', [curated, address(c, 2)])
      const [note] = await ws.waitFor(sub, 1)
      expect(parseEventLogs({ abi, logs: [note] as any })[0].eventName).toBe('CuratorAdded')
    } finally {
      await ws.close()
    }
  })

  it('fails a transaction with too little gas without any effect', async () => {
    const before = await read(c, 'datanetCount')
    const blockBefore = await c.pub.getBlockNumber()
    const data = encodeFunctionData({ abi, functionName: 'createDatanet', args: ['Starved', '', 3, { curated: true, nearDuplicatePct: 0 }] })
    const estimate = await c.pub.estimateGas({ account: c.wallets[0].account, to: REGISTRY, data })
    const hash = await c.wallets[0].sendTransaction({ to: REGISTRY, data, gas: estimate - 30_000n })
    const receipt = await waitForReceipt(t, hash)
    expect(receipt.status).toBe('0x0')
    expect(receipt.logs).toEqual([])
    expect(BigInt(receipt.gasUsed)).toBe(estimate - 30_000n)
    expect(await read(c, 'datanetCount')).toBe(before)
    expect(await c.pub.getBlockNumber()).toBe(blockBefore + 1n)
  })
})

const CURATOR_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import {IDatanetRegistry} from "precompiles/datanetRegistry/IDatanetRegistry.sol";

contract Pipeline {
    IDatanetRegistry constant REGISTRY = IDatanetRegistry(0x0000000000000000000000000000000000000a01);
    uint64 public datanetId;
    uint64 public lastContribution;
    bytes4 public caught;
    uint64 public caughtId;

    function setUp(address curator) external {
        datanetId = REGISTRY.createDatanet("Pipeline", "ipfs://pipeline", 3, IDatanetRegistry.Policy({curated: false, nearDuplicatePct: 0}));
        REGISTRY.addCurator(datanetId, curator);
    }

    function contribute(bytes32 contentHash, uint64[] calldata fingerprint) external {
        try REGISTRY.submitContribution(datanetId, contentHash, "ipfs://from-contract", fingerprint) returns (uint64 id) {
            lastContribution = id;
        } catch (bytes memory reason) {
            caught = bytes4(reason);
            if (caught == IDatanetRegistry.DuplicateContent.selector) {
                uint64 id;
                assembly { id := mload(add(reason, 36)) }
                caughtId = id;
            }
        }
    }

    function version() external view returns (uint64) {
        return REGISTRY.getDatanet(datanetId).version;
    }
}
`

function compilePipeline(): { abi: any[]; bytecode: Hex } {
  const input = {
    language: 'Solidity',
    sources: { 'Pipeline.sol': { content: CURATOR_SOURCE } },
    settings: { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: (file: string) => ({ contents: readFileSync(path.join(ROOT, file), 'utf8') }) }))
  const errors = (output.errors ?? []).filter((e: any) => e.severity === 'error')
  if (errors.length > 0) throw new Error(errors.map((e: any) => e.formattedMessage).join('\n'))
  const contract = output.contracts['Pipeline.sol'].Pipeline
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` }
}

describe('a Solidity contract using DatanetRegistry through IDatanetRegistry', () => {
  it('creates a Datanet, contributes, and catches the registry revert', async () => {
    const t = await spawnNode()
    try {
      const c = clientsFor(t)
      const pipeline = compilePipeline()
      const wallet = c.wallets[0]
      const deployHash = await wallet.deployContract({ abi: pipeline.abi, bytecode: pipeline.bytecode })
      const at = getAddress((await c.pub.waitForTransactionReceipt({ hash: deployHash, pollingInterval: 50 })).contractAddress!)
      const send = async (functionName: string, args: readonly unknown[]) => {
        const hash = await wallet.writeContract({ address: at, abi: pipeline.abi, functionName, args, gas: 5_000_000n } as any)
        const receipt = await c.pub.waitForTransactionReceipt({ hash, pollingInterval: 50 })
        expect(receipt.status).toBe('success')
        return receipt
      }
      const view = (functionName: string) => c.pub.readContract({ address: at, abi: pipeline.abi, functionName } as any)
      await send('setUp', [address(c, 1)])
      const datanetId = (await view('datanetId')) as bigint
      expect((await read(c, 'getDatanet', [datanetId])).owner).toBe(at)
      expect(await read(c, 'isCurator', [datanetId, address(c, 1)])).toBe(true)

      const receipt = await send('contribute', [contentHash(DOC_A), fp(DOC_A)])
      expect(parseEventLogs({ abi, logs: receipt.logs }).map((l) => [l.address, l.eventName])).toEqual([
        [REGISTRY, 'ContributionSubmitted'],
        [REGISTRY, 'ContributionApproved'],
      ])
      const first = (await view('lastContribution')) as bigint
      expect((await read(c, 'getContribution', [first])).contributor).toBe(at)
      expect(await view('version')).toBe(1n)

      await send('contribute', [contentHash(DOC_A), fp(DOC_B)])
      expect(await view('caught')).toBe(toFunctionSelector('error DuplicateContent(uint64)'))
      expect(await view('caughtId')).toBe(first)
      expect(await view('version')).toBe(1n)
    } finally {
      await t.close()
    }
  })
})

describe('DatanetRegistry state across a restart', () => {
  it('is the same after the node reopens its datadir', async () => {
    const { dir, remove } = await tempDir()
    try {
      let t = await spawnNode({ datadir: dir })
      let c = clientsFor(t)
      const id = (await write(c, 0, 'createDatanet', ['Kept', 'ipfs://kept', 3, { curated: false, nearDuplicatePct: 0 }])).result
      await write(c, 1, 'submitContribution', [id, contentHash(DOC_C), 'ipfs://c', fp(DOC_C)])
      const snapshot = async () => [
        await read(c, 'getDatanet', [id]),
        await read(c, 'getContribution', [1n]),
        await read(c, 'postings', [id, fp(DOC_C)[0]]),
        await read(c, 'contributionsOf', [address(c, 1), 0n, 10n]),
        (await c.pub.getBlock()).stateRoot,
      ]
      const before = await snapshot()
      await t.close()
      t = await spawnNode({ datadir: dir })
      c = clientsFor(t)
      try {
        expect(await snapshot()).toEqual(before)
        expect((before[0] as any).version).toBe(1n)
        expect(await revertOf(c, 2, 'submitContribution', [id, contentHash(DOC_C), '', fp(DOC_A)])).toEqual({ errorName: 'DuplicateContent', args: [1n] })
      } finally {
        await t.close()
      }
    } finally {
      await remove()
    }
  })
})
