/**
 * The service's web pages (docs/web.md), each a folder of static files served by the service itself: the verifier
 * at `/` and `/verify` (its files under `/web/`), the earner's backpack at `/backpack` and its share page at
 * `/backpack-share` (service/web/backpack.ts). No bundler, no CDN: the browser fetches nothing but these files and
 * the service's API. The pages are not part of the API: their routes are listed in WEB_PAGE_ROUTES, which the
 * OpenAPI test leaves out of its route walk by name.
 */
import { join } from 'node:path';
import type { Express } from 'express';
import { BACKPACK_PAGE, backpackPage, type BackpackNetwork } from './backpack';
import { mountPage, pageRoutes, type WebPage } from './page-server';

export { readPageFiles, mountPage, pageRoutes, type WebPage } from './page-server';
export { BACKPACK_PAGE, BACKPACK_DIRECTORY, backpackPage, type BackpackNetwork } from './backpack';

/** Where the page's files are. */
export const PAGE_DIRECTORY = join(__dirname, 'page');

/** The paths that answer the page itself (the same HTML). */
export const PAGE_PATHS = ['/', '/verify'] as const;

/** The route of the page's files: `/web/app.mjs`, `/web/style.css`, ... (one path segment: no directories). */
export const ASSET_ROUTE = '/web/:file';

/** Every route the verifier page adds to the app, as "METHOD /path". */
export const VERIFIER_PAGE_ROUTES: readonly string[] = [...PAGE_PATHS.map((path) => `GET ${path}`), `GET ${ASSET_ROUTE}`];

/**
 * The page's Content-Security-Policy: scripts and styles only from the service's own files (no inline script,
 * no inline style, no eval), requests only to the service, images from the service, `data:` (an image inside
 * the credential) and `blob:` (the baked image the user picked). Trusted Types with no policy: the page can
 * never write HTML from a string (innerHTML and the like throw), so a credential's text cannot become markup.
 */
export const PAGE_CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  requireTrustedTypesFor: ["'script'"],
  trustedTypes: ["'none'"],
};

/** The verifier page: GET `/` and `/verify` answer the page, GET `/web/<file>` its files. */
export const VERIFIER_PAGE: WebPage = {
  name: 'the verifier page',
  directory: PAGE_DIRECTORY,
  documents: Object.fromEntries(PAGE_PATHS.map((path) => [path, 'index.html'])),
  assetRoute: ASSET_ROUTE,
  csp: PAGE_CSP_DIRECTIVES,
};

/** Mounts the verifier page (VERIFIER_PAGE) on an express app, its files read from `options.directory` if given. */
export function mountVerifierPage(app: Express, options: { directory?: string } = {}): void {
  mountPage(app, { ...VERIFIER_PAGE, directory: options.directory ?? PAGE_DIRECTORY });
}

/** The service's pages: the verifier, the earner's backpack and its share page. */
export const WEB_PAGES: readonly WebPage[] = [VERIFIER_PAGE, BACKPACK_PAGE];

/** Every route the pages add to the app, as "METHOD /path": not API routes, so not in the OpenAPI document. */
export const WEB_PAGE_ROUTES: readonly string[] = WEB_PAGES.flatMap(pageRoutes);

/**
 * Mounts every page (WEB_PAGES) on an express app, the backpack's for `options.backpackNetwork` when given (so its
 * pages can verify against the chain without the service). Mount them before the app's catch-all 404.
 *
 * @example
 * app.use(helmet()); ...API routes...; mountWebPages(app, { backpackNetwork }); app.use(unknownRoute())
 */
export function mountWebPages(app: Express, options: { backpackNetwork?: BackpackNetwork } = {}): void {
  for (const page of WEB_PAGES) mountPage(app, page === BACKPACK_PAGE && options.backpackNetwork ? backpackPage(options.backpackNetwork) : page);
}
