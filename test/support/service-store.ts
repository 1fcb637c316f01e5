import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Leadership } from '../../service/leadership';
import { Store, type NotaryStore } from '../../service/store';
import { PgLeaseStore } from '../../service/store/postgres/lease-store';
import { migratePostgres } from '../../service/store/postgres/migrate';
import { PgDatabase } from '../../service/store/postgres/pg-database';
import { PgStore } from '../../service/store/postgres/pg-store';
import { postgresBinaries, startPostgres, type PostgresServer } from './postgres-server';

/**
 * Which store the service's suites run on (issue #13: the same tests on both stores). SQLite unless a suite is run
 * again under runOnPostgres (test/postgres/service-suites.postgres.test.ts): the helpers that open a store for a
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
  if (started) await (await started).destroy();
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
