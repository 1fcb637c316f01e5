/**
 * `verify --status-list-issuer DID [--status-list FILE]`: where the command line gets a credential's W3C status
 * list (docs/status-list.md): the file given, or the list's URL fetched, trusted only when signed by the DID given.
 */
import { readFile } from 'node:fs/promises';
import type { StatusListSource } from '../verify';
import { CliUsageError } from './cli-errors';

const FETCH_TIMEOUT_MS = 10_000;

export async function statusListSource(options: { statusList?: string; statusListIssuer?: string[] }): Promise<StatusListSource | undefined> {
  const issuers = options.statusListIssuer ?? [];
  if (options.statusList !== undefined && issuers.length === 0) {
    throw new CliUsageError('--status-list goes with --status-list-issuer <did>: the key whose lists you trust (a list proves nothing by itself)');
  }
  if (issuers.length === 0) return undefined;
  for (const issuer of issuers) if (!issuer.startsWith('did:')) throw new CliUsageError(`--status-list-issuer ${issuer} is not a DID`);
  if (options.statusList !== undefined) {
    const list = await readList(options.statusList);
    return { trustedIssuers: issuers, load: async () => structuredClone(list) };
  }
  return { trustedIssuers: issuers, load: fetchList };
}

async function readList(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (cause) {
    throw new CliUsageError(`cannot read the status list ${file}: ${(cause as Error).message}`);
  }
}

async function fetchList(url: string): Promise<unknown> {
  if (!/^https?:\/\//.test(url)) throw new Error(`${url} is not an http(s) URL`);
  const response = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as unknown;
}
