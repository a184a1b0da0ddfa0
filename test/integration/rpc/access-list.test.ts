/**
 * eth_createAccessList: the accounts and slots a call really touches (geth's tracer: sender,
 * recipient and precompiles left out unless their slots are touched), and a gasUsed that a real
 * transaction carrying the list spends exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import solc from 'solc'
import { Interface, Wallet } from 'ethers'
import { spawnNode, type TestNode } from '../../support/spawnNode.ts'
import { big, deployProbe, devWallet, hex, probe, rpcError, sendAndMine, word } from './helpers.ts'

const TOUCHER_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
interface IProbe { function value() external view returns (uint256); }
contract Toucher {
    uint256 public seen;   // slot 0
    uint256 public other;  // slot 1
    function touch(address probe, address account) external returns (uint256) {
        seen = account.balance;
        return IProbe(probe).value();
    }
    function hash(bytes32 x) external returns (bytes32) {
        bytes32 h = sha256(abi.encodePacked(x));
        other = uint256(h);
        return h;
    }
}`
const toucher = new Interface(['function touch(address probe, address account) returns (uint256)', 'function hash(bytes32 x) returns (bytes32)'])

function compileToucher(): string {
  const input = {
    language: 'Solidity',
    sources: { 'Toucher.sol': { content: TOUCHER_SOURCE } },
    settings: { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['evm.bytecode.object'] } } },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input)))
  return `0x${output.contracts['Toucher.sol'].Toucher.evm.bytecode.object}`
}

const byAddress = (list: { address: string; storageKeys: string[] }[]) => [...list].sort((a, b) => (a.address < b.address ? -1 : 1))

describe('eth_createAccessList', () => {
  let t: TestNode
  const sender = devWallet(3)
  let probeAddress: string
  let toucherAddress: string
  const account = Wallet.createRandom().address.toLowerCase()

  beforeAll(async () => {
    t = await spawnNode()
    probeAddress = (await deployProbe(t, sender, 7n)).address
    toucherAddress = (await sendAndMine(t, sender, { data: compileToucher(), gasLimit: 1_000_000n })).contractAddress
  })
  afterAll(async () => {
    await t?.close()
  })

  it('lists what the call touches: the called contract\'s slots, the contract it calls and its slot, the account whose balance it reads', async () => {
    const data = toucher.encodeFunctionData('touch', [probeAddress, account])
    const result = await t.call('eth_createAccessList', [{ from: sender.address, to: toucherAddress, data }, 'latest'])
    expect(result.error).toBeUndefined()
    expect(result.accessList).toEqual(
      byAddress([
        { address: toucherAddress, storageKeys: [word(0)] },
        { address: probeAddress, storageKeys: [word(0)] },
        { address: account, storageKeys: [] },
      ]),
    )
    // The sender is not listed.
    expect(result.accessList.map((e: any) => e.address)).not.toContain(sender.address.toLowerCase())

    // A real transaction carrying the list spends exactly the gas the answer says.
    const receipt = await sendAndMine(t, sender, { to: toucherAddress, data, accessList: result.accessList, gasLimit: 200_000n })
    expect(receipt.status).toBe('0x1')
    expect(receipt.gasUsed).toBe(result.gasUsed)
  })

  it('leaves out precompiles (sha256 at 0x02) but keeps the slots written', async () => {
    const data = toucher.encodeFunctionData('hash', [word(1)])
    const result = await t.call('eth_createAccessList', [{ from: sender.address, to: toucherAddress, data }])
    expect(result.accessList).toEqual([{ address: toucherAddress, storageKeys: [word(1)] }])
    const receipt = await sendAndMine(t, sender, { to: toucherAddress, data, accessList: result.accessList, gasLimit: 200_000n })
    expect(receipt.gasUsed).toBe(result.gasUsed)
  })

  it('keeps the entries it was given, as geth seeds its tracer with them', async () => {
    const extra = Wallet.createRandom().address.toLowerCase()
    const result = await t.call('eth_createAccessList', [
      { from: sender.address, to: probeAddress, data: probe.encodeFunctionData('value'), accessList: [{ address: extra, storageKeys: [word(9)] }] },
      'latest',
    ])
    expect(result.accessList).toEqual(byAddress([{ address: probeAddress, storageKeys: [word(0)] }, { address: extra, storageKeys: [word(9)] }]))
  })

  it('a failing call still answers, with the list so far and the EVM error', async () => {
    const result = await t.call('eth_createAccessList', [{ from: sender.address, to: probeAddress, data: probe.encodeFunctionData('fail', ['no']) }])
    expect(result.error).toBe('execution reverted')
    expect(big(result.gasUsed)).toBeGreaterThan(21_000n)
    expect(result.accessList).toEqual([])
  })

  it('takes state overrides, and refuses a call that cannot run', async () => {
    const fresh = Wallet.createRandom().address.toLowerCase()
    // SLOAD slot 3 of itself, then stop.
    const result = await t.call('eth_createAccessList', [{ to: fresh }, 'latest', { [fresh]: { code: '0x60035400' } }])
    expect(result.accessList).toEqual([{ address: fresh, storageKeys: [word(3)] }])
    const err = await rpcError(t, 'eth_createAccessList', [{ from: Wallet.createRandom().address, to: fresh, value: hex(10n ** 18n) }])
    expect(err.code).toBe(-32000)
    expect(err.message).toMatch(/insufficient funds/)
  })
})
