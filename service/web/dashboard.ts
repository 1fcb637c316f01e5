/**
 * The network dashboard's page (docs/dashboard.md): one static HTML page, its modules and stylesheet under
 * service/web/dashboard/, and chart.js's UMD build served from node_modules (no CDN). It reads GET /v1/stats and
 * draws its charts in the browser; it takes the verifier page's stylesheet and icon from /web/. Same strict
 * Content-Security-Policy as the verifier page: chart.js draws on canvas and writes no HTML, so Trusted Types hold.
 * Its routes are not the API: DASHBOARD_ROUTES, which the OpenAPI test leaves out by name.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { Express, Response } from 'express';
import helmet from 'helmet';
import { PAGE_CSP_DIRECTIVES } from './index';

export const DASHBOARD_DIRECTORY = join(__dirname, 'dashboard');
export const DASHBOARD_PATH = '/dashboard';
export const DASHBOARD_ASSET_ROUTE = '/dashboard/:file';
/** The name chart.js's build is served under: /dashboard/chart.umd.min.js. */
export const CHART_JS_FILE = 'chart.umd.min.js';

export const DASHBOARD_ROUTES: readonly string[] = [`GET ${DASHBOARD_PATH}`, `GET ${DASHBOARD_ASSET_ROUTE}`];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

interface PageFile {
  body: Buffer;
  type: string;
}

/** chart.js's self-contained UMD build (its package exports no path to it: found beside its main file). */
export function chartJsPath(): string {
  return join(dirname(require.resolve('chart.js')), CHART_JS_FILE);
}

/** The dashboard's files, read once, and chart.js's build under CHART_JS_FILE. */
export function readDashboardFiles(directory: string = DASHBOARD_DIRECTORY): Map<string, PageFile> {
  const files = new Map<string, PageFile>();
  for (const name of readdirSync(directory).sort()) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) files.set(name, { body: readFileSync(join(directory, name)), type });
  }
  if (!files.has('index.html')) throw new Error(`the dashboard has no index.html in ${directory}`);
  files.set(CHART_JS_FILE, { body: readFileSync(chartJsPath()), type: CONTENT_TYPES['.js']! });
  return files;
}

/** Mounts GET /dashboard (the page) and GET /dashboard/<file> (its files); an unknown file falls through to the 404. */
export function mountDashboardPage(app: Express): void {
  const files = readDashboardFiles();
  const csp = helmet({ contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP_DIRECTIVES as Record<string, string[]> } });
  const send = (res: Response, file: PageFile) => {
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', 'no-cache');
    res.send(file.body);
  };
  const page = files.get('index.html')!;
  app.get(DASHBOARD_PATH, csp, (_req, res) => send(res, page));
  app.get(DASHBOARD_ASSET_ROUTE, csp, (req, res, next) => {
    const name = String(req.params.file);
    const file = name === 'index.html' ? undefined : files.get(name);
    if (!file) {
      next();
      return;
    }
    send(res, file);
  });
}
