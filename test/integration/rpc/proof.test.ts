/**
 * eth_getProof (EIP-1186): every proof checked against the block's state root with @ethereumjs/mpt,
 * the account decoded from the proven leaf, storage proven against the storage hash, proofs of
 * absence, and an old block proven against its own root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MerklePatriciaTrie, verifyMPTWithMerkleProof } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { bytesToBigInt, bytesToHex, hexToBytes } from '@ethereumjs/util'
import { AbiCoder, Wallet, keccak256 } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { DEV_ADDRESSES, big, deployProbe, devWallet, hex, num, probe, rpcError, sendAndMine, word } from './helpers.ts'

const ZERO_HASH = word(0)
const EMPTY_CODE_HASH = keccak256('0x')
const EMPTY_ROOT = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'

const bytes = (h: string) => hexToBytes(h as `0x${string}`)

/** The value the proof shows under `key` in the trie of `root` (null: proven absent); throws if the proof is not of that root. */
async function provenValue(root: string, key: string, proof: string[]): Promise<Uint8Array | null> {
  return verifyMPTWithMerkleProof(new MerklePatriciaTrie({ useKeyHashing: true }), bytes(root), bytes(key), proof.map(bytes))
}

/** The account leaf's fields: [nonce, balance, storageRoot, codeHash]. */
function decodeAccount(leaf: Uint8Array) {
  const [nonce, balance, storageRoot, codeHash] = RLP.decode(leaf) as Uint8Array[]
  return { nonce: bytesToBigInt(nonce), balance: bytesToBigInt(balance), storageRoot: bytesToHex(storageRoot), codeHash: bytesToHex(codeHash) }
}

describe('eth_getProof', () => {
  let t: TestNode
  const owner = devWallet(0)
  const alice = DEV_ADDRESSES[1]
  let contract: string
  let deployBlock: any
  let latest: any
  /** Slot of credits[alice]: keccak(pad(alice) . pad(2)). */
  const creditSlot = keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [alice, 2]))

  beforeAll(async () => {
    t = await spawnNode()
    const deployed = await deployProbe(t, owner, 42n)
    contract = deployed.address
    deployBlock = await t.call('eth_getBlockByNumber', [deployed.receipt.blockNumber, false])
    await sendAndMine(t, owner, { to: contract, data: probe.encodeFunctionData('setValue', [7n]), gasLimit: 100_000n })
    await sendAndMine(t, owner, { to: contract, data: probe.encodeFunctionData('credit', [alice, 99n]), gasLimit: 100_000n })
    latest = await t.call('eth_getBlockByNumber', ['latest', false])
  })
  afterAll(async () => {
    await t?.close()
  })

  it('proves a contract account and its slots against the state root; the proven leaf is what the answer says', async () => {
    const proof = await t.call('eth_getProof', [contract, [ZERO_HASH, word(1), creditSlot], 'latest'])
    expect(proof.address).toBe(contract)
    const account = decodeAccount((await provenValue(latest.stateRoot, contract, proof.accountProof))!)
    expect(account).toEqual({ nonce: 1n, balance: 0n, storageRoot: proof.storageHash, codeHash: proof.codeHash })
    expect(proof.nonce).toBe('0x1')
    expect(proof.balance).toBe('0x0')
    expect(proof.codeHash).toBe(keccak256(await t.call('eth_getCode', [contract, 'latest'])))

    const values = [7n, BigInt(owner.address), 99n]
    expect(proof.storageProof.map((p: any) => p.key)).toEqual([ZERO_HASH, word(1), creditSlot])
    for (const [i, p] of proof.storageProof.entries()) {
      expect(big(p.value)).toBe(values[i])
      const leaf = await provenValue(proof.storageHash, p.key, p.proof)
      expect(bytesToBigInt(RLP.decode(leaf!) as Uint8Array)).toBe(values[i])
    }
  })

  it('an externally owned account: balance and nonce proven, empty code and storage', async () => {
    const proof = await t.call('eth_getProof', [owner.address, [], 'latest'])
    const account = decodeAccount((await provenValue(latest.stateRoot, owner.address, proof.accountProof))!)
    expect(account.balance).toBe(big(await t.call('eth_getBalance', [owner.address, 'latest'])))
    expect(account.nonce).toBe(BigInt(num(await t.call('eth_getTransactionCount', [owner.address, 'latest']))))
    expect(proof).toMatchObject({ balance: hex(account.balance), nonce: hex(account.nonce), codeHash: EMPTY_CODE_HASH, storageHash: EMPTY_ROOT, storageProof: [] })
  })

  it('an empty slot is proven absent from the storage trie, value 0', async () => {
    const proof = await t.call('eth_getProof', [contract, [word(5)], 'latest'])
    const [slot] = proof.storageProof
    expect(slot.value).toBe('0x0')
    expect(slot.proof.length).toBeGreaterThan(0)
    expect(await provenValue(proof.storageHash, word(5), slot.proof)).toBeNull()
  })

  it('an account that does not exist: a proof of absence, and geth\'s zero fields', async () => {
    const nobody = Wallet.createRandom().address.toLowerCase()
    const proof = await t.call('eth_getProof', [nobody, [word(1)], 'latest'])
    expect(proof.accountProof.length).toBeGreaterThan(0)
    expect(await provenValue(latest.stateRoot, nobody, proof.accountProof)).toBeNull()
    expect(proof).toEqual({
      address: nobody,
      accountProof: proof.accountProof,
      balance: '0x0',
      codeHash: ZERO_HASH,
      nonce: '0x0',
      storageHash: ZERO_HASH,
      storageProof: [{ key: word(1), value: '0x0', proof: [] }],
    })
  })

  it('at an older block: proven against that block\'s root, with the values of then', async () => {
    const proof = await t.call('eth_getProof', [contract, [ZERO_HASH, creditSlot], deployBlock.number])
    expect(deployBlock.stateRoot).not.toBe(latest.stateRoot)
    await provenValue(deployBlock.stateRoot, contract, proof.accountProof)
    await expect(provenValue(latest.stateRoot, contract, proof.accountProof)).rejects.toThrow()
    expect(proof.storageProof.map((p: any) => p.value)).toEqual(['0x2a', '0x0'])
    const leaf = await provenValue(proof.storageHash, ZERO_HASH, proof.storageProof[0].proof)
    expect(bytesToBigInt(RLP.decode(leaf!) as Uint8Array)).toBe(42n)
    expect(await provenValue(proof.storageHash, creditSlot, proof.storageProof[1].proof)).toBeNull()
    // By EIP-1898 hash, the same answer.
    expect(await t.call('eth_getProof', [contract, [ZERO_HASH, creditSlot], { blockHash: deployBlock.hash }])).toEqual(proof)
  })

  it('echoes keys as geth does: a 32-byte key as given, a shorter one as a quantity', async () => {
    const proof = await t.call('eth_getProof', [contract, ['0x0', '0x00', '1', ZERO_HASH], 'latest'])
    expect(proof.storageProof.map((p: any) => [p.key, p.value])).toEqual([
      ['0x0', '0x7'],
      ['0x0', '0x7'],
      ['0x1', hex(BigInt(owner.address))],
      [ZERO_HASH, '0x7'],
    ])
  })

  it('refuses bad keys, too many keys and a missing block with geth\'s errors', async () => {
    expect(await rpcError(t, 'eth_getProof', [contract, ['0x' + '0'.repeat(66)], 'latest'])).toEqual({
      code: -32602,
      message: `storage key too long (want at most 32 bytes): "0x${'0'.repeat(66)}"`,
    })
    expect(await rpcError(t, 'eth_getProof', [contract, ['0xzz'], 'latest'])).toEqual({ code: -32602, message: 'invalid hex in storage key: "0xzz"' })
    expect(await rpcError(t, 'eth_getProof', [contract, Array(1025).fill('0x0'), 'latest'])).toEqual({
      code: -32602,
      message: 'too many storage keys requested (max 1024, got 1025)',
    })
    expect(await rpcError(t, 'eth_getProof', [contract, [], hex(10_000)])).toEqual({ code: -32000, message: 'header not found' })
    expect((await rpcError(t, 'eth_getProof', [contract, []])).code).toBe(-32602)
  })
})
