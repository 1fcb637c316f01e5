/**
 * The verifier in the browser (docs/backpack.md, "Verification in the browser"): the project's own verifyBadge
 * with the JSON-RPC registry reader, over ethers' JsonRpcProvider pointed at a chain node the page may reach. It
 * needs no notary service: the badge carries its receipt, the page knows the chain, the registry and the RPC URL
 * (the backpack's network.json, kept by its service worker). esbuild bundles this module for the browser
 * (scripts/build-browser-verifier.js) into backpack-files/chain-verifier.js; the node-only modules the domain
 * touches are replaced by the small browser versions in node-shims/.
 */
import { FetchRequest, JsonRpcProvider, Network } from 'ethers';
import { JsonRpcRegistryReader } from '../chain/json-rpc-registry-reader';
import { NotaryError, type NotaryErrorOptions } from '../errors';
import { verifyBadge, type VerificationReport } from '../verify';

/** What the page knows of the network: the backpack's network.json. */
export interface ChainNetwork {
  chainId: number;
  /** The registry's address. */
  registry: string;
  /** The block the registry was deployed in: event searches start there. */
  deploymentBlock: number;
  /** A JSON-RPC endpoint of the chain that answers the browser (CORS). */
  rpcUrl: string;
}

/** One badge as a share link carries it. */
export interface BadgeToVerify {
  credential: unknown;
  receipt?: unknown;
}

export interface VerifyOnChainOptions {
  /** Blocks the anchor must have (the block that holds it counts as one). Default 1, as the service's default. */
  minConfirmations?: number;
  /** The clock. Default: now. */
  now?: Date;
  /** How long one JSON-RPC request may take, ms. Default 15 s. */
  timeoutMs?: number;
}

/** The node cannot be asked, or it serves another chain than the page was told: no badge can be judged. */
export class ChainUnreachableError extends NotaryError {
  override name = 'ChainUnreachableError';
  constructor(message: string, options: NotaryErrorOptions = {}) {
    super('chain-unreachable', message, options);
  }
}

/**
 * Verifies every badge straight against the chain, with one reader for the run (so the registry is asked once for
 * all of them, and confirmations are counted from one head). A badge that cannot be verified gets a
 * report whose steps say why, like the service's POST /v1/verify. Rejects with a ChainUnreachableError only when the
 * node cannot be asked at all.
 */
export async function verifyOnChain(
  badges: readonly BadgeToVerify[],
  network: ChainNetwork,
  options: VerifyOnChainOptions = {},
): Promise<VerificationReport[]> {
  const request = new FetchRequest(network.rpcUrl);
  request.timeout = options.timeoutMs ?? 15_000;
  // A static network: ethers would otherwise retry a silent node forever before the first call. The chain id is
  // asked once here instead, so a node of another chain is refused rather than believed.
  const chain = Network.from(network.chainId);
  const provider = new JsonRpcProvider(request, chain, { staticNetwork: chain, batchMaxCount: 20 });
  try {
    let served: number;
    try {
      served = Number(await provider.send('eth_chainId', []));
    } catch (cause) {
      throw new ChainUnreachableError(`the chain's node at ${new URL(network.rpcUrl).host} does not answer`, { cause });
    }
    if (served !== network.chainId) throw new ChainUnreachableError(`the node at ${new URL(network.rpcUrl).host} serves chain ${served}, not ${network.chainId}`);
    const reader = new JsonRpcRegistryReader(provider, network.registry, network.deploymentBlock);
    const now = options.now ?? new Date();
    return await Promise.all(
      badges.map((badge) => verifyBadge({ credential: badge.credential, receipt: badge.receipt, reader, now, minConfirmations: options.minConfirmations })),
    );
  } finally {
    provider.destroy();
  }
}
