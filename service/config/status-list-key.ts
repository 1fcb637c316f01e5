/**
 * The notary's status-list key (docs/status-list.md): an Ed25519 key whose did:key signs the served status lists.
 * Made on first start and kept in the data directory (0600), so that lists keep one issuer across restarts.
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
