import { bytesToHex } from '@ethereumjs/util'
import { RLP } from '@ethereumjs/rlp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { certifiedBlocks, decodeCertifiedBlock, encodeCertifiedBlock } from '../../../node/chain/certifiedBlocks.ts'
import { BlockImportError } from '../../../node/execution/errors.ts'
import { BlockImporter } from '../../../node/execution/importBlock.ts'
import { KEY_A, contractsGenesis, mineOn, openExecution, tx1559, type ExecParts } from '../support/harness.ts'

/** A stand-in certificate: the chain stores and serves it as opaque bytes (node/consensus makes real ones). */
const certificateFor = (n: number) => Uint8Array.from([0xc0 + n, n, n])

describe('certified blocks', () => {
  let source: ExecParts
  let follower: ExecParts

  beforeEach(async () => {
    source = await openExecution({ genesis: contractsGenesis() })
    follower = await openExecution({ genesis: contractsGenesis() })
    for (let i = 0; i < 4; i++) await mineOn(source, [tx1559(source.common, KEY_A, BigInt(i), { value: 1n })])
  })
  afterEach(async () => {
    await source.kv.close()
    await follower.kv.close()
  })

  it('are stored with their block in its batch and served in ranges, stopping at the first block without one', async () => {
    const importer = new BlockImporter(follower.chain, follower.execution)
    for (let n = 1; n <= 3; n++) await importer.importBlock((await source.chain.blockByNumber(BigInt(n)))!, certificateFor(n))
    await importer.importBlock((await source.chain.blockByNumber(4n))!)
    const served = await certifiedBlocks(follower.chain, 1n, 10)
    expect(served).toHaveLength(3)
    const decoded = served.map((bytes) => decodeCertifiedBlock(bytes, follower.common))
    expect(decoded.map((d) => bytesToHex(d.block.hash()))).toEqual(await Promise.all([1n, 2n, 3n].map(async (n) => bytesToHex((await source.chain.canonicalHash(n))!))))
    expect(decoded.map((d) => d.certificate)).toEqual([1, 2, 3].map(certificateFor))
    expect(await certifiedBlocks(follower.chain, 2n, 1)).toHaveLength(1)
    expect(await certifiedBlocks(follower.chain, 9n, 5)).toEqual([])
  })

  it('refuse to decode anything but RLP [block, certificate]', async () => {
    const block = (await source.chain.blockByNumber(1n))!
    const good = encodeCertifiedBlock({ block, certificate: certificateFor(1) })
    expect(bytesToHex(decodeCertifiedBlock(good, source.common).block.hash())).toBe(bytesToHex(block.hash()))
    for (const bad of [Uint8Array.of(0xff, 1), RLP.encode([block.serialize()]), RLP.encode([block.serialize(), [Uint8Array.of(1)]]), RLP.encode([Uint8Array.of(1, 2), Uint8Array.of(3)])]) {
      expect(() => decodeCertifiedBlock(bad, source.common)).toThrow(BlockImportError)
    }
  })
})
