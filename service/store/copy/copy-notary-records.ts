/**
 * Moves a notary from its SQLite file to PostgreSQL (docs/store-copy.md): the
 * notary's own records (notary-tables.ts) go, in one PostgreSQL transaction, into a migrated database that holds
 * none; the chain mirror stays behind, each replica's indexer refilling it from the chain. The check (copy-check.ts)
 * runs inside the transaction, so a copy that fails it, or fails anywhere, leaves the target without a record.
 */
import { StoreError } from '../database';
import { migratePostgres } from '../postgres/migrate';
import type { PgDatabase } from '../postgres/pg-database';
import { checkCopy, type CopyCheck } from './copy-check';
import { NOTARY_TABLES, unclassifiedTables, type NotaryTable } from './notary-tables';
import { continueIdentities, insertRows, lockEmptyTables, targetColumns, targetTables, type TargetColumn } from './postgres-target';
import { SqliteCopySource } from './sqlite-source';

export interface SharedKeyToCopy {
  /** Its name among the keys the replicas share (service_keys.name). */
  name: string;
  /** The key as the service stores it (service_keys.exported). */
  exported: string;
}

export interface CopyNotaryRecordsOptions {
  /** The notary's SQLite file; no process may have it open. */
  source: string;
  /** The PostgreSQL database, connected; migrated here. The caller closes it. */
  target: PgDatabase;
  /** Keys kept beside the SQLite file that the replicas share from the database (the status-list key). */
  sharedKeys?: readonly SharedKeyToCopy[];
  /** Credentials whose proofs are checked on both sides. Default 100. */
  sample?: number;
  /** The time stored with the copied keys (ms). */
  now?: number;
  /** How long to wait for a lock on the target's tables before giving up (ms). Default 10 s. */
  lockTimeoutMs?: number;
}

export interface CopyReport {
  /** Rows copied per table, in the order they were copied. */
  tables: { table: NotaryTable; rows: number }[];
  /** The names of the shared keys copied. */
  sharedKeys: string[];
  check: CopyCheck;
}

/**
 * Copies the notary's records from `source` into `target`, or nothing.
 * @throws {CopySourceError} when the SQLite file is missing, in use or of another schema version
 * @throws {TargetNotEmptyError} when the target holds records already (named by table)
 * @throws {CopyCheckError} when the copied rows do not answer as the source's (rolled back)
 * @throws {StoreError} when a schema has a table this program does not know to copy or leave, or a column differs
 */
export async function copyNotaryRecords(options: CopyNotaryRecordsOptions): Promise<CopyReport> {
  const source = SqliteCopySource.open(options.source);
  try {
    await migratePostgres(options.target.pool);
    const unknown = unclassifiedTables([...new Set([...source.tables(), ...(await targetTables(options.target))])]);
    if (unknown.length > 0) {
      throw new StoreError(
        `this program does not know whether to copy ${unknown.length === 1 ? 'table' : 'tables'} ${unknown.join(', ')}: nothing was copied`,
        {
          hint: "a migration added a table without saying, in service/store/copy/notary-tables.ts, whether it is the notary's record",
        },
      );
    }
    const sharedKeys = options.sharedKeys ?? [];
    return await options.target.transaction(async (client) => {
      await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.lockTimeoutMs ?? 10_000))}`);
      await lockEmptyTables(client, [...NOTARY_TABLES, ...(sharedKeys.length > 0 ? ['service_keys'] : [])]);
      const tables: CopyReport['tables'] = [];
      const identities: { table: string; target: TargetColumn[] }[] = [];
      for (const table of NOTARY_TABLES) {
        const columns = source.columns(table);
        const target = await targetColumns(client, table);
        const missing = columns.filter((column) => !target.some((candidate) => candidate.name === column));
        const unfilled = target.filter((column) => !columns.includes(column.name) && column.identity === null && !column.hasDefault);
        if (missing.length > 0 || unfilled.length > 0) {
          throw new StoreError(
            `table ${table} differs between the schemas (${[...missing.map((c) => `${c} only in SQLite`), ...unfilled.map((c) => `${c.name} only in PostgreSQL`)].join(', ')}): nothing was copied`,
          );
        }
        const rows = await insertRows(client, table, columns, source.rows(table, columns));
        tables.push({ table, rows });
        identities.push({ table, target });
      }
      for (const key of sharedKeys) {
        await client.query('INSERT INTO service_keys (name, exported, created_at) VALUES ($1, $2, $3)', [key.name, key.exported, options.now ?? Date.now()]);
      }
      const check = await checkCopy(source, client, NOTARY_TABLES, options.sample ?? 100);
      // Last, once everything else has passed: a sequence's setval is not undone by a rollback.
      for (const { table, target } of identities) await continueIdentities(client, table, target);
      return { tables, sharedKeys: sharedKeys.map((key) => key.name), check };
    });
  } finally {
    source.close();
  }
}
