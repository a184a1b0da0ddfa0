import { readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DoubleSignError, SignGuardFileError } from '../../../node/consensus/errors.ts'
import { decodeSigned, encodeSigned, type Vote } from '../../../node/consensus/messages.ts'
import { SignGuard } from '../../../node/consensus/signGuard.ts'
import { GuardedSigner } from '../../../node/consensus/signer.ts'
import { tempDir } from '../support/harness.ts'
import { CHAIN_ID, testBlock, testValidators } from './fixtures.ts'

const { keys } = testValidators(1)
const A = testBlock('a')
const B = testBlock('b')

let dir: string
let remove: () => Promise<void>
beforeAll(async () => ({ dir, remove } = await tempDir('olnode-guard-')))
afterAll(() => remove())

function vote(height: bigint, round: number, kind: Vote['kind'], blockHash: Uint8Array | undefined): Vote {
  return { kind, height, round, blockHash }
}

async function refused(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(DoubleSignError)
  return (err as Error).message
}

async function signerAt(file: string): Promise<GuardedSigner> {
  return new GuardedSigner(keys[0].privateKey, keys[0].address, CHAIN_ID, await SignGuard.open(file))
}

describe('SignGuard', () => {
  it('signs forward, re-signs identical bytes, refuses different bytes at the same position and anything lower', async () => {
    const signer = await signerAt(path.join(dir, 'forward.json'))
    const first = await signer.sign(vote(5n, 1, 'prevote', A.blockHash))
    expect(decodeSigned(encodeSigned(first), CHAIN_ID).signer).toBe(keys[0].address)
    expect((await signer.sign(vote(5n, 1, 'prevote', A.blockHash))).signature).toEqual(first.signature)
    expect(await refused(signer.sign(vote(5n, 1, 'prevote', B.blockHash)))).toMatch(/different bytes/)
    expect(await refused(signer.sign(vote(5n, 1, 'prevote', undefined)))).toMatch(/different bytes/)
    await signer.sign(vote(5n, 1, 'precommit', undefined))
    expect(await refused(signer.sign(vote(5n, 1, 'prevote', A.blockHash)))).toMatch(/already signed/)
    await signer.sign(vote(5n, 2, 'prevote', B.blockHash))
    expect(await refused(signer.sign(vote(5n, 1, 'precommit', undefined)))).toMatch(/already signed/)
    expect(await refused(signer.sign(vote(4n, 9, 'precommit', undefined)))).toMatch(/already signed/)
    await signer.sign({ kind: 'proposal', height: 6n, round: 0, blockHash: A.blockHash, block: A.block, validRound: -1 })
  })

  it('remembers across a reopen: refuses there what it refused before, and re-signs the same bytes', async () => {
    const file = path.join(dir, 'reopen.json')
    const before = await signerAt(file)
    const signed = await before.sign(vote(9n, 3, 'precommit', A.blockHash))
    const after = await signerAt(file)
    expect(await refused(after.sign(vote(9n, 3, 'precommit', B.blockHash)))).toMatch(/different bytes/)
    expect(await refused(after.sign(vote(9n, 3, 'prevote', A.blockHash)))).toMatch(/already signed/)
    expect(await refused(after.sign(vote(8n, 0, 'prevote', A.blockHash)))).toMatch(/already signed/)
    expect((await after.sign(vote(9n, 3, 'precommit', A.blockHash))).signature).toEqual(signed.signature)
    expect((await SignGuard.open(file)).lastPosition).toEqual({ height: 9n, round: 3, step: 3 })
  })

  it('persists before the signature is returned, and a concurrent conflicting request loses', async () => {
    const file = path.join(dir, 'race.json')
    const signer = await signerAt(file)
    const results = await Promise.allSettled([signer.sign(vote(2n, 0, 'prevote', A.blockHash)), signer.sign(vote(2n, 0, 'prevote', B.blockHash))])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected'])
    const stored = JSON.parse(await readFile(file, 'utf8'))
    expect(stored).toMatchObject({ height: '2', round: 0, step: 2 })
    expect((await readdir(dir)).filter((f) => f.startsWith('race.json.tmp'))).toEqual([])
  })

  it('a torn or corrupt state file stops signing instead of being taken as empty; a leftover temp file is ignored', async () => {
    const file = path.join(dir, 'corrupt.json')
    await writeFile(file, '{"height": "3", "round": 0, "st')
    await expect(SignGuard.open(file)).rejects.toBeInstanceOf(SignGuardFileError)
    // A crash between writing the temp file and the rename leaves the old state in force.
    const kept = path.join(dir, 'kept.json')
    const signer = await signerAt(kept)
    await signer.sign(vote(4n, 0, 'prevote', A.blockHash))
    await writeFile(`${kept}.tmp`, 'half a')
    expect((await SignGuard.open(kept)).lastPosition).toEqual({ height: 4n, round: 0, step: 2 })
    expect(await refused((await signerAt(kept)).sign(vote(4n, 0, 'prevote', B.blockHash)))).toMatch(/different bytes/)
  })

  it('a state file it cannot write refuses to sign', async () => {
    const signer = await signerAt(path.join(dir, 'no-such-dir', 'state.json'))
    await expect(signer.sign(vote(1n, 0, 'prevote', A.blockHash))).rejects.toBeInstanceOf(SignGuardFileError)
  })
})

describe('the lock the guard keeps', () => {
  it('is the last block precommitted at the height, survives a reopen, stays over later nil votes and ends with the height', async () => {
    const file = path.join(dir, 'lock.json')
    const signer = await signerAt(file)
    await signer.sign(vote(3n, 0, 'prevote', A.blockHash))
    expect((await SignGuard.open(file)).lock).toBeUndefined()
    await signer.sign(vote(3n, 0, 'precommit', A.blockHash))
    await signer.sign(vote(3n, 1, 'prevote', undefined))
    await signer.sign(vote(3n, 1, 'precommit', undefined))
    expect((await SignGuard.open(file)).lock).toEqual({ height: 3n, round: 0, blockHash: A.blockHash })
    await signer.sign(vote(3n, 2, 'precommit', B.blockHash))
    expect((await SignGuard.open(file)).lock).toEqual({ height: 3n, round: 2, blockHash: B.blockHash })
    await signer.sign(vote(4n, 0, 'prevote', undefined))
    expect((await SignGuard.open(file)).lock).toBeUndefined()
  })
})
