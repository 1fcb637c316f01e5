/**
 * The store port's PostgreSQL adapter (issue #13): the notary's own records (credentials, batches, API clients,
 * revocation requests, used JWTs, the chain binding, status-list bindings) in one PostgreSQL database that several
 * service processes share; the chain mirror (the registry's and the catalogue's events, derived from the chain) in
 * a SQLite cache of this process's own, which its indexer fills. Batch writes are fenced by the anchorer's lease:
 * only its holder seals, signs and records anchors (PgBatchRepository).
 */
import type { LeaseFence } from '../../leadership';
import { Store } from '../index';
import { StorageHealth } from '../storage-health';
import type { NotaryStore } from '../store-port';
import { PgBatchRepository } from './pg-batch-repository';
import { PgChainBindingRepository } from './pg-chain-binding-repository';
import { PgClientRepository } from './pg-client-repository';
import { PgCredentialRepository } from './pg-credential-repository';
import type { PgDatabase } from './pg-database';
import { PgRevocationRepository } from './pg-revocation-repository';
import { PgServiceKeys } from './pg-service-keys';
import { PgCatalogueDocuments } from './pg-catalogue-documents';
import { SharedBadgeClassDocuments } from './shared-badge-class-documents';
import { CatalogueDocumentSync } from './catalogue-document-sync';
import { PgStatsQueries } from './pg-stats-queries';
import { PgStatusListRepository } from './pg-status-list-repository';
import { PgUsedJwtRepository } from './pg-used-jwt-repository';

export class PgStore implements NotaryStore {
  readonly kind = 'postgres' as const;
  readonly credentials: PgCredentialRepository;
  readonly batches: PgBatchRepository;
  readonly clients: PgClientRepository;
  readonly chainBinding: PgChainBindingRepository;
  readonly revocations: PgRevocationRepository;
  readonly usedJwts: PgUsedJwtRepository;
  readonly statusLists: PgStatusListRepository;
  readonly stats: PgStatsQueries;
  readonly registry: NotaryStore['registry'];
  readonly badgeClasses: NotaryStore['badgeClasses'];
  /** Uploads of class documents: committed in PostgreSQL, then in this process's cache. */
  readonly badgeClassDocuments: SharedBadgeClassDocuments;
  /** Copies the documents other processes took into this process's cache (run it on a timer). */
  readonly catalogueDocumentSync: CatalogueDocumentSync;
  /** The keys every process shares (the status-list key). */
  readonly serviceKeys: PgServiceKeys;
  readonly health = new StorageHealth();

  /**
   * @param db the shared database, migrated (migratePostgres)
   * @param mirrorCache this process's SQLite cache of the chain mirror
   * @param fence the anchorer's lease this process's batch writes are made under (Leadership.fence())
   */
  constructor(
    readonly db: PgDatabase,
    readonly mirrorCache: Store,
    fence: LeaseFence,
  ) {
    this.credentials = new PgCredentialRepository(db);
    this.batches = new PgBatchRepository(db, fence);
    this.clients = new PgClientRepository(db);
    this.chainBinding = new PgChainBindingRepository(db);
    this.revocations = new PgRevocationRepository(db);
    this.usedJwts = new PgUsedJwtRepository(db);
    this.serviceKeys = new PgServiceKeys(db);
    this.registry = mirrorCache.registry;
    this.badgeClasses = mirrorCache.badgeClasses;
    const documents = new PgCatalogueDocuments(db);
    this.badgeClassDocuments = new SharedBadgeClassDocuments({ documents, cache: mirrorCache.badgeClasses });
    this.catalogueDocumentSync = new CatalogueDocumentSync({ documents, cache: mirrorCache.badgeClasses });
    this.statusLists = new PgStatusListRepository(db);
    this.stats = new PgStatsQueries(db);
  }

  async writeProblem(): Promise<string | undefined> {
    try {
      // A standby (or a server set read-only) takes reads and refuses every write.
      const { rows } = await this.db.query<{ read_only: string }>("SELECT current_setting('transaction_read_only') AS read_only");
      return rows[0]?.read_only === 'on' ? 'the PostgreSQL server takes no writes (read-only, or a standby)' : undefined;
    } catch (error) {
      return `cannot reach PostgreSQL: ${(error as Error).message}`;
    }
  }

  async close(): Promise<void> {
    this.mirrorCache.close();
    await this.db.close();
  }
}
