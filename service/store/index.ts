import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './database';
import { BatchRepository } from './batch-repository';
import { BadgeClassCatalogueRepository } from './catalogue-repository';
import { ChainBindingRepository } from './chain-binding-repository';
import { ClientRepository } from './client-repository';
import { CredentialRepository } from './credential-repository';
import { RegistryMirrorRepository } from './registry-mirror-repository';
import { RevocationRepository } from './revocation-repository';
import { StatsQueries } from './stats-queries';
import { StatusListRepository } from './status-list-repository';
import { StorageHealth } from './storage-health';
import { UsedJwtRepository } from './used-jwt-repository';
import type { BadgeClassDocumentWriter, NotaryStore } from './store-port';

export * from './database';
export * from './batch-repository';
export * from './catalogue-repository';
export * from './chain-binding-repository';
export * from './client-repository';
export * from './credential-repository';
export * from './registry-mirror-repository';
export * from './revocation-repository';
export * from './stats-queries';
export * from './status-list-repository';
export * from './storage-health';
export * from './used-jwt-repository';
export * from './store-port';

/**
 * The store port's SQLite adapter, the embedded default: one database file, one repository per concern. SQL
 * lives only in service/store.
 */
export class Store implements NotaryStore {
  readonly kind = 'sqlite' as const;
  readonly credentials: CredentialRepository;
  readonly batches: BatchRepository;
  readonly clients: ClientRepository;
  readonly chainBinding: ChainBindingRepository;
  readonly registry: RegistryMirrorRepository;
  /** The badge-class catalogue: the mirror of the catalogue contract, and the class documents (docs/catalogue.md). */
  readonly badgeClasses: BadgeClassCatalogueRepository;
  /** Uploaded class documents go straight into badgeClasses: this file is the one database. */
  readonly badgeClassDocuments: BadgeClassDocumentWriter;
  readonly revocations: RevocationRepository;
  readonly usedJwts: UsedJwtRepository;
  /** The dashboard's aggregates (GET /v1/stats). */
  readonly stats: StatsQueries;
  /** Which credential holds which bit of its member's status lists (docs/status-list.md). */
  readonly statusLists: StatusListRepository;
  /** The storage faults the writes of this process met (for readiness). */
  readonly health = new StorageHealth();

  constructor(readonly db: SqliteDatabase) {
    this.credentials = new CredentialRepository(db);
    this.batches = new BatchRepository(db);
    this.clients = new ClientRepository(db);
    this.chainBinding = new ChainBindingRepository(db);
    this.registry = new RegistryMirrorRepository(db);
    const badgeClasses = new BadgeClassCatalogueRepository(db);
    this.badgeClasses = badgeClasses;
    this.badgeClassDocuments = { putDocument: async (stored, document) => badgeClasses.putDocument(stored, document) };
    this.revocations = new RevocationRepository(db);
    this.usedJwts = new UsedJwtRepository(db);
    this.stats = new StatsQueries(db);
    this.statusLists = new StatusListRepository(db);
  }

  static open(options: OpenDatabaseOptions): Store {
    return new Store(openDatabase(options));
  }

  async writeProblem(): Promise<string | undefined> {
    const { db } = this;
    if (!db.open) return 'the database is closed';
    if (db.readonly) return 'the database is open read-only';
    // Taking the write lock waits for another writer (another process) at most briefly: the probe blocks the thread.
    const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 200');
    try {
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
      return undefined;
    } catch (error) {
      return `cannot write: ${(error as Error).message}`;
    } finally {
      db.pragma(`busy_timeout = ${Number(busyTimeout)}`);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
