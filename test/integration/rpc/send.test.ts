/**
 * Sending and signing: eth_accounts, eth_sendRawTransaction (every type, and geth's refusals),
 * eth_sendTransaction from dev accounts, eth_sign / personal_sign / eth_signTypedData_v4.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Transaction, Wallet, decodeRlp, encodeRlp, getBytes, hexlify, keccak256, toUtf8Bytes, verifyMessage, verifyTypedData, getCreateAddress } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import {
  BLOCK_GAS_LIMIT,
  DEV_ADDRESSES,
  DEV_BALANCE,
  GWEI,
  big,
  compileProbe,
  devWallet,
  hex,
  nextBaseFee,
  num,
  probe,
  probeDeployData,
  rpcError,
  sendAndMine,
  sendTx,
  signTx,
  waitForReceipt,
  word,
} from './helpers.ts'

/** EIP-712's example (Mail from Cow to Bob), as MetaMask sends it: with the EIP712Domain type. */
const MAIL = {
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallet', type: 'address' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person' },
      { name: 'contents', type: 'string' },
    ],
  },
  primaryType: 'Mail',
  domain: { name: 'Ether Mail', version: '1', chainId: 1337, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!',
  },
}
const MAIL_TYPES = { Person: MAIL.types.Person, Mail: MAIL.types.Mail }

describe('send and sign methods (automine)', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await spawnNode()
  })
  afterAll(async () => {
    await t?.close()
  })

  it('eth_accounts lists the 10 dev accounts of the "test ... junk" mnemonic, in order', async () => {
    const accounts = await t.call<string[]>('eth_accounts')
    expect(accounts).toEqual(DEV_ADDRESSES)
    expect(accounts[0]).toBe('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266')
    expect(accounts).toHaveLength(10)
  })

  describe('eth_sendRawTransaction', () => {
    const cases = [
      { label: 'legacy (EIP-155)', type: 0, tx: { gasPrice: 3n * GWEI } },
      { label: 'EIP-2930', type: 1, tx: { gasPrice: 3n * GWEI, accessList: [{ address: DEV_ADDRESSES[9], storageKeys: [word(1)] }] } },
      { label: 'EIP-1559', type: 2, tx: { maxFeePerGas: 4n * GWEI, maxPriorityFeePerGas: 2n * GWEI } },
    ]
    for (const { label, type, tx } of cases) {
      it(`${label}: returns the hash of the signed bytes, and the transaction is mined as signed`, async () => {
        const wallet = devWallet(1)
        const to = Wallet.createRandom().address.toLowerCase()
        const raw = await signTx(t, wallet, { ...tx, type, to, value: 1234n, gasLimit: 50_000n })
        const hash = await t.call<string>('eth_sendRawTransaction', [raw])
        expect(hash).toBe(keccak256(raw))
        const receipt = await waitForReceipt(t, hash)
        expect(receipt).toMatchObject({ status: '0x1', type: hex(type), from: wallet.address.toLowerCase(), to })
        expect(big(await t.call('eth_getBalance', [to, 'latest']))).toBe(1234n)
        const mined = await t.call('eth_getTransactionByHash', [hash])
        const signed = Transaction.from(raw)
        expect(mined).toMatchObject({ type: hex(type), nonce: hex(signed.nonce), gas: hex(50_000n), value: hex(1234n), chainId: '0x539' })
        if (type === 0) expect([hex(1337n * 2n + 35n), hex(1337n * 2n + 36n)]).toContain(mined.v)
        if (type === 1) expect(mined.accessList).toEqual([{ address: DEV_ADDRESSES[9], storageKeys: [word(1)] }])
        if (type === 2) expect(mined).toMatchObject({ maxFeePerGas: hex(4n * GWEI), maxPriorityFeePerGas: hex(2n * GWEI) })
      })
    }

    it('deploys a contract (no `to`) at the CREATE address', async () => {
      const wallet = devWallet(1)
      const nonce = num(await t.call('eth_getTransactionCount', [wallet.address, 'pending']))
      const receipt = await sendAndMine(t, wallet, { data: probeDeployData(5n), gasLimit: 1_000_000n, nonce })
      expect(receipt.contractAddress).toBe(getCreateAddress({ from: wallet.address, nonce }).toLowerCase())
      expect(await t.call('eth_getCode', [receipt.contractAddress, 'latest'])).toBe(compileProbe().deployedBytecode)
    })
  })

  describe('eth_sendRawTransaction refusals, with geth\'s messages', () => {
    const refused = async (raw: string) => {
      const err = await rpcError(t, 'eth_sendRawTransaction', [raw])
      expect(err.code).toBe(-32000)
      return err.message
    }
    const wallet = devWallet(2)
    const transfer = { to: DEV_ADDRESSES[3], value: 1n, gasLimit: 21_000n }

    it('malformed bytes: the envelope and RLP errors of types.Transaction.UnmarshalBinary', async () => {
      const good = await signTx(t, wallet, transfer)
      expect(await refused('0x')).toBe('typed transaction too short')
      expect(await refused('0x02')).toBe('typed transaction too short')
      expect(await refused('0x05aabbcc')).toBe('transaction type not supported')
      expect(await refused('0x80')).toBe('rlp: expected input list for types.LegacyTx')
      expect(await refused('0xc0')).toBe('rlp: too few elements for types.LegacyTx')
      expect(await refused('0x02c0')).toBe('rlp: too few elements for types.DynamicFeeTx')
      expect(await refused('0x01c0')).toBe('rlp: too few elements for types.AccessListTx')
      expect(await refused(good.slice(0, -10))).toBe('rlp: value size exceeds available input length')
      expect(await refused(good + '00')).toBe('rlp: input contains more than one value')
      // Nothing of these reached the pool.
      expect(await t.call('eth_getTransactionCount', [wallet.address, 'pending'])).toBe(await t.call('eth_getTransactionCount', [wallet.address, 'latest']))
    })

    it('a chain id with leading zero bytes: geth\'s non-canonical integer, since the re-encoded transaction would hash differently', async () => {
      const nonce = num(await t.call('eth_getTransactionCount', [wallet.address, 'pending']))
      const padChainId = (raw: string) => {
        const fields = decodeRlp(`0x${raw.slice(4)}`) as string[]
        return raw.slice(0, 4) + encodeRlp([`0x00${fields[0].slice(2)}`, ...fields.slice(1)]).slice(2)
      }
      const dynamic = await wallet.signTransaction({ ...transfer, nonce, type: 2, maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: GWEI, chainId: 1337n })
      expect(await refused(padChainId(dynamic))).toBe('rlp: non-canonical integer (leading zero bytes) for *big.Int, decoding into (types.DynamicFeeTx).ChainID')
      const accessList = await wallet.signTransaction({ ...transfer, nonce, type: 1, gasPrice: 3n * GWEI, chainId: 1337n })
      expect(await refused(padChainId(accessList))).toBe('rlp: non-canonical integer (leading zero bytes) for *big.Int, decoding into (types.AccessListTx).ChainID')
      expect(await t.call('eth_getTransactionCount', [wallet.address, 'pending'])).toBe(hex(BigInt(nonce)))
    })

    it('signed for another chain: "invalid sender: invalid chain id for signer"', async () => {
      const nonce = num(await t.call('eth_getTransactionCount', [wallet.address, 'pending']))
      const legacy = await wallet.signTransaction({ ...transfer, nonce, type: 0, gasPrice: 3n * GWEI, chainId: 1n })
      expect(await refused(legacy)).toBe('invalid sender: invalid chain id for signer: have 1 want 1337')
      const dynamic = await wallet.signTransaction({ ...transfer, nonce, type: 2, maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: GWEI, chainId: 10n })
      expect(await refused(dynamic)).toBe('invalid sender: invalid chain id for signer: have 10 want 1337')
    })

    it('nonce too low', async () => {
      await sendAndMine(t, wallet, transfer)
      const next = num(await t.call('eth_getTransactionCount', [wallet.address, 'latest']))
      expect(next).toBeGreaterThan(0)
      expect(await refused(await signTx(t, wallet, { ...transfer, nonce: 0 }))).toBe(`nonce too low: next nonce ${next}, tx nonce 0`)
    })

    it('insufficient funds: cost = gas * fee cap + value', async () => {
      const pauper = Wallet.createRandom()
      const cost = 21_000n * 10n * GWEI + 5n
      const raw = await signTx(t, pauper as unknown as Wallet, { ...transfer, value: 5n, nonce: 0, maxFeePerGas: 10n * GWEI })
      expect(await refused(raw)).toBe(`insufficient funds for gas * price + value: balance 0, tx cost ${cost}, overshot ${cost}`)
      const tooMuch = await signTx(t, wallet, { ...transfer, value: DEV_BALANCE })
      expect(await refused(tooMuch)).toMatch(/^insufficient funds for gas \* price \+ value: balance \d+, tx cost \d+, overshot \d+$/)
    })

    it('intrinsic gas too low', async () => {
      expect(await refused(await signTx(t, wallet, { ...transfer, gasLimit: 20_000n }))).toBe('intrinsic gas too low: gas 20000, minimum needed 21000')
      const withData = await signTx(t, wallet, { ...transfer, gasLimit: 21_000n, data: '0x0100' })
      expect(await refused(withData)).toBe('intrinsic gas too low: gas 21000, minimum needed 21020')
    })

    it('over the block gas limit, and a fee cap below the base fee', async () => {
      expect(await refused(await signTx(t, wallet, { ...transfer, gasLimit: BLOCK_GAS_LIMIT + 1n }))).toBe('exceeds block gas limit')
      const latest = await t.call('eth_getBlockByNumber', ['latest', false])
      const message = await refused(await signTx(t, wallet, { ...transfer, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }))
      expect(message).toBe(`max fee per gas less than block base fee: address ${wallet.address}, maxFeePerGas: 1, baseFee: ${nextBaseFee(latest)}`)
    })

    it('the same transaction twice: "already known"', async () => {
      const manual = await spawnNode({ mining: { kind: 'manual' } })
      try {
        const raw = await signTx(manual, wallet, transfer)
        expect(await manual.call('eth_sendRawTransaction', [raw])).toBe(keccak256(raw))
        expect(await manual.rpc('eth_sendRawTransaction', [raw])).toMatchObject({ error: { code: -32000, message: 'already known' } })
      } finally {
        await manual.close()
      }
    })
  })

  describe('eth_sendTransaction from a dev account', () => {
    const to = Wallet.createRandom().address.toLowerCase()

    it('without gas or fees: gas estimated (21000), EIP-1559 with the suggested tip and 2 * base fee + tip as cap', async () => {
      const from = DEV_ADDRESSES[3]
      const latest = await t.call('eth_getBlockByNumber', ['latest', false])
      const nonce = await t.call('eth_getTransactionCount', [from, 'pending'])
      const hash = await t.call<string>('eth_sendTransaction', [{ from, to, value: hex(777n) }])
      const receipt = await waitForReceipt(t, hash)
      expect(receipt).toMatchObject({ status: '0x1', from, to, gasUsed: hex(21_000n) })
      const tx = await t.call('eth_getTransactionByHash', [hash])
      expect(tx).toMatchObject({ type: '0x2', gas: hex(21_000n), nonce, value: hex(777n), maxPriorityFeePerGas: hex(GWEI), chainId: '0x539' })
      expect(big(tx.maxFeePerGas)).toBe(2n * nextBaseFee(latest) + GWEI)
      expect(big(await t.call('eth_getBalance', [to, 'latest']))).toBe(777n)
    })

    it('with gas and EIP-1559 fees given: sent exactly so', async () => {
      const from = DEV_ADDRESSES[3]
      const hash = await t.call<string>('eth_sendTransaction', [{ from, to, value: '0x1', gas: hex(50_000n), maxFeePerGas: hex(3n * GWEI), maxPriorityFeePerGas: hex(2n * GWEI) }])
      expect((await waitForReceipt(t, hash)).status).toBe('0x1')
      expect(await t.call('eth_getTransactionByHash', [hash])).toMatchObject({ type: '0x2', gas: hex(50_000n), maxFeePerGas: hex(3n * GWEI), maxPriorityFeePerGas: hex(2n * GWEI) })
    })

    it('with gasPrice: a legacy transaction; with gasPrice and an access list: EIP-2930', async () => {
      const from = DEV_ADDRESSES[3]
      const legacy = await t.call<string>('eth_sendTransaction', [{ from, to, value: '0x1', gasPrice: hex(5n * GWEI) }])
      expect((await waitForReceipt(t, legacy)).status).toBe('0x1')
      expect(await t.call('eth_getTransactionByHash', [legacy])).toMatchObject({ type: '0x0', gasPrice: hex(5n * GWEI), gas: hex(21_000n) })
      const accessList = [{ address: to, storageKeys: [] }]
      const typed = await t.call<string>('eth_sendTransaction', [{ from, to, value: '0x1', gasPrice: hex(5n * GWEI), accessList }])
      expect((await waitForReceipt(t, typed)).status).toBe('0x1')
      expect(await t.call('eth_getTransactionByHash', [typed])).toMatchObject({ type: '0x1', gasPrice: hex(5n * GWEI), accessList })
    })

    it('a deployment and a contract call, gas estimated', async () => {
      const from = DEV_ADDRESSES[4]
      const deploy = await waitForReceipt(t, await t.call('eth_sendTransaction', [{ from, data: probeDeployData(1n) }]))
      expect(deploy.status).toBe('0x1')
      expect(deploy.contractAddress).toBe(getCreateAddress({ from, nonce: 0 }).toLowerCase())
      const set = await waitForReceipt(t, await t.call('eth_sendTransaction', [{ from, to: deploy.contractAddress, input: probe.encodeFunctionData('setValue', [99n]) }]))
      expect(set.status).toBe('0x1')
      expect(await t.call('eth_getStorageAt', [deploy.contractAddress, '0x0', 'latest'])).toBe(word(99))
      // A call that would revert is refused at estimation, as geth does: code 3 with the reason.
      const err = await rpcError(t, 'eth_sendTransaction', [{ from, to: deploy.contractAddress, data: probe.encodeFunctionData('fail', ['stop']) }])
      expect(err).toMatchObject({ code: 3, message: 'execution reverted: stop' })
    })

    it('from an account the node has no key for: -32000 "unknown account"', async () => {
      const err = await rpcError(t, 'eth_sendTransaction', [{ from: Wallet.createRandom().address, to, value: '0x1' }])
      expect(err).toEqual({ code: -32000, message: 'unknown account' })
    })
  })

  describe('signing', () => {
    const signer = devWallet(5)
    const address = DEV_ADDRESSES[5]

    it('eth_sign(address, data) and personal_sign(data, address): EIP-191 signatures by the dev key', async () => {
      for (const data of [hexlify(toUtf8Bytes('hello olnode')), keccak256('0x1234'), '0x']) {
        const viaEthSign = await t.call<string>('eth_sign', [address, data])
        const viaPersonal = await t.call<string>('personal_sign', [data, address])
        expect(verifyMessage(getBytes(data), viaEthSign).toLowerCase()).toBe(address)
        expect(viaPersonal).toBe(viaEthSign)
        expect(viaEthSign).toBe(await signer.signMessage(getBytes(data)))
      }
    })

    it('eth_signTypedData_v4: the EIP-712 signature, for the object and the JSON-string forms', async () => {
      const fromObject = await t.call<string>('eth_signTypedData_v4', [address, MAIL])
      const fromString = await t.call<string>('eth_signTypedData_v4', [address, JSON.stringify(MAIL)])
      expect(verifyTypedData(MAIL.domain, MAIL_TYPES, MAIL.message, fromObject).toLowerCase()).toBe(address)
      expect(fromString).toBe(fromObject)
      expect(fromObject).toBe(await signer.signTypedData(MAIL.domain, MAIL_TYPES, MAIL.message))
    })

    it('eth_signTypedData_v4 signs the primaryType even when `types` defines more (as MetaMask and geth do)', async () => {
      const withExtra = { ...MAIL, types: { ...MAIL.types, Unused: [{ name: 'x', type: 'uint256' }] } }
      const sig = await t.call<string>('eth_signTypedData_v4', [address, withExtra])
      expect(verifyTypedData(MAIL.domain, MAIL_TYPES, MAIL.message, sig).toLowerCase()).toBe(address)
      // The primary type may itself be used by other types listed: Person alone.
      const person = { ...MAIL, primaryType: 'Person', message: MAIL.message.from }
      const personSig = await t.call<string>('eth_signTypedData_v4', [address, person])
      expect(verifyTypedData(MAIL.domain, { Person: MAIL.types.Person }, MAIL.message.from, personSig).toLowerCase()).toBe(address)
    })

    it('refuses unknown accounts and malformed typed data', async () => {
      const stranger = Wallet.createRandom().address
      expect(await rpcError(t, 'eth_sign', [stranger, '0x00'])).toEqual({ code: -32000, message: 'unknown account' })
      expect(await rpcError(t, 'personal_sign', ['0x00', stranger])).toEqual({ code: -32000, message: 'unknown account' })
      expect(await rpcError(t, 'eth_signTypedData_v4', [stranger, MAIL])).toEqual({ code: -32000, message: 'unknown account' })
      expect((await rpcError(t, 'eth_signTypedData_v4', [address, '{not json'])).code).toBe(-32602)
      expect((await rpcError(t, 'eth_signTypedData_v4', [address, { domain: MAIL.domain }])).code).toBe(-32602)
    })
  })
})

describe('replacement of a pooled transaction (manual mining)', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await spawnNode({ mining: { kind: 'manual' } })
  })
  afterAll(async () => {
    await t?.close()
  })

  it('"replacement transaction underpriced" below a 10% bump of both caps; a 10% bump replaces it', async () => {
    const wallet = devWallet(6)
    const to = Wallet.createRandom().address
    const base = { to, value: 1n, gasLimit: 21_000n, nonce: 0 }
    const first = await sendTx(t, wallet, { ...base, maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: 2n * GWEI })
    for (const [maxFeePerGas, maxPriorityFeePerGas] of [
      [10n * GWEI, 2n * GWEI + 1n], // same cap
      [105n * GWEI / 10n, 21n * GWEI / 10n], // +5%
      [11n * GWEI, 2n * GWEI], // the tip not bumped
    ]) {
      const raw = await signTx(t, wallet, { ...base, maxFeePerGas, maxPriorityFeePerGas })
      expect(await t.rpc('eth_sendRawTransaction', [raw])).toMatchObject({ error: { code: -32000, message: 'replacement transaction underpriced' } })
    }
    expect((await t.call('eth_getTransactionByHash', [first])).hash).toBe(first)

    const second = await sendTx(t, wallet, { ...base, maxFeePerGas: 11n * GWEI, maxPriorityFeePerGas: 22n * GWEI / 10n })
    expect(await t.call('eth_getTransactionByHash', [first])).toBeNull()
    expect((await t.call('eth_getTransactionByHash', [second])).blockHash).toBeNull()
    await t.node.miner.mine()
    expect((await t.call('eth_getTransactionReceipt', [second])).status).toBe('0x1')
    expect(await t.call('eth_getTransactionReceipt', [first])).toBeNull()
    expect(await t.call('eth_getTransactionCount', [wallet.address, 'latest'])).toBe('0x1')
  })

  it('a legacy replacement needs a 10% higher gas price too', async () => {
    const wallet = devWallet(7)
    const base = { to: DEV_ADDRESSES[0], value: 1n, gasLimit: 21_000n, nonce: 0, type: 0 }
    await sendTx(t, wallet, { ...base, gasPrice: 10n * GWEI })
    const low = await signTx(t, wallet, { ...base, gasPrice: 10n * GWEI + 1n })
    expect(await t.rpc('eth_sendRawTransaction', [low])).toMatchObject({ error: { code: -32000, message: 'replacement transaction underpriced' } })
    const replacement = await sendTx(t, wallet, { ...base, gasPrice: 11n * GWEI })
    await t.node.miner.mine()
    expect(await t.call('eth_getTransactionReceipt', [replacement])).toMatchObject({ status: '0x1', effectiveGasPrice: hex(11n * GWEI) })
  })
})
