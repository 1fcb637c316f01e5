/**
 * The class documents in PostgreSQL, the authority every replica copies from (docs/catalogue.md "Documents on
 * PostgreSQL"): the same keeping rules as BadgeClassCatalogueRepository.putDocument, and the documents in the
 * order they were stored (`seq`, migration 005) for CatalogueDocumentSync.
 */
import type { BadgeClassId } from '../../catalogue';
import type { StoredBadgeClassDocument } from '../catalogue-repository';
import { StoreError } from '../database';
import type { PgDatabase } from './pg-database';

/** A stored document and its place in the order documents were stored in. */
export interface SequencedBadgeClassDocument extends StoredBadgeClassDocument {
  seq: number;
}

interface DocumentRow {
  seq: number;
  class_id: string;
  canonical: string;
  uploaded_by: number;
  uploaded_at: number;
}

/**
 * The transaction-scoped advisory lock that makes documents be stored one at a time: any constant the service
 * uses for nothing else (migrate.ts takes another).
 */
const STORING_LOCK = 4_702_118_313;

export class PgCatalogueDocuments {
  constructor(private readonly db: PgDatabase) {}

  /**
   * Keeps a document (checked by the caller: `canonical` is its RFC 8785 JSON and `classId` its keccak-256):
   * 'created', or 'unchanged' when it was held already. Resolves once it is committed.
   * @throws {StoreError} when the class is held with other bytes (its id cannot be their hash).
   */
  async put(stored: StoredBadgeClassDocument): Promise<'created' | 'unchanged'> {
    const classId = stored.classId.toLowerCase();
    let held = await this.canonicalOf(classId);
    if (held === undefined) {
      const created = await this.db.transaction(async (client) => {
        // One writer at a time, until it commits: a seq is taken and committed before the next is taken, so a
        // reader that sees seq N sees every document below N. Without it, an upload that took seq 5 and committed
        // after one that took seq 6 would be skipped by a replica that copied 6 in between. Uploads are rare.
        await client.query('SELECT pg_advisory_xact_lock($1)', [STORING_LOCK]);
        const { rowCount } = await client.query(
          `INSERT INTO catalogue_documents (class_id, canonical, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (class_id) DO NOTHING`,
          [classId, stored.canonical, stored.uploadedBy, stored.uploadedAt],
        );
        return rowCount === 1;
      });
      if (created) return 'created';
      // Another writer stored it in between.
      held = await this.canonicalOf(classId);
    }
    if (held !== stored.canonical) throw new StoreError(`class ${classId} is held with another document: its id cannot be its hash`);
    return 'unchanged';
  }

  /** The document of `classId`, when held. */
  async get(classId: BadgeClassId): Promise<SequencedBadgeClassDocument | undefined> {
    const { rows } = await this.db.query<DocumentRow>('SELECT seq, class_id, canonical, uploaded_by, uploaded_at FROM catalogue_documents WHERE class_id = $1', [
      classId.toLowerCase(),
    ]);
    return rows[0] && documentOf(rows[0]);
  }

  /** At most `limit` documents whose seq is above `seq`, in seq order (`after(0, n)`: from the first). */
  async after(seq: number, limit: number): Promise<SequencedBadgeClassDocument[]> {
    const { rows } = await this.db.query<DocumentRow>(
      'SELECT seq, class_id, canonical, uploaded_by, uploaded_at FROM catalogue_documents WHERE seq > $1 ORDER BY seq LIMIT $2',
      [seq, limit],
    );
    return rows.map(documentOf);
  }

  /** The class of the document stored at `seq`; undefined when none is. */
  async classAt(seq: number): Promise<BadgeClassId | undefined> {
    const { rows } = await this.db.query<{ class_id: string }>('SELECT class_id FROM catalogue_documents WHERE seq = $1', [seq]);
    return rows[0]?.class_id as BadgeClassId | undefined;
  }

  private async canonicalOf(classId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ canonical: string }>('SELECT canonical FROM catalogue_documents WHERE class_id = $1', [classId]);
    return rows[0]?.canonical;
  }
}

function documentOf(row: DocumentRow): SequencedBadgeClassDocument {
  return { seq: row.seq, classId: row.class_id as BadgeClassId, canonical: row.canonical, uploadedBy: row.uploaded_by, uploadedAt: row.uploaded_at };
}
