/**
 * The earner's backpack (docs/backpack.md): badges kept in the browser only, grouped into collections,
 * shown through a share link whose fragment carries them. GET `/backpack` answers the backpack, `/backpack-share`
 * the share page, `/backpack-sw.js` the service worker that keeps both working offline (at the root, so that its
 * scope `/backpack` may cover both paths), and `/backpack-files/<file>` the folder's other files: among them
 * `chain-verifier.js`, the verifier bundled for the browser (service/browser-verifier, built into dist/ only), and
 * `network.json`, the chain the pages verify against when the service cannot be reached.
 */
import { join } from 'node:path';
import type { WebPage } from './page-server';

/** Where the backpack's files are. */
export const BACKPACK_DIRECTORY = join(__dirname, 'backpack');

/** What the pages need to verify a badge without the service: the backpack's `network.json`. */
export interface BackpackNetwork {
  chainId: number;
  /** The registry's address. */
  registry: string;
  /** The block the registry was deployed in. */
  deploymentBlock: number;
  /** A JSON-RPC URL of the chain that browsers may call (service/config/public-rpc.ts); none: no verification without the service. */
  rpcUrl?: string | undefined;
}

/**
 * The verifier page's policy, with two differences: registering the service worker takes a TrustedScriptURL, so
 * one named Trusted Types policy, `backpack-worker`, may exist; it turns only the worker's own address into one
 * (offline.mjs). HTML from a string stays impossible. And the pages may call the chain's JSON-RPC URL, when one is
 * published, to verify without the service: connect-src names that one origin.
 */
export const BACKPACK_CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  workerSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  requireTrustedTypesFor: ["'script'"],
  trustedTypes: ['backpack-worker'],
};

/** The backpack's pages for a network: its network.json, and the CSP that lets them call its RPC URL. */
export function backpackPage(network?: BackpackNetwork): WebPage {
  const rpcOrigin = network?.rpcUrl ? new URL(network.rpcUrl).origin : undefined;
  const described = network
    ? { chainId: network.chainId, registry: network.registry, deploymentBlock: network.deploymentBlock, rpcUrl: network.rpcUrl ?? null }
    : { rpcUrl: null };
  return {
    name: 'the backpack page',
    directory: BACKPACK_DIRECTORY,
    documents: { '/backpack': 'index.html', '/backpack-share': 'share.html', '/backpack-sw.js': 'sw.js' },
    assetRoute: '/backpack-files/:file',
    csp: rpcOrigin ? { ...BACKPACK_CSP_DIRECTIVES, connectSrc: ["'self'", rpcOrigin] } : BACKPACK_CSP_DIRECTIVES,
    generated: { 'network.json': { body: Buffer.from(JSON.stringify(described)), type: 'application/json; charset=utf-8' } },
  };
}

/** The backpack with no network known: its pages verify through the service only. */
export const BACKPACK_PAGE: WebPage = backpackPage();
