/**
 * The earner's backpack (docs/backpack.md): badges kept in the browser only, grouped into collections,
 * shown through a share link whose fragment carries them. GET `/backpack` answers the backpack, `/backpack-share`
 * the share page, `/backpack-sw.js` the service worker that keeps both working offline (at the root, so that its
 * scope `/backpack` may cover both paths), and `/backpack-files/<file>` the folder's other files.
 */
import { join } from 'node:path';
import type { WebPage } from './page-server';

/** Where the backpack's files are. */
export const BACKPACK_DIRECTORY = join(__dirname, 'backpack');

/**
 * The verifier page's policy, with one difference: registering the service worker takes a TrustedScriptURL, so
 * one named Trusted Types policy, `backpack-worker`, may exist; it turns only the worker's own address into one
 * (offline.mjs). HTML from a string stays impossible.
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

export const BACKPACK_PAGE: WebPage = {
  name: 'the backpack page',
  directory: BACKPACK_DIRECTORY,
  documents: { '/backpack': 'index.html', '/backpack-share': 'share.html', '/backpack-sw.js': 'sw.js' },
  assetRoute: '/backpack-files/:file',
  csp: BACKPACK_CSP_DIRECTIVES,
};
