/**
 * Copies the class documents of a PostgreSQL deployment into this process's SQLite cache (docs/catalogue.md
 * "Documents on PostgreSQL"): PostgreSQL holds every document uploaded through any replica; the cache's copy is
 * what this replica serves and what its full-text search reads. The process runs step() on a timer.
 */
import { badgeClassId, parseBadgeClass } from '../../catalogue';
import type { BadgeClassCatalogueRepository } from '../catalogue-repository';
import { StoreError } from '../database';
import type { PgCatalogueDocuments, SequencedBadgeClassDocument } from './pg-catalogue-documents';

export interface CatalogueDocumentSyncOptions {
  /** The documents every replica shares. */
  documents: Pick<PgCatalogueDocuments, 'after' | 'classAt'>;
  /** This process's cache (Store.open on its SQLite file: store.badgeClasses). */
  cache: Pick<BadgeClassCatalogueRepository, 'copiedThrough' | 'keepCopies'>;
  /** Documents read and kept per transaction. Default 200. */
  pageSize?: number;
}

/** What one step did. */
export interface DocumentCopyStep {
  /** Documents read from PostgreSQL and kept (or found kept already) in the cache. */
  copied: number;
  /** Of those, the ones the cache did not hold (an upload through this replica is held already). */
  created: number;
  /** The seq the cache has copied through now; 0 while PostgreSQL holds no document. */
  through: number;
  /** The cache's cursor named a document PostgreSQL does not hold at that seq (another or a restored database): copied from the first again. */
  startedOver: boolean;
}

export class CatalogueDocumentSync {
  private readonly pageSize: number;
  private running: Promise<DocumentCopyStep> | undefined;

  constructor(private readonly options: CatalogueDocumentSyncOptions) {
    this.pageSize = options.pageSize ?? 200;
  }

  /**
   * Copies every document stored after the last one the cache copied, a page per cache transaction that also
   * moves the cursor. A step asked while one runs joins it (two would copy the same pages).
   * @throws {StoreError} when a shared document is not the document of its class id (the copy stops before it).
   */
  step(): Promise<DocumentCopyStep> {
    this.running ??= this.copy().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async copy(): Promise<DocumentCopyStep> {
    const { documents, cache } = this.options;
    let cursor = cache.copiedThrough();
    const startedOver = cursor !== undefined && (await documents.classAt(cursor.seq)) !== cursor.classId;
    if (startedOver) cursor = undefined;
    const step: DocumentCopyStep = { copied: 0, created: 0, through: cursor?.seq ?? 0, startedOver };
    for (;;) {
      const page = await documents.after(step.through, this.pageSize);
      if (page.length === 0) return step;
      const last = page[page.length - 1]!;
      step.created += cache.keepCopies(page.map(checkedCopy), { seq: last.seq, classId: last.classId });
      step.copied += page.length;
      step.through = last.seq;
      if (page.length < this.pageSize) return step;
    }
  }
}

/** The shared document, parsed for the cache's search index and checked against its id (it was at upload). */
function checkedCopy(shared: SequencedBadgeClassDocument) {
  let document;
  try {
    document = parseBadgeClass(JSON.parse(shared.canonical));
  } catch (error) {
    throw new StoreError(`the shared document at seq ${shared.seq} (class ${shared.classId}) is not a valid badge class: not copied`, { cause: error });
  }
  const id = badgeClassId(document);
  if (id !== shared.classId.toLowerCase()) {
    throw new StoreError(`the shared document at seq ${shared.seq} is filed under class ${shared.classId}, but its id is ${id}: not copied`);
  }
  const { seq: _seq, ...stored } = shared;
  return { stored, document };
}
