/** API clients, their keys, and how both stores keep them: the records both stores share. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The seeds' roles inside a member organisation: an administrator manages access, editors submit and revoke. */
export type ClientRole = 'admin' | 'editor';

export interface ApiClient {
  id: string;
  memberId: number;
  role: ClientRole;
  label: string;
  createdAt: number;
  createdBy: string | null;
  revokedAt: number | null;
}

export interface NewApiClient {
  memberId: number;
  role: ClientRole;
  label: string;
  createdBy?: string;
  now: number;
}

export interface ClientRow {
  id: string;
  member_id: number;
  role: ClientRole;
  label: string;
  secret_hash: string;
  created_at: number;
  created_by: string | null;
  revoked_at: number | null;
}

/** The columns of api_clients a repository reads (PostgreSQL's order column `seq` is not one). */
export const CLIENT_COLUMNS = 'id, member_id, role, label, secret_hash, created_at, created_by, revoked_at';

export const clientFromRow = (row: ClientRow): ApiClient => ({
  id: row.id,
  memberId: row.member_id,
  role: row.role,
  label: row.label,
  createdAt: row.created_at,
  createdBy: row.created_by,
  revokedAt: row.revoked_at,
});

/** An API key is "bnk_<client id>_<secret>"; only sha256(secret) is stored. */
const KEY_PATTERN = /^bnk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A new client's id, its key (shown once) and the hash of its secret (stored). */
export function newApiKey(): { id: string; apiKey: string; secretHash: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, apiKey: `bnk_${id}_${secret}`, secretHash: sha256(secret) };
}

/** The client id and secret an API key names, or undefined when it is not shaped as one. */
export function parseApiKey(apiKey: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(apiKey);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

/** The live client whose stored row `row` is, when `secret` is its secret (compared in constant time). */
export function authenticatedClient(row: ClientRow | undefined, secret: string): ApiClient | undefined {
  if (!row || row.revoked_at !== null) return undefined;
  const expected = Buffer.from(row.secret_hash, 'hex');
  const presented = Buffer.from(sha256(secret), 'hex');
  return timingSafeEqual(expected, presented) ? clientFromRow(row) : undefined;
}
