import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Store,
  type BatchRepository,
  type ChainBindingRepository,
  type ClientRepository,
  type CredentialRepository,
  type NewCredential,
  type RevocationRepository,
  type StatsQueries,
  type StatusListRepository,
  type UsedJwtRepository,
} from '../../service/store';
import { PgBatchRepository } from '../../service/store/postgres/pg-batch-repository';
import { PgChainBindingRepository } from '../../service/store/postgres/pg-chain-binding-repository';
import { PgClientRepository } from '../../service/store/postgres/pg-client-repository';
import { PgCredentialRepository } from '../../service/store/postgres/pg-credential-repository';
import { PgRevocationRepository } from '../../service/store/postgres/pg-revocation-repository';
import { PgStatsQueries } from '../../service/store/postgres/pg-stats-queries';
import { PgStatusListRepository } from '../../service/store/postgres/pg-status-list-repository';
import { PgUsedJwtRepository } from '../../service/store/postgres/pg-used-jwt-repository';
import { PgDatabase } from '../../service/store/postgres/pg-database';
import { migratePostgres } from '../../service/store/postgres/migrate';
import { postgresBinaries, startPostgres, type PostgresServer } from './postgres-server';

/**
 * The two stores (issue #13), for repository tests that run the same suite on both: SQLite in a temporary file,
 * and PostgreSQL on a real server the suite starts (Debian's package), emptied between tests.
 */
export interface StoreUnderTest {
  credentials: Pick<CredentialRepository, keyof CredentialRepository>;
  statusLists: Pick<StatusListRepository, keyof StatusListRepository>;
  stats: Pick<StatsQueries, keyof StatsQueries>;
  batches: Pick<BatchRepository, keyof BatchRepository>;
  clients: Pick<ClientRepository, keyof ClientRepository>;
  revocations: Pick<RevocationRepository, keyof RevocationRepository>;
  usedJwts: Pick<UsedJwtRepository, keyof UsedJwtRepository>;
  chainBinding: Pick<ChainBindingRepository, keyof ChainBindingRepository>;
  /** Every row of a table, as stored (to check what is kept, such as no secret in clear). */
  rows(table: string): Promise<Record<string, unknown>[]>;
  /** Puts credentials in the queue. */
  queue(records: readonly NewCredential[]): Promise<void>;
  /** A credential's place in its batch. */
  placement(digest: string): Promise<{ batchId: number | null; leafIndex: number | null } | undefined>;
  /** What became of an anchor transaction, as stored. */
  outcome(txHash: string): Promise<string | null | undefined>;
}

export interface StoreKind {
  name: 'SQLite' | 'PostgreSQL';
  /** Why this store cannot be tested on this machine, or undefined when it can. */
  missing(): string | undefined;
  /** Once per suite. */
  start(): Promise<void>;
  /** A new, empty store for one test. */
  open(): Promise<StoreUnderTest>;
  /** After each test. */
  close(): Promise<void>;
  /** Once per suite. */
  stop(): Promise<void>;
}

function sqliteKind(): StoreKind {
  let directory: string | undefined;
  let store: Store | undefined;
  return {
    name: 'SQLite',
    missing: () => undefined,
    start: async () => undefined,
    async open() {
      directory = mkdtempSync(join(tmpdir(), 'badge-notary-store-'));
      const opened = Store.open({ path: join(directory, 'notary.sqlite') });
      store = opened;
      return {
        credentials: opened.credentials,
        statusLists: opened.statusLists,
        stats: opened.stats,
        batches: opened.batches,
        clients: opened.clients,
        revocations: opened.revocations,
        usedJwts: opened.usedJwts,
        chainBinding: opened.chainBinding,
        rows: async (table) => opened.db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[],
        queue: async (records) => void (await opened.credentials.insertMany(records)),
        placement: async (digest) => {
          const stored = await opened.credentials.placement(digest);
          return stored && { batchId: stored.batchId, leafIndex: stored.leafIndex };
        },
        outcome: async (txHash) => (opened.db.prepare('SELECT outcome FROM anchor_transactions WHERE tx_hash = ?').get(txHash) as { outcome: string | null } | undefined)?.outcome,
      };
    },
    async close() {
      store?.close();
      if (directory) rmSync(directory, { recursive: true, force: true });
      store = undefined;
      directory = undefined;
    },
    stop: async () => undefined,
  };
}

function postgresKind(): StoreKind {
  let server: PostgresServer | undefined;
  let db: PgDatabase | undefined;
  return {
    name: 'PostgreSQL',
    missing: () => (postgresBinaries() ? undefined : "PostgreSQL is missing; install Debian's with: apt-get install -y postgresql"),
    async start() {
      server = await startPostgres();
      db = PgDatabase.connect(server.url, { max: 4 });
      await migratePostgres(db.pool);
    },
    async open() {
      const database = db!;
      const { rows } = await database.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations')",
      );
      await database.query(`TRUNCATE ${rows.map((row) => row.name).join(', ')} RESTART IDENTITY CASCADE`);
      const credentials = new PgCredentialRepository(database);
      return {
        credentials,
        statusLists: new PgStatusListRepository(database),
        stats: new PgStatsQueries(database),
        batches: new PgBatchRepository(database),
        clients: new PgClientRepository(database),
        revocations: new PgRevocationRepository(database),
        usedJwts: new PgUsedJwtRepository(database),
        chainBinding: new PgChainBindingRepository(database),
        rows: async (table) => (await database.query<Record<string, unknown>>(`SELECT * FROM "${table}"`)).rows,
        queue: async (records) => void (await credentials.insertMany(records)),
        placement: async (digest) => {
          const stored = await credentials.placement(digest);
          return stored && { batchId: stored.batchId, leafIndex: stored.leafIndex };
        },
        async outcome(txHash) {
          const { rows: found } = await database.query<{ outcome: string | null }>('SELECT outcome FROM anchor_transactions WHERE tx_hash = $1', [txHash]);
          return found[0]?.outcome;
        },
      };
    },
    close: async () => undefined,
    async stop() {
      await db?.close();
      await server?.destroy();
    },
  };
}

export const STORE_KINDS: readonly (() => StoreKind)[] = [sqliteKind, postgresKind];

/**
 * Runs `suite` once per store: `current()` is the store of the running test. A store this machine cannot run
 * says so and its copy of the suite is skipped.
 */
export function describeOnEveryStore(title: string, suite: (current: () => StoreUnderTest) => void): void {
  for (const makeKind of STORE_KINDS) {
    const kind = makeKind();
    describe(`${title} (${kind.name})`, function () {
      this.timeout(120_000);
      let store: StoreUnderTest | undefined;
      before(async function () {
        const missing = kind.missing();
        if (missing) {
          console.log(`      skipped: ${missing}`);
          this.skip();
        }
        await kind.start();
      });
      after(() => kind.stop());
      beforeEach(async () => {
        store = await kind.open();
      });
      afterEach(() => kind.close());
      suite(() => store!);
    });
  }
}
