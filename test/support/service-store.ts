import BetterSqlite from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Leadership } from '../../service/leadership';
import { Store, type NotaryStore, type RevocationRepository } from '../../service/store';
import { PgLeaseStore } from '../../service/store/postgres/lease-store';
import { migratePostgres } from '../../service/store/postgres/migrate';
import { PgDatabase } from '../../service/store/postgres/pg-database';
import { PgRevocationRepository } from '../../service/store/postgres/pg-revocation-repository';
import { PgStore } from '../../service/store/postgres/pg-store';
import { postgresBinaries, startPostgres, type PostgresServer } from './postgres-server';

/**
 * Which store the service's suites run on (issue #13: the same tests on both stores). SQLite unless a suite is run
 * again by test/on-postgres/service-suites.test.ts: the helpers that open a store for a
 * test (test/http/helpers.ts makeEnv, the process starters) ask here which one to open.
 */
export type ServiceStoreName = 'sqlite' | 'postgres';

let current: ServiceStoreName = 'sqlite';

export function serviceStoreUnderTest(): ServiceStoreName {
  return current;
}

/** Sets the store of the suites that run from now on (the wrapper's before and after hooks call it). */
export function useServiceStore(name: ServiceStoreName): void {
  current = name;
}

/** Why PostgreSQL cannot be tested on this machine, or undefined. */
export function postgresMissing(): string | undefined {
  return postgresBinaries() ? undefined : "PostgreSQL is missing; install Debian's with: apt-get install -y postgresql";
}

/** One server for the whole run, started on first use; each test gets a database of its own on it. */
let server: Promise<PostgresServer> | undefined;
let template: Promise<void> | undefined;
const TEMPLATE = 'notary_migrated';

function sharedServer(): Promise<PostgresServer> {
  server ??= startPostgres();
  return server;
}

/** Stops the shared server, if one was started (the wrapper's root after hook). */
export async function stopSharedPostgres(): Promise<void> {
  const started = server;
  server = undefined;
  template = undefined;
  processDatabases.clear();
  if (started) await (await started).destroy();
}

/**
 * The PostgreSQL databases of the service processes the tests started, by data directory: the database belongs to
 * the directory, not to one process, so a process restarted on its directory (after a stop or a SIGKILL) finds
 * the records the one before it left, as it would find its SQLite file there.
 */
const processDatabases = new Map<string, Promise<{ url: string; drop(): Promise<void> }>>();

/**
 * What a service process started now (scripts/start.ts, test/support/killable-service.ts) adds to its environment to
 * run on the store under test: nothing on SQLite (its file in its data directory); on PostgreSQL the URL of the
 * database of `dataDir`, made fresh the first time a process is started on that directory, and a short lease.
 */
export async function serviceProcessEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  if (current === 'sqlite') return {};
  const key = resolve(dataDir);
  let database = processDatabases.get(key);
  if (!database) {
    database = freshPostgresDatabase();
    processDatabases.set(key, database);
  }
  // A lease of 5 s, not 15: a process restarted after a SIGKILL takes over from its dead self once the lease
  // runs out, and the fault tests kill and restart several times (a test's own value wins).
  return { BADGE_NOTARY_DATABASE_URL: (await database).url, BADGE_NOTARY_LEASE_TTL_MS: '5000' };
}

/**
 * Drops the databases of the processes started so far (the wrapper's after hook of each test file, once the file's
 * own hooks have stopped its processes; a process still running loses its connections).
 */
export async function dropProcessDatabases(): Promise<void> {
  const databases = [...processDatabases.values()];
  processDatabases.clear();
  for (const database of databases) await (await database).drop();
}

/**
 * A new, empty, migrated database on the shared server: its URL, and how to drop it. Copied from a template
 * migrated once, so a test pays a CREATE DATABASE, not the migrations.
 */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const running = await sharedServer();
  const admin = PgDatabase.connect(running.url, { max: 1 });
  try {
    template ??= (async () => {
      await admin.query(`CREATE DATABASE ${TEMPLATE}`);
      const migrated = PgDatabase.connect(withDatabase(running.url, TEMPLATE), { max: 1 });
      try {
        await migratePostgres(migrated.pool);
      } finally {
        await migrated.close();
      }
    })();
    await template;
    const name = `notary_${randomUUID().replaceAll('-', '')}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    return {
      url: withDatabase(running.url, name),
      async drop() {
        const dropper = PgDatabase.connect(running.url, { max: 1 });
        try {
          await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await dropper.close();
        }
      },
    };
  } finally {
    await admin.close();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface OpenedServiceStore {
  /** The open store (reopen() replaces it). */
  readonly store: NotaryStore;
  /** The SQLite file of the store (SQLite), or of the chain-mirror cache (PostgreSQL). */
  sqlitePath: string;
  /**
   * Runs one statement on the database that holds the notary's records, `?` for each parameter: to change what is
   * stored behind the service's back, as a test of what it then does.
   */
  sql(statement: string, params?: unknown[]): Promise<void>;
  /** The columns of a table of the notary's records, as the database describes it. */
  columns(table: string): Promise<string[]>;
  /** Closes the store and opens it again on the same database, as a restarted process would. */
  reopen(): Promise<NotaryStore>;
  /** Closes the store and drops what it made (the PostgreSQL database); the caller removes `directory`. */
  close(): Promise<void>;
}

/**
 * The store a service test runs on, in `directory`: a SQLite file, or a fresh PostgreSQL database with this
 * process as the anchorer's leaseholder and its mirror cache in `directory`, as service/notary-process.ts opens it.
 */
export async function openServiceStore(directory: string): Promise<OpenedServiceStore> {
  if (current === 'sqlite') {
    const sqlitePath = join(directory, 'notary.sqlite');
    let store = Store.open({ path: sqlitePath });
    return {
      get store() {
        return store;
      },
      sqlitePath,
      sql: async (statement, params = []) => void store.db.prepare(statement).run(...params),
      columns: async (table) => (store.db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((column) => column.name),
      async reopen() {
        store.close();
        store = Store.open({ path: sqlitePath });
        return store;
      },
      close: async () => store.close(),
    };
  }
  const database = await freshPostgresDatabase();
  const sqlitePath = join(directory, 'chain-mirror.sqlite');
  const open = async () => {
    const db = PgDatabase.connect(database.url, { max: 4 });
    // A lease far longer than any test: this process anchors for the whole test, as the one replica there is.
    const leadership = new Leadership(new PgLeaseStore(db.pool), { lease: 'anchorer', holder: `test/${randomUUID()}`, ttlMs: 3_600_000 });
    if (!(await leadership.step())) throw new Error('the test store could not take the anchorer lease of its own database');
    return { leadership, store: new PgStore(db, Store.open({ path: sqlitePath }), leadership.fence()) };
  };
  let opened = await open();
  const closeOpened = async () => {
    // As a process that stops: the lease is handed back, so the next one takes it at once.
    await opened.leadership.stepDown();
    await opened.store.close();
  };
  return {
    get store() {
      return opened.store;
    },
    sqlitePath,
    async sql(statement, params = []) {
      let index = 0;
      await opened.store.db.query(statement.replace(/\?/g, () => `$${++index}`), params);
    },
    async columns(table) {
      const { rows } = await opened.store.db.query<{ name: string }>(
        'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
        [table],
      );
      return rows.map((row) => row.name);
    },
    async reopen() {
      await closeOpened();
      opened = await open();
      return opened.store;
    },
    async close() {
      await closeOpened();
      await database.drop();
    },
  };
}

/** What a service process stored, read behind its back (read-only), as a test checks what the process kept. */
export interface ProcessStoreReader {
  /** Which store the process ran on. */
  readonly kind: ServiceStoreName;
  /** The revocation requests, read as the service reads them. */
  readonly revocations: Pick<RevocationRepository, 'get'>;
  /**
   * Every table with its rows: the notary's records (the SQLite file, or the PostgreSQL database) and, on PostgreSQL,
   * the process's chain-mirror cache too (its tables named `chain-mirror.sqlite:<table>`).
   */
  dump(): Promise<{ table: string; rows: Record<string, unknown>[] }[]>;
  /** The rows of one query of the notary's records, as the driver returns them (PostgreSQL's bigint as a string). */
  rows(query: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * Opens read-only what the service processes on `dataDir` stored: the PostgreSQL database of that directory when one
 * was given to them (serviceProcessEnv), else their SQLite file there, which must exist.
 */
export async function readProcessStore(dataDir: string): Promise<ProcessStoreReader> {
  const database = processDatabases.get(resolve(dataDir));
  if (!database) {
    const store = Store.open({ path: join(dataDir, 'notary.sqlite'), readonly: true });
    return {
      kind: 'sqlite',
      revocations: store.revocations,
      dump: async () => sqliteTables(store.db),
      rows: async (query) => store.db.prepare(query).all() as Record<string, unknown>[],
      close: async () => store.close(),
    };
  }
  const db = PgDatabase.connect((await database).url, { max: 1 });
  return {
    kind: 'postgres',
    revocations: new PgRevocationRepository(db),
    async dump() {
      const { rows: tables } = await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
      const dumped: { table: string; rows: Record<string, unknown>[] }[] = [];
      for (const { name } of tables) dumped.push({ table: name, rows: (await db.query<Record<string, unknown>>(`SELECT * FROM "${name}"`)).rows });
      const cache = new BetterSqlite(join(dataDir, 'chain-mirror.sqlite'), { readonly: true, fileMustExist: true });
      try {
        for (const { table, rows } of sqliteTables(cache)) dumped.push({ table: `chain-mirror.sqlite:${table}`, rows });
      } finally {
        cache.close();
      }
      return dumped;
    },
    rows: async (query) => (await db.query<Record<string, unknown>>(query)).rows,
    close: () => db.close(),
  };
}

function sqliteTables(db: BetterSqlite.Database): { table: string; rows: Record<string, unknown>[] }[] {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return tables.map(({ name }) => ({ table: name, rows: db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all() as Record<string, unknown>[] }));
}
