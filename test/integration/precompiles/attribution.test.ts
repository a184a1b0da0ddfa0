/**
 * Attribution (0x…0A04) over JSON-RPC on the in-process node, after real signed transactions have
 * created Datanets, approved contributions and registered a model: score() through eth_call, its
 * custom errors decoded by viem, and the same answers after a restart on the datadir and on a second
 * node that imported the first one's blocks from an exported chain file.
 */
import path from 'node:path'
import { keccak256, toHex, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runExport } from '../../../node/cli/export.ts'
import { runImport } from '../../../node/cli/import.ts'
import { iAttributionAbi } from '../../../precompiles/attribution/abi.ts'
import { PRECOMPILE_ADDRESSES } from '../../../precompiles/addresses.ts'
import { iDatanetRegistryAbi } from '../../../precompiles/datanetRegistry/abi.ts'
import { fingerprint } from '../../../precompiles/fingerprint.ts'
import { iModelRegistryAbi } from '../../../precompiles/modelRegistry/abi.ts'
import { spawnNode, tempDir, type TestNode } from '../../support/spawnNode.ts'
import { clientsFor, read, revertOf, write, type Clients, type Target } from './clients.ts'

const DOC_A = 'Open ledgers let every contributor of data be paid whenever a model trained on it earns, in proportion to how much their data helped produce the output.'
const DOC_B = 'Attribution is computed on chain from fingerprints of hashed word shingles, deterministically and in integer arithmetic, so every node agrees to the last wei.'
const DOC_C = 'A Datanet is a community data set with an owner, curators and a policy; contributions are content hashes and fingerprints, never the raw text itself.'
const DOC_D = 'Validators agree on every block with a Byzantine fault tolerant protocol, so a block once committed is final and never reorganised away.'
const ZERO_HASH = `0x${'00'.repeat(32)}` as Hex

const fp = (text: string) => fingerprint(text, { shingleSize: 3 })
const contentHash = (text: string) => keccak256(toHex(text))

const DATANETS: Target = { address: PRECOMPILE_ADDRESSES.datanetRegistry, abi: iDatanetRegistryAbi }
const MODELS: Target = { address: PRECOMPILE_ADDRESSES.modelRegistry, abi: iModelRegistryAbi }
const ATTRIBUTION: Target = { address: PRECOMPILE_ADDRESSES.attribution, abi: iAttributionAbi }

/** Outputs a model might produce: quoting one document, mixing three, quoting none. */
const OUTPUTS = [
  `${DOC_A} That is the whole idea.`,
  `${DOC_C.slice(0, 70)} and so ${DOC_A.slice(40)} ${DOC_D}`,
  'Nothing here was in any Datanet at all, not one shingle of it.',
]

async function score(c: Clients, modelId: bigint, text: string, maxContributors = 32n): Promise<[readonly bigint[], readonly number[]]> {
  return read(c, ATTRIBUTION, 'score', [modelId, fp(text), maxContributors])
}

describe('Attribution over JSON-RPC', () => {
  let dir: { dir: string; remove: () => Promise<void> }
  let t: TestNode | undefined
  let c: Clients
  const ids = { a: 0n, b: 0n, c: 0n, d: 0n }
  let model: bigint

  beforeAll(async () => {
    dir = await tempDir()
    t = await spawnNode({ datadir: dir.dir })
    c = clientsFor(t)
    const open = (await write(c, DATANETS, 0, 'createDatanet', ['Open', '', 3, { curated: false, nearDuplicatePct: 0 }])).result
    const curated = (await write(c, DATANETS, 0, 'createDatanet', ['Curated', '', 3, { curated: true, nearDuplicatePct: 0 }])).result
    ids.a = (await write(c, DATANETS, 1, 'submitContribution', [open, contentHash(DOC_A), 'ipfs://a', fp(DOC_A)])).result
    ids.b = (await write(c, DATANETS, 1, 'submitContribution', [open, contentHash(DOC_B), 'ipfs://b', fp(DOC_B)])).result
    ids.c = (await write(c, DATANETS, 2, 'submitContribution', [curated, contentHash(DOC_C), 'ipfs://c', fp(DOC_C)])).result
    await write(c, DATANETS, 0, 'approve', [ids.c])
    model = (await write(c, MODELS, 1, 'registerModel', ['Model', 'ipfs://m', 'base', ZERO_HASH, [open, curated], 0n])).result
    // Approved after the model's registration: not in the data it was trained on.
    ids.d = (await write(c, DATANETS, 2, 'submitContribution', [open, contentHash(DOC_D), 'ipfs://d', fp(DOC_D)])).result
  })

  afterAll(async () => {
    await t?.close()
    await dir?.remove()
  })

  it('credits the contribution an output copies, most', async () => {
    const [contributionIds, weightsPpm] = await score(c, model, OUTPUTS[0])
    expect(contributionIds).toEqual([ids.a])
    expect(weightsPpm).toEqual([1_000_000])
  })

  it('splits a mixed output among the approved contributions it drew on, leaving out one approved after the model', async () => {
    const [contributionIds, weightsPpm] = await score(c, model, OUTPUTS[1])
    expect(contributionIds).toEqual([ids.a, ids.c])
    expect(weightsPpm[0]).toBeGreaterThan(weightsPpm[1])
    expect(weightsPpm.reduce((s, w) => s + w, 0)).toBe(1_000_000)
    expect(await score(c, model, OUTPUTS[1], 1n)).toEqual([[ids.a], [1_000_000]])
    // A model registered now on the open Datanet was trained on DOC_D's approval too; the output quotes all of DOC_D.
    const later = (await write(c, MODELS, 1, 'registerModel', ['Later', '', '', ZERO_HASH, [1n], 0n])).result
    expect((await score(c, later, OUTPUTS[1]))[0]).toEqual([ids.d, ids.a])
    expect(await score(c, model, OUTPUTS[2])).toEqual([[], []])
  })

  it('reverts with its custom errors, decoded by viem', async () => {
    const long = Array.from({ length: 1_025 }, (_, i) => BigInt(i + 1))
    expect(await revertOf(c, ATTRIBUTION, 0, 'score', [99n, fp(DOC_A), 4n])).toEqual({ errorName: 'ModelNotFound', args: [99n] })
    expect(await revertOf(c, ATTRIBUTION, 0, 'score', [model, long, 4n])).toEqual({ errorName: 'OutputTooLong', args: [1_025n, 1_024n] })
    expect(await revertOf(c, ATTRIBUTION, 0, 'score', [model, [7n, 8n, 7n], 4n])).toEqual({ errorName: 'RepeatedShingle', args: [2n, 7n] })
    expect(await revertOf(c, ATTRIBUTION, 0, 'score', [model, [7n], 33n])).toEqual({ errorName: 'InvalidMaxContributors', args: [33n, 32n] })
    expect(await read(c, ATTRIBUTION, 'limits')).toEqual({ maxOutputShingles: 1_024, maxContributors: 32, maxPostingsRead: 65_536, runBonusCap: 4 })
  })

  it('gives the same answers after a restart on its datadir, and on a second node that imported its blocks', async () => {
    const answers = async (clients: Clients) => Promise.all(OUTPUTS.map((text) => score(clients, model, text)))
    const before = await answers(c)
    const head = await c.pub.getBlock()
    await t!.close()
    t = await spawnNode({ datadir: dir.dir })
    c = clientsFor(t)
    expect(await answers(c)).toEqual(before)
    expect((await c.pub.getBlock()).hash).toBe(head.hash)
    await t.close()
    t = undefined

    const second = await tempDir()
    const file = path.join(second.dir, 'chain.rlp')
    try {
      expect(await runExport([file, '--datadir', dir.dir])).toBe(0)
      expect(await runImport([file, '--datadir', path.join(second.dir, 'data')])).toBe(0)
      const imported = await spawnNode({ datadir: path.join(second.dir, 'data') })
      try {
        const ic = clientsFor(imported)
        expect((await ic.pub.getBlock()).hash).toBe(head.hash)
        expect(await answers(ic)).toEqual(before)
      } finally {
        await imported.close()
      }
    } finally {
      await second.remove()
    }
  })
})
