/**
 * The PostgreSQL store's migrations: migrations/NNN-name.sql, each applied once in its own transaction and
 * recorded in schema_migrations. Several service processes may start at once on one database: an advisory lock
 * makes them migrate one after the other, so the second finds the work done.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { StoreError } from '../database';

const MIGRATIONS_DIR = join(__dirname, 'migrations');
/** The advisory lock's key: any constant the service uses for nothing else. */
const MIGRATION_LOCK = 4_702_118_311;

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

export function listPostgresMigrations(directory = MIGRATIONS_DIR): PostgresMigration[] {
  return readdirSync(directory)
    .filter((file) => /^\d{3}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 3)), name: file, sql: readFileSync(join(directory, file), 'utf8') }));
}

/** Applies every pending migration; the schema version afterwards. */
export async function migratePostgres(pool: Pool, migrations = listPostgresMigrations()): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ version: string | null }>('SELECT max(version) AS version FROM schema_migrations');
      const current = Number(rows[0]?.version ?? 0);
      const known = migrations.at(-1)?.version ?? 0;
      if (current > known) {
        throw new StoreError(`the database is at schema version ${current}, newer than this program knows (${known}): upgrade the program`);
      }
      for (const migration of migrations.filter((m) => m.version > current)) {
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new StoreError(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
      }
      return Math.max(current, known);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
