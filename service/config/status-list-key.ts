/**
 * The notary's status-list key (docs/status-list.md): an Ed25519 key whose did:key signs the served status lists.
 * Made on first start and kept in the data directory (0600), so that lists keep one issuer across restarts; on
 * PostgreSQL, in the shared database (loadSharedStatusListKey), so that every replica signs with it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from '../durable-file';
import { exportIssuerKey, generateIssuerKey, importIssuerKey, type IssuerKey } from '../credentials/keys';

export const STATUS_LIST_KEY_FILE = 'status-list-key.json';

export function loadStatusListKey(dataDir: string): IssuerKey {
  const path = join(dataDir, STATUS_LIST_KEY_FILE);
  if (existsSync(path)) return importIssuerKey(readFileSync(path, 'utf8'));
  const key = generateIssuerKey({ type: 'Ed25519' });
  writeFileDurably(path, `${JSON.stringify(exportIssuerKey(key), null, 2)}\n`, { mode: 0o600, exclusive: true });
  return key;
}

/** The name of the status-list key among the keys the processes of one notary share. */
export const SHARED_STATUS_LIST_KEY = 'status-list';

/**
 * The status-list key of a notary whose processes share one database (issue #13): made by the first process that
 * asks and stored there, so that every replica signs the lists it serves with the same did:key.
 */
export async function loadSharedStatusListKey(keys: { getOrCreate(name: string, make: () => string, now: number): Promise<string> }): Promise<IssuerKey> {
  const exported = await keys.getOrCreate(SHARED_STATUS_LIST_KEY, () => JSON.stringify(exportIssuerKey(generateIssuerKey({ type: 'Ed25519' }))), Date.now());
  return importIssuerKey(exported);
}
