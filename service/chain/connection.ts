import { JsonRpcProvider, NonceManager, Wallet, type Signer } from 'ethers';
import { ConfederationRegistry__factory, type ConfederationRegistry } from '../../typechain-types';

export interface ChainConnectionOptions {
  rpcUrl: string;
  /** The account that signs: a 0x private key. Omit for read-only use. */
  privateKey?: string;
  /** How often to poll for new blocks and receipts; a local chain wants a short interval. */
  pollingIntervalMs?: number;
}

export interface ChainConnection {
  provider: JsonRpcProvider;
  /** Present when a private key was given; its nonces are managed, so calls may follow back to back. */
  signer?: Signer;
  close(): void;
}

/** Opens a plain JSON-RPC connection: no explorer, no API key. */
export function connectChain(options: ChainConnectionOptions): ChainConnection {
  // cacheTimeout -1: never reuse a cached eth_getTransactionCount, the source of "nonce too low".
  const provider = new JsonRpcProvider(options.rpcUrl, undefined, { cacheTimeout: -1 });
  provider.pollingInterval = options.pollingIntervalMs ?? (isLoopback(options.rpcUrl) ? 200 : 4000);
  const signer = options.privateKey ? new NonceManager(new Wallet(options.privateKey, provider)) : undefined;
  return { provider, signer, close: () => provider.destroy() };
}

export function registryAt(address: string, runner: Signer | JsonRpcProvider): ConfederationRegistry {
  return ConfederationRegistry__factory.connect(address, runner);
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host.startsWith('127.') || host === '[::1]';
  } catch {
    return false;
  }
}
