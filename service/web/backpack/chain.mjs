/* global fetch */
/**
 * Verification straight against the chain, in this browser, for when the service cannot be reached: the project's
 * own verifier bundled for the browser (chain-verifier.js, service/browser-verifier) asks the chain's JSON-RPC node
 * named by network.json (the chain id, the registry, its RPC URL). Both files are kept by the service worker after a
 * first visit, so this works with the service gone as long as the chain's node answers.
 */

export class ChainUnavailableError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'ChainUnavailableError';
  }
}

/** What network.json says, or a ChainUnavailableError when it names no RPC URL (the service publishes none). */
async function chainNetwork() {
  let network;
  try {
    const response = await fetch('backpack-files/network.json', { cache: 'no-store' });
    network = await response.json();
  } catch (cause) {
    throw new ChainUnavailableError('the chain’s description (network.json) cannot be had', { cause });
  }
  if (typeof network?.rpcUrl !== 'string' || !Number.isSafeInteger(network.chainId) || typeof network.registry !== 'string') {
    throw new ChainUnavailableError('the service publishes no RPC URL of the chain');
  }
  return network;
}

/**
 * Verification reports of `badges` ([{ credential, receipt? }]), in order, made in this browser against the chain.
 * Rejects with a ChainUnavailableError when the chain cannot be asked (no RPC URL, the node unreachable or serving
 * another chain); a badge that does not verify is a report with its failed steps, as the service's.
 */
export async function verifyOnChain(badges) {
  const network = await chainNetwork();
  let verifier;
  try {
    verifier = await import('./chain-verifier.js');
  } catch (cause) {
    throw new ChainUnavailableError('the browser verifier (chain-verifier.js) cannot be loaded', { cause });
  }
  try {
    return await verifier.verifyOnChain(badges, network);
  } catch (cause) {
    throw new ChainUnavailableError(`the chain cannot be asked: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

