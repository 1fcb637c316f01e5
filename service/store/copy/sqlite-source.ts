/**
 * The SQLite database a copy reads (docs/store-copy.md): held alone for the whole
 * copy and never written. A service that has the file open (even idle) makes the copy refuse to start; once the copy
 * holds it, a service that starts meanwhile cannot open it, so nothing is written behind the copy's back.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { StoreError, listMigrations, type SqliteDatabase } from '../database';

export class CopySourceError extends StoreError {
  override name = 'CopySourceError';
}

/** A value as the copy hands it to PostgreSQL: integers exact (decimal text), text, bytes, or NULL. */
export type CopyValue = string | Buffer | null;

export class SqliteCopySource {
  private constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
  ) {}

  /**
   * Opens `path` alone: SQLite's exclusive locking mode, taken at once (no wait), so that any other connection,
   * a running service's included, makes it fail; then every write refused (query_only) and one read transaction,
   * so every table is read as of one moment.
   * @throws {CopySourceError} when the file is missing, another process has it open, or its schema is not this program's
   */
  static open(path: string): SqliteCopySource {
    if (!existsSync(path))
      throw new CopySourceError(`${path} does not exist: give the notary's SQLite file (BADGE_NOTARY_DATABASE, default data/notary.sqlite)`);
    let db: SqliteDatabase;
    try {
      db = new Database(path, { fileMustExist: true, timeout: 0 });
    } catch (error) {
      throw new CopySourceError(`cannot open ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      try {
        // Held until the connection closes (exclusive locking mode); it writes nothing.
        db.exec('BEGIN EXCLUSIVE');
        db.exec('COMMIT');
      } catch (error) {
        throw new CopySourceError(`${path} is open in another process (a running badge-notary?): stop the service first, then copy`, {
          cause: error,
          hint: 'the copy must read a database nobody writes; a clean stop (SIGTERM) also checkpoints its write-ahead log',
        });
      }
      db.pragma('query_only = ON');
      const version = db.pragma('user_version', { simple: true }) as number;
      const known = listMigrations().at(-1)?.version ?? 0;
      if (version !== known) {
        throw new CopySourceError(
          `${path} is at schema version ${version}, this program's is ${known}: ${version < known ? 'start the service of this version on it once (it migrates), stop it, then copy' : 'copy with the program that wrote it'}`,
        );
      }
      db.exec('BEGIN');
      return new SqliteCopySource(path, db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The tables of the schema, without SQLite's own and the shadow tables of a full-text index (part of the index). */
  tables(): string[] {
    const all = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
      name: string;
      sql: string;
    }[];
    const virtual = all.filter((table) => /^CREATE VIRTUAL TABLE/i.test(table.sql)).map((table) => table.name);
    return all.map((table) => table.name).filter((name) => !virtual.some((index) => name.startsWith(`${index}_`)));
  }

  columns(table: string): string[] {
    return (this.db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((column) => column.name);
  }

  count(table: string): number {
    return Number((this.db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n);
  }

  /**
   * Every row of `table`, its `columns` in that order, in the order the rows were written when the table keeps it
   * (its rowid: PostgreSQL numbers api_clients, anchor_transactions and catalogue_documents in insert order).
   */
  *rows(table: string, columns: readonly string[]): Generator<CopyValue[]> {
    const withRowid = !/WITHOUT ROWID\s*$/i.test(
      (this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { sql: string }).sql,
    );
    const statement = this.db.prepare(`SELECT ${columns.map((column) => `"${column}"`).join(', ')} FROM "${table}"${withRowid ? ' ORDER BY rowid' : ''}`);
    for (const row of statement.raw(true).safeIntegers(true).iterate() as Iterable<unknown[]>) yield row.map(copyValue);
  }

  /** Reads one row or none; for the check. */
  get<R>(sql: string, ...params: unknown[]): R | undefined {
    return this.db.prepare(sql).get(...params) as R | undefined;
  }

  all<R>(sql: string, ...params: unknown[]): R[] {
    return this.db.prepare(sql).all(...params) as R[];
  }

  /** Ends the read and lets the file go. */
  close(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }
}

function copyValue(value: unknown): CopyValue {
  if (value === null || typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (typeof value === 'bigint') return value.toString();
  // A REAL in an INTEGER column is not a value this schema ever holds; PostgreSQL's bigint would refuse it anyway.
  return String(value);
}
