/**
 * The upload path of a PostgreSQL deployment (the BadgeClassDocumentWriter of the store port): a document is
 * kept in PostgreSQL, which every replica copies from (CatalogueDocumentSync), then in this process's SQLite
 * cache, so that this replica serves and finds it at once rather than at its next copy step.
 */
import type { BadgeClassDocument } from '../../catalogue';
import type { BadgeClassCatalogueRepository, StoredBadgeClassDocument } from '../catalogue-repository';
import type { BadgeClassDocumentWriter } from '../store-port';
import type { PgCatalogueDocuments } from './pg-catalogue-documents';

export interface SharedBadgeClassDocumentsOptions {
  documents: Pick<PgCatalogueDocuments, 'put'>;
  cache: Pick<BadgeClassCatalogueRepository, 'putDocument'>;
}

export class SharedBadgeClassDocuments implements BadgeClassDocumentWriter {
  constructor(private readonly options: SharedBadgeClassDocumentsOptions) {}

  /**
   * 'created' or 'unchanged' as PostgreSQL has it: it resolves once the document is committed there. When the
   * cache's write then fails, this rejects, and the document reaches the cache at the sync's next step.
   */
  async putDocument(stored: StoredBadgeClassDocument, document: BadgeClassDocument): Promise<'created' | 'unchanged'> {
    const outcome = await this.options.documents.put(stored);
    this.options.cache.putDocument(stored, document);
    return outcome;
  }
}
