import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NotaryError, type NotaryErrorOptions } from '../errors';
import { postgresFaultOf } from './postgres/pg-faults';

export type SqliteDatabase = Database.Database;

/** A migration file is migrations/NNN-name.sql; NNN orders them and is the schema version it brings. */
const MIGRATIONS_DIR = join(__dirname, 'migrations');

export class StoreError extends NotaryError {
  override name = 'StoreError';
  constructor(message: string, options: NotaryErrorOptions = {}) {
    super('store-error', message, options);
  }
}

import type { StorageFault } from './storage-fault';

export type { StorageFault } from './storage-fault';

/**
 * The storage fault behind an error, from SQLite's (extended) result code as better-sqlite3 reports it:
 * SQLITE_FULL (no space left, or the size limit), SQLITE_READONLY_* (the file or its directory cannot be
 * written), SQLITE_IOERR_* and SQLITE_CANTOPEN_* (the OS refused a read, write or fsync, e.g. EROFS or EIO),
 * SQLITE_BUSY_* (another writer held the lock past the busy timeout). Undefined for anything else: a
 * constraint or a bug is not the disk's doing. A failed write of this kind rolled its transaction back.
 * PostgreSQL's faults (postgresFaultOf) count the same way, with 'unreachable' for a server gone away.
 */
export function storageFaultOf(error: unknown): StorageFault | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (!(current instanceof Database.SqliteError)) {
      const fault = postgresFaultOf(current);
      if (fault) return fault;
      continue;
    }
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
  if (options.path !== ':memory:' && !options.readonly) keepPrivate(options.path);
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
 * The database holds API key hashes and the credentials taken: its directory is created 0700 and the file
 * 0600 (an older one is made so). SQLite gives the -wal and -shm files the database file's mode.
 */
function keepPrivate(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

export class DirectoryLockedError extends StoreError {
  override name = 'DirectoryLockedError';
}

/** A directory held by this process: release() gives it up. */
export interface DirectoryLock {
  path: string;
  release(): void;
}

/**
 * Takes the lock of a data directory (created 0700 if missing): the file `notary.lock` there, made exclusively,
 * with this process's id. A lock whose process is gone (killed, crashed) is stale and taken over.
 * @throws {DirectoryLockedError} when a live process holds it.
 */
export function lockDirectory(directory: string): DirectoryLock {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const path = join(directory, 'notary.lock');
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        path,
        release: () => {
          if (holderOf(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(path);
      if (holder !== undefined && isRunning(holder)) {
        throw new DirectoryLockedError(`the data directory ${directory} is in use by process ${holder} (another badge-notary); its lock is ${path}`);
      }
      rmSync(path, { force: true });
    }
  }
}

function holderOf(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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

/** Deletes a SQLite database file with its WAL and shared-memory files (a cache to be made again). */
export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}
