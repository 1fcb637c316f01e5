import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NotaryError, type NotaryErrorOptions } from '../errors';

export type SqliteDatabase = Database.Database;

/** A migration file is migrations/NNN-name.sql; NNN orders them and is the schema version it brings. */
const MIGRATIONS_DIR = join(__dirname, 'migrations');

export class StoreError extends NotaryError {
  override name = 'StoreError';
  constructor(message: string, options: NotaryErrorOptions = {}) {
    super('store-error', message, options);
  }
}

/** A fault of the storage under the database, rather than of the request: the disk full or read-only, I/O failing, the file locked. */
export type StorageFault = 'full' | 'read-only' | 'io' | 'busy';

/**
 * The storage fault behind an error, from SQLite's (extended) result code as better-sqlite3 reports it:
 * SQLITE_FULL (no space left, or the size limit), SQLITE_READONLY_* (the file or its directory cannot be
 * written), SQLITE_IOERR_* and SQLITE_CANTOPEN_* (the OS refused a read, write or fsync, e.g. EROFS or EIO),
 * SQLITE_BUSY_* (another writer held the lock past the busy timeout). Undefined for anything else: a
 * constraint or a bug is not the disk's doing. A failed write of this kind rolled its transaction back.
 */
export function storageFaultOf(error: unknown): StorageFault | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (!(current instanceof Database.SqliteError)) continue;
    const { code } = current;
    if (code === 'SQLITE_FULL') return 'full';
    if (code.startsWith('SQLITE_READONLY')) return 'read-only';
    if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return 'io';
    if (code.startsWith('SQLITE_BUSY')) return 'busy';
    return undefined;
  }
  return undefined;
}

export interface OpenDatabaseOptions {
  /** A file path, or ':memory:' for tests. */
  path: string;
  readonly?: boolean;
}

/**
 * Opens the SQLite database: WAL, foreign keys on, full fsync on commit (an acknowledged write survives a
 * power cut, not only a process crash), a busy timeout for the second process that reads it, and every
 * pending migration applied in one transaction each.
 */
export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path, { readonly: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  // 64 MiB of page cache instead of SQLite's 2 MiB: receipt lookups land on random credentials, and a
  // page read from the cache costs no system call.
  db.pragma('cache_size = -65536');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  if (!options.readonly) migrate(db);
  rememberStatements(db);
  return db;
}

/**
 * Makes db.prepare answer the statement it compiled before for the same SQL, so repositories may prepare
 * where they use a statement and still compile it once: a compile costs more than a point query (it was 3% of
 * a receipt lookup). No repository changes a statement's modes (pluck, raw, expand) or iterates one, which
 * sharing would break. SQLite recompiles a statement by itself when a migration changes the schema.
 */
function rememberStatements(db: SqliteDatabase): void {
  const compile = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = compile(sql);
      statements.set(sql, statement);
    }
    return statement;
  }) as SqliteDatabase['prepare'];
}

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(directory = MIGRATIONS_DIR): Migration[] {
  return readdirSync(directory)
    .filter((file) => /^\d{3}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 3)), name: file, sql: readFileSync(join(directory, file), 'utf8') }));
}

/** Applies the migrations newer than the database's user_version, each in its own transaction. */
export function migrate(db: SqliteDatabase, migrations = listMigrations()): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const known = migrations.at(-1)?.version ?? 0;
  if (current > known) {
    throw new StoreError(`the database is at schema version ${current}, newer than this program knows (${known}): upgrade the program`);
  }
  for (const migration of migrations.filter((m) => m.version > current)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
