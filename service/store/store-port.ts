/**
 * The store port (issue #13): the repositories the service reads and writes, whichever database holds them. Two
 * adapters fill it: Store (one SQLite file, the embedded default) and PgStore (PostgreSQL, shared by several
 * service processes, with the chain mirror in a SQLite cache of each process's own). The service depends on this
 * type only; the SQL stays in service/store.
 */
import type { BadgeClassDocument } from '../catalogue';
import type { BatchRepository } from './batch-repository';
import type { BadgeClassCatalogueRepository, StoredBadgeClassDocument } from './catalogue-repository';
import type { ChainBindingRepository } from './chain-binding-repository';
import type { ClientRepository } from './client-repository';
import type { CredentialRepository } from './credential-repository';
import type { RegistryMirrorRepository } from './registry-mirror-repository';
import type { RevocationRepository } from './revocation-repository';
import type { StatsQueries } from './stats-queries';
import type { StatusListRepository } from './status-list-repository';
import type { StorageHealth } from './storage-health';
import type { UsedJwtRepository } from './used-jwt-repository';

/** A repository's public methods: what a second adapter implements the same way. */
export type RepositoryOf<T> = { [K in keyof T]: T[K] };

export type StoreKindName = 'sqlite' | 'postgres';

/**
 * Where an uploaded class document is kept (the upload path: service/notary/badge-class-documents.ts). On SQLite,
 * the one database; on PostgreSQL, PostgreSQL first, then the process's SQLite cache (SharedBadgeClassDocuments).
 */
export interface BadgeClassDocumentWriter {
  /**
   * Keeps a document (checked by the caller: `canonical` is its RFC 8785 JSON and `classId` its keccak-256):
   * 'created', or 'unchanged' when it was held already. Resolves once it is committed.
   */
  putDocument(stored: StoredBadgeClassDocument, document: BadgeClassDocument): Promise<'created' | 'unchanged'>;
}

export interface NotaryStore {
  /** Which database holds the notary's records. */
  readonly kind: StoreKindName;
  readonly credentials: RepositoryOf<CredentialRepository>;
  readonly batches: RepositoryOf<BatchRepository>;
  readonly clients: RepositoryOf<ClientRepository>;
  readonly chainBinding: RepositoryOf<ChainBindingRepository>;
  readonly revocations: RepositoryOf<RevocationRepository>;
  readonly usedJwts: RepositoryOf<UsedJwtRepository>;
  /** Which credential holds which bit of its member's status lists (docs/status-list.md). */
  readonly statusLists: RepositoryOf<StatusListRepository>;
  /** The dashboard's aggregates (GET /v1/stats). */
  readonly stats: RepositoryOf<StatsQueries>;
  /** The mirror of the registry's events: derived from the chain, so each process may keep its own. */
  readonly registry: RegistryMirrorRepository;
  /**
   * The badge-class catalogue as this process reads it: the mirror of the catalogue contract, and the class
   * documents with their full-text index (docs/catalogue.md). On PostgreSQL, the process's SQLite cache.
   */
  readonly badgeClasses: BadgeClassCatalogueRepository;
  /** Where uploaded class documents are kept: written here, read through badgeClasses. */
  readonly badgeClassDocuments: BadgeClassDocumentWriter;
  /** The storage faults the writes of this process met (for readiness). */
  readonly health: StorageHealth;
  /**
   * Why the notary's records cannot be written now (closed, read-only, the write lock not to be had within a
   * moment, the server unreachable), or undefined when they can: what GET /ready checks.
   */
  writeProblem(): Promise<string | undefined>;
  close(): void | Promise<void>;
}
