/**
 * Serving a page of the service (docs/web.md): a folder of static files (HTML, CSS, plain JavaScript modules), read
 * once, answered with the page's own strict Content-Security-Policy. No bundler, no CDN.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Express, RequestHandler } from 'express';
import helmet from 'helmet';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface PageFile {
  body: Buffer;
  type: string;
}

/** A page of the service: a folder of files, the paths that answer one of them, and the route of the others. */
export interface WebPage {
  /** For messages: "the verifier page". */
  name: string;
  directory: string;
  /** Path -> the file it answers (an HTML document, or a service worker that must sit at the root). */
  documents: Readonly<Record<string, string>>;
  /** The route of the folder's other files, one path segment: `/web/:file`. */
  assetRoute: string;
  csp: Readonly<Record<string, readonly string[]>>;
  /** Files made by the service rather than read from the folder (the backpack's network.json), served as the folder's. */
  generated?: Readonly<Record<string, PageFile>>;
}

/** The page's files, read once: name -> bytes and media type. Only the known kinds are served. */
export function readPageFiles(directory: string, required = 'index.html', name = 'the page'): Map<string, PageFile> {
  const files = new Map<string, PageFile>();
  for (const file of readdirSync(directory).sort()) {
    const type = CONTENT_TYPES[extname(file)];
    if (type) files.set(file, { body: readFileSync(join(directory, file)), type });
  }
  if (!files.has(required)) throw new Error(`${name} has no ${required} in ${directory}`);
  return files;
}

/** Every route a page adds to the app, as "METHOD /path". */
export function pageRoutes(page: WebPage): string[] {
  return [...Object.keys(page.documents).map((path) => `GET ${path}`), `GET ${page.assetRoute}`];
}

/**
 * Mounts a page on an express app: its document paths answer their files, GET `<assetRoute>` the folder's other
 * files (an unknown file falls through to the app's 404). Every answer carries the page's strict
 * Content-Security-Policy and helmet's other headers for a document (replacing the API's narrower set), and
 * `Cache-Control: no-cache`. Mount it before the app's catch-all 404.
 */
export function mountPage(app: Express, page: WebPage): void {
  const documents = new Set(Object.values(page.documents));
  const files = readPageFiles(page.directory, [...documents][0], page.name);
  for (const [name, file] of Object.entries(page.generated ?? {})) files.set(name, file);
  for (const file of documents) if (!files.has(file)) throw new Error(`${page.name} has no ${file} in ${page.directory}`);
  // helmet's full set for a document, with the page's own policy (the API's answers carry a narrower set).
  const headers = helmet({ contentSecurityPolicy: { useDefaults: false, directives: page.csp as Record<string, string[]> } });
  const send = (res: Parameters<RequestHandler>[1], file: PageFile) => {
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', 'no-cache');
    res.send(file.body);
  };
  for (const [path, name] of Object.entries(page.documents)) {
    const file = files.get(name)!;
    app.get(path, headers, (_req, res) => send(res, file));
  }
  app.get(page.assetRoute, headers, (req, res, next) => {
    const name = String(req.params.file);
    const file = documents.has(name) ? undefined : files.get(name);
    if (!file) {
      next();
      return;
    }
    send(res, file);
  });
}

