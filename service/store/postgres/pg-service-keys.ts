/**
 * The keys every process of one notary shares (migrations/006-service-keys.sql): the first process that asks for
 * a key makes it, the others read the one it stored, even when several start at once.
 */
import type { PgQueryable } from './pg-database';

export class PgServiceKeys {
  constructor(private readonly db: PgQueryable) {}

  /** The key stored under `name`, stored first from `make()` if there is none yet (the first writer wins). */
  async getOrCreate(name: string, make: () => string, now: number): Promise<string> {
    await this.db.query('INSERT INTO service_keys (name, exported, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [name, make(), now]);
    const { rows } = await this.db.query<{ exported: string }>('SELECT exported FROM service_keys WHERE name = $1', [name]);
    return rows[0]!.exported;
  }
}
