import type { SqliteDatabase } from './database';
import { authenticatedClient, clientFromRow, newApiKey, parseApiKey, type ApiClient, type ClientRow, type NewApiClient } from './client-records';

export type { ApiClient, ClientRole, NewApiClient } from './client-records';

export class ClientRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Creates a client and returns its API key: the only time the key exists in clear. */
  async create(input: NewApiClient): Promise<{ client: ApiClient; apiKey: string }> {
    const { id, apiKey, secretHash } = newApiKey();
    this.db
      .prepare(
        `INSERT INTO api_clients (id, member_id, role, label, secret_hash, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.memberId, input.role, input.label, secretHash, input.now, input.createdBy ?? null);
    return { client: this.read(id)!, apiKey };
  }

  async get(id: string): Promise<ApiClient | undefined> {
    return this.read(id);
  }

  private read(id: string): ApiClient | undefined {
    const row = this.db.prepare<[string], ClientRow>('SELECT * FROM api_clients WHERE id = ?').get(id);
    return row && clientFromRow(row);
  }

  /** A member's clients in the order they were made (by rowid within a millisecond: their ids are random). */
  async listForMember(memberId: number): Promise<ApiClient[]> {
    return this.db
      .prepare<[number], ClientRow>('SELECT * FROM api_clients WHERE member_id = ? ORDER BY created_at, rowid')
      .all(memberId)
      .map(clientFromRow);
  }

  /** The live client an API key belongs to, or undefined (unknown, wrong secret, or revoked). */
  async authenticate(apiKey: string): Promise<ApiClient | undefined> {
    const key = parseApiKey(apiKey);
    if (!key) return undefined;
    return authenticatedClient(this.db.prepare<[string], ClientRow>('SELECT * FROM api_clients WHERE id = ?').get(key.id), key.secret);
  }

  async revoke(id: string, now: number): Promise<boolean> {
    return this.db.prepare('UPDATE api_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }
}
