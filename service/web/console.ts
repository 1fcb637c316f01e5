/**
 * The governance console (docs/console.md): a static page at `/console` where a member's controller acts on the
 * registry through its own browser wallet (EIP-1193). The service never holds a key nor sends a transaction for
 * it: it serves the page, ethers' browser build from node_modules, the registry's address, chain id and ABI, and
 * the registry's refusals in the CLI's sentences (service/chain/registry-errors). Like the verifier page, these
 * routes are not the API: CONSOLE_PAGE_ROUTES is left out of the OpenAPI route walk by name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Express, RequestHandler } from 'express';
import { Interface, isHexString } from 'ethers';
import helmet from 'helmet';
import { ConfederationRegistry__factory } from '../../typechain-types';
import { describeRegistryError } from '../chain/registry-errors';
import { ACTIONS, ENDORSEMENT_KINDS, ROLES, STATUSES } from '../registry';
import { mountBadgeBaking } from './console-bake';
import { PAGE_CSP_DIRECTIVES, readPageFiles } from './index';

/** Where the console's files are. */
export const CONSOLE_DIRECTORY = join(__dirname, 'console');

/** ethers' ES module build for browsers (no eval, no inline code: it runs under the page's policy). */
const ETHERS_BROWSER_BUILD = require.resolve('ethers').replace(/lib\.commonjs[\\/]index\.js$/, join('dist', 'ethers.min.js'));

/**
 * The Issue page's other files, served beside the console's own under these names: papaparse (CSV) and exceljs
 * (XLSX) as their browser builds from node_modules (each sets a window global), and the domain's plain modules
 * whose rules the browser applies to the spreadsheet's rows as the CLI does.
 */
const ISSUE_PAGE_FILES: Readonly<Record<string, string>> = {
  'papaparse.js': require.resolve('papaparse/papaparse.min.js'),
  'exceljs.js': join(dirname(require.resolve('exceljs/package.json')), 'dist', 'exceljs.min.js'),
  'crc32.mjs': join(__dirname, '..', 'baking', 'crc32.mjs'),
  'class-levels.mjs': join(__dirname, '..', 'catalogue', 'class-levels.mjs'),
  'earner-rules.mjs': join(__dirname, '..', 'issuing', 'earner-rules.mjs'),
};

/**
 * The project's Data Integrity signer bundled for the browser (service/browser-signer), which a co-issued class's
 * badges are signed with: scripts/build.js writes it into the build's console folder, so a service run from its build
 * finds it among the console's files; one run from its sources serves the last build's, if there is one.
 */
const LD_SIGNER_BUILD = join(__dirname, '..', '..', 'dist', 'service', 'web', 'console', 'ld-signer.js');

/** Every route the console adds to the app, as "METHOD /path": not API routes, so not in the OpenAPI document. */
export const CONSOLE_PAGE_ROUTES: readonly string[] = [
  'GET /console',
  'GET /console/issue',
  'POST /console/bake',
  'GET /console/network.json',
  'GET /console/refusal',
  'GET /console/ethers.mjs',
  'GET /console/:file',
];

/** What the console needs to know of the network: the registry it governs. */
export interface ConsoleNetwork {
  chainId: number;
  registry: string;
  /** Where the registry's events start: the console reads logs from there, not from block 0 (providers cap eth_getLogs ranges). */
  deploymentBlock: number;
}

const registryInterface = new Interface(ConfederationRegistry__factory.abi);

/**
 * The registry's refusal carried by revert data, in the CLI's sentence; undefined when the data is no custom
 * error of the registry.
 */
export function describeRevertData(data: string): { error: string; reason: string } | undefined {
  let description;
  try {
    description = registryInterface.parseError(data);
  } catch {
    return undefined;
  }
  if (!description) return undefined;
  return { error: description.name, reason: describeRegistryError(description.name, description.args.toObject()) };
}

/**
 * Mounts the console on an express app, with the verifier page's Content-Security-Policy (no inline script or
 * style, Trusted Types). Mount it before the app's catch-all 404.
 */
export function mountConsolePage(app: Express, network: ConsoleNetwork, options: { directory?: string } = {}): void {
  const files = readPageFiles(options.directory ?? CONSOLE_DIRECTORY);
  for (const [name, path] of Object.entries(ISSUE_PAGE_FILES)) files.set(name, { body: readFileSync(path), type: 'text/javascript; charset=utf-8' });
  if (!files.has('ld-signer.js') && existsSync(LD_SIGNER_BUILD)) files.set('ld-signer.js', { body: readFileSync(LD_SIGNER_BUILD), type: 'text/javascript; charset=utf-8' });
  const csp = helmet({ contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP_DIRECTIVES as Record<string, string[]> } });
  const send = (res: Parameters<RequestHandler>[1], file: { body: Buffer | string; type: string }) => {
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', 'no-cache');
    res.send(file.body);
  };
  const ethers = { body: readFileSync(ETHERS_BROWSER_BUILD), type: 'text/javascript; charset=utf-8' };
  const described = {
    body: JSON.stringify({
      chainId: network.chainId,
      registry: network.registry,
      deploymentBlock: network.deploymentBlock,
      abi: ConfederationRegistry__factory.abi,
      roles: ROLES,
      statuses: STATUSES,
      actions: ACTIONS,
      endorsementKinds: ENDORSEMENT_KINDS,
    }),
    type: 'application/json; charset=utf-8',
  };

  app.get('/console', csp, (_req, res) => send(res, files.get('index.html')!));
  app.get('/console/issue', csp, (_req, res) => send(res, files.get('issue.html')!));
  mountBadgeBaking(app, csp);
  app.get('/console/network.json', csp, (_req, res) => send(res, described));
  app.get('/console/refusal', csp, (req, res) => {
    const data = req.query.data;
    if (typeof data !== 'string' || !isHexString(data) || data.length < 10) {
      res.status(400).json({ error: { code: 'bad-request', message: 'data must be the revert data: 0x and at least 4 bytes of hex', field: 'data' } });
      return;
    }
    const refusal = describeRevertData(data);
    if (!refusal) {
      res.status(404).json({ error: { code: 'not-found', message: 'the data is no custom error of the registry', field: 'data' } });
      return;
    }
    res.json(refusal);
  });
  app.get('/console/ethers.mjs', csp, (_req, res) => send(res, ethers));
  app.get('/console/:file', csp, (req, res, next) => {
    const name = String(req.params.file);
    const file = name === 'index.html' || name === 'issue.html' ? undefined : files.get(name);
    if (!file) {
      next();
      return;
    }
    send(res, file);
  });
}
