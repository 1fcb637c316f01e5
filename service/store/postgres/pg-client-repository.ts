/** API clients in PostgreSQL: the same answers as the SQLite ClientRepository (test/store/client-repository.test.ts). */
import type { ClientRepository } from '../client-repository';
import { authenticatedClient, CLIENT_COLUMNS, clientFromRow, newApiKey, parseApiKey, type ApiClient, type ClientRow, type NewApiClient } from '../client-records';
import type { PgDatabase } from './pg-database';

type ClientStorage = { [K in keyof ClientRepository]: ClientRepository[K] };

export class PgClientRepository implements ClientStorage {
  constructor(private readonly db: PgDatabase) {}

  async create(input: NewApiClient): Promise<{ client: ApiClient; apiKey: string }> {
    const { id, apiKey, secretHash } = newApiKey();
    const { rows } = await this.db.query<ClientRow>(
      `INSERT INTO api_clients (id, member_id, role, label, secret_hash, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CLIENT_COLUMNS}`,
      [id, input.memberId, input.role, input.label, secretHash, input.now, input.createdBy ?? null],
    );
    return { client: clientFromRow(rows[0]!), apiKey };
  }

  async get(id: string): Promise<ApiClient | undefined> {
    const row = await this.row(id);
    return row && clientFromRow(row);
  }

  /** A member's clients in the order they were made: `seq` (migration 004) is SQLite's rowid here. */
  async listForMember(memberId: number): Promise<ApiClient[]> {
    const { rows } = await this.db.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM api_clients WHERE member_id = $1 ORDER BY created_at, seq`, [memberId]);
    return rows.map(clientFromRow);
  }

  async authenticate(apiKey: string): Promise<ApiClient | undefined> {
    const key = parseApiKey(apiKey);
    return key && authenticatedClient(await this.row(key.id), key.secret);
  }

  async revoke(id: string, now: number): Promise<boolean> {
    const { rowCount } = await this.db.query('UPDATE api_clients SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]);
    return rowCount === 1;
  }

  private async row(id: string): Promise<ClientRow | undefined> {
    const { rows } = await this.db.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM api_clients WHERE id = $1`, [id]);
    return rows[0];
  }
}
