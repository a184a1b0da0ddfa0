import { HDNodeWallet, Mnemonic } from 'ethers'

export const DEV_MNEMONIC = 'test test test test test test test test test test test junk'

export interface DevAccount {
  /** Lowercase 0x address. */
  address: string
  privateKey: Uint8Array
}

/** The first `count` accounts of the mnemonic at m/44'/60'/0'/0/i, as anvil and Hardhat derive them. */
export function deriveDevAccounts(count: number, mnemonic = DEV_MNEMONIC): DevAccount[] {
  const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(mnemonic), "m/44'/60'/0'/0")
  return Array.from({ length: count }, (_, i) => {
    const wallet = root.deriveChild(i)
    return { address: wallet.address.toLowerCase(), privateKey: Buffer.from(wallet.privateKey.slice(2), 'hex') }
  })
}
