import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqliteDatabase } from './database';

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

interface ClientRow {
  id: string;
  member_id: number;
  role: ClientRole;
  label: string;
  secret_hash: string;
  created_at: number;
  created_by: string | null;
  revoked_at: number | null;
}

const fromRow = (row: ClientRow): ApiClient => ({
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

export class ClientRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Creates a client and returns its API key: the only time the key exists in clear. */
  async create(input: { memberId: number; role: ClientRole; label: string; createdBy?: string; now: number }): Promise<{ client: ApiClient; apiKey: string }> {
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    this.db
      .prepare(
        `INSERT INTO api_clients (id, member_id, role, label, secret_hash, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.memberId, input.role, input.label, sha256(secret), input.now, input.createdBy ?? null);
    return { client: this.read(id)!, apiKey: `bnk_${id}_${secret}` };
  }

  async get(id: string): Promise<ApiClient | undefined> {
    return this.read(id);
  }

  private read(id: string): ApiClient | undefined {
    const row = this.db.prepare<[string], ClientRow>('SELECT * FROM api_clients WHERE id = ?').get(id);
    return row && fromRow(row);
  }

  /** A member's clients in the order they were made (by rowid within a millisecond: their ids are random). */
  async listForMember(memberId: number): Promise<ApiClient[]> {
    return this.db
      .prepare<[number], ClientRow>('SELECT * FROM api_clients WHERE member_id = ? ORDER BY created_at, rowid')
      .all(memberId)
      .map(fromRow);
  }

  /** The live client an API key belongs to, or undefined (unknown, wrong secret, or revoked). */
  async authenticate(apiKey: string): Promise<ApiClient | undefined> {
    const match = KEY_PATTERN.exec(apiKey);
    if (!match) return undefined;
    const row = this.db.prepare<[string], ClientRow>('SELECT * FROM api_clients WHERE id = ?').get(match[1]);
    if (!row || row.revoked_at !== null) return undefined;
    const expected = Buffer.from(row.secret_hash, 'hex');
    const presented = Buffer.from(sha256(match[2]), 'hex');
    return timingSafeEqual(expected, presented) ? fromRow(row) : undefined;
  }

  async revoke(id: string, now: number): Promise<boolean> {
    return this.db.prepare('UPDATE api_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }
}
