import { HDNodeWallet, Mnemonic } from 'ethers';
import { HARDHAT_WELL_KNOWN_MNEMONIC } from './local-node';

/**
 * The private keys of Hardhat's default accounts: the well-known test mnemonic, for local chains only.
 * Anyone can read these keys: never use them on a real network.
 */
export function wellKnownAccount(index: number): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(HARDHAT_WELL_KNOWN_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}
