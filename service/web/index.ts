/**
 * The verifier's web page (docs/web.md): one static HTML page, its stylesheet and plain JavaScript modules, served
 * by the service itself at `/` and `/verify`, its files under `/web/`. No bundler, no CDN: the browser fetches
 * nothing but these files and the service's API. The page is not part of the API: its routes are listed in
 * WEB_PAGE_ROUTES, which the OpenAPI test leaves out of its route walk by name.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Express, RequestHandler } from 'express';
import helmet from 'helmet';

/** Where the page's files are. */
export const PAGE_DIRECTORY = join(__dirname, 'page');

/** The paths that answer the page itself (the same HTML). */
export const PAGE_PATHS = ['/', '/verify'] as const;

/** The route of the page's files: `/web/app.mjs`, `/web/style.css`, ... (one path segment: no directories). */
export const ASSET_ROUTE = '/web/:file';

/** Every route the page adds to the app, as "METHOD /path": not API routes, so not in the OpenAPI document. */
export const WEB_PAGE_ROUTES: readonly string[] = [...PAGE_PATHS.map((path) => `GET ${path}`), `GET ${ASSET_ROUTE}`];

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

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface PageFile {
  body: Buffer;
  type: string;
}

/** The page's files, read once: name -> bytes and media type. Only the known kinds are served. */
export function readPageFiles(directory: string = PAGE_DIRECTORY): Map<string, PageFile> {
  const files = new Map<string, PageFile>();
  for (const name of readdirSync(directory).sort()) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) files.set(name, { body: readFileSync(join(directory, name)), type });
  }
  if (!files.has('index.html')) throw new Error(`the verifier page has no index.html in ${directory}`);
  return files;
}

/**
 * Mounts the verifier page on an express app: GET `/` and `/verify` answer the page, GET `/web/<file>` its files
 * (an unknown file falls through to the app's 404). Every answer carries the page's strict Content-Security-Policy
 * and helmet's other headers for a document (replacing the API's narrower set), and `Cache-Control: no-cache`. Mount it before the app's catch-all 404.
 *
 * @example
 * app.use(helmet()); ...API routes...; mountVerifierPage(app); app.use(unknownRoute())
 */
export function mountVerifierPage(app: Express, options: { directory?: string } = {}): void {
  const files = readPageFiles(options.directory);
  // helmet's full set for a document, with the page's own policy (the API's answers carry a narrower set).
  const csp = helmet({ contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP_DIRECTIVES as Record<string, string[]> } });
  const send = (res: Parameters<RequestHandler>[1], file: PageFile) => {
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', 'no-cache');
    res.send(file.body);
  };
  const page = files.get('index.html')!;
  for (const path of PAGE_PATHS) {
    app.get(path, csp, (_req, res) => send(res, page));
  }
  app.get(ASSET_ROUTE, csp, (req, res, next) => {
    const name = String(req.params.file);
    const file = name === 'index.html' ? undefined : files.get(name);
    if (!file) {
      next();
      return;
    }
    send(res, file);
  });
}
