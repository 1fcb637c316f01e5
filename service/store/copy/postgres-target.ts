/**
 * The PostgreSQL side of a copy: statements run on the one transaction's client (copy-notary-records.ts), so that
 * whatever fails leaves the target as it was.
 */
import type { PgQueryable } from '../postgres/pg-database';
import { StoreError } from '../database';
import type { CopyValue } from './sqlite-source';

/** The target holds a notary's records already: a copy never merges two notaries. */
export class TargetNotEmptyError extends StoreError {
  override name = 'TargetNotEmptyError';
}

/** PostgreSQL's parameters per statement are at most 65,535; rows are also cut by size (trees, artifacts). */
const MAX_PARAMETERS = 60_000;
const MAX_ROWS = 1_000;
const MAX_STATEMENT_BYTES = 16 * 1024 * 1024;

export interface TargetColumn {
  name: string;
  /** 'ALWAYS' or 'BY DEFAULT' for an identity column, else null. */
  identity: 'ALWAYS' | 'BY DEFAULT' | null;
  hasDefault: boolean;
}

/** The tables of the public schema. */
export async function targetTables(client: PgQueryable): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
  return rows.map((row) => row.name);
}

export async function targetColumns(client: PgQueryable, table: string): Promise<TargetColumn[]> {
  const { rows } = await client.query<{ name: string; identity: 'ALWAYS' | 'BY DEFAULT' | null; has_default: boolean }>(
    `SELECT column_name AS name, identity_generation AS identity, column_default IS NOT NULL AS has_default
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => ({ name: row.name, identity: row.identity, hasDefault: row.has_default }));
}

/**
 * Locks `tables` against every other writer until the transaction ends (a replica started on the target too soon
 * waits, or its statements time out), then refuses unless they are all empty.
 * @throws {TargetNotEmptyError} naming the first table that holds a row
 */
export async function lockEmptyTables(client: PgQueryable, tables: readonly string[]): Promise<void> {
  await client.query(`LOCK TABLE ${tables.map((table) => `"${table}"`).join(', ')} IN EXCLUSIVE MODE`);
  for (const table of tables) {
    const { rows } = await client.query<{ held: boolean }>(`SELECT EXISTS (SELECT 1 FROM "${table}") AS held`);
    if (rows[0]?.held) {
      throw new TargetNotEmptyError(`the PostgreSQL database holds records already (table ${table} is not empty): nothing was copied`, {
        hint: "copy into a new, empty database (createdb); a copy never merges into another notary's records",
      });
    }
  }
}

/** Inserts `rows` into `table`'s `columns`, many rows per statement; the number inserted. */
export async function insertRows(client: PgQueryable, table: string, columns: readonly string[], rows: Iterable<CopyValue[]>): Promise<number> {
  const rowsPerStatement = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  const head = `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES `;
  let pending: CopyValue[][] = [];
  let pendingBytes = 0;
  let inserted = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const values = pending.flat();
    const tuples = pending.map((_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`);
    await client.query(head + tuples.join(', '), values);
    inserted += pending.length;
    pending = [];
    pendingBytes = 0;
  };
  for (const row of rows) {
    pending.push(row);
    pendingBytes += row.reduce((sum, value) => sum + (value?.length ?? 0), 0);
    if (pending.length >= rowsPerStatement || pendingBytes >= MAX_STATEMENT_BYTES) await flush();
  }
  await flush();
  return inserted;
}

/** Moves each `BY DEFAULT` identity of `table` past the largest value copied, so the next row takes the next id. */
export async function continueIdentities(client: PgQueryable, table: string, columns: readonly TargetColumn[]): Promise<void> {
  for (const column of columns.filter((candidate) => candidate.identity === 'BY DEFAULT')) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), max_value) FROM (SELECT max("${column.name}") AS max_value FROM "${table}") AS copied WHERE max_value IS NOT NULL`,
      [table, column.name],
    );
  }
}

export async function countRows(client: PgQueryable, table: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${table}"`);
  return Number(rows[0]!.n);
}
