import type { BadgeClassDocument, BadgeClassId, BadgeClassRecord, Framework } from '../catalogue';
import { StoreError, type SqliteDatabase } from './database';
import { prepareCatalogueStatements, type CatalogueStatements, type ClassRow } from './catalogue-statements';

/** A class as a listing shows it: the catalogue's record and, when this notary holds it, the document. */
export interface CatalogueEntry {
  record: BadgeClassRecord;
  document: BadgeClassDocument | undefined;
}

/** What GET /v1/badge-classes filters on; every field is optional and they combine with AND. */
export interface CatalogueSearch {
  /** Words (each a prefix) that must all occur in the name, description, criteria (it or en) or the alignments. */
  words?: readonly string[];
  framework?: Framework;
  /** A level name of the class's scheme, compared without regard to ASCII case. */
  level?: string;
  /** A member number that adopts the class now. */
  adoptedBy?: number;
  limit: number;
  offset: number;
}

/** A stored class document: its canonical JSON (the bytes its id hashes), who uploaded it and when (ms). */
export interface StoredBadgeClassDocument {
  classId: BadgeClassId;
  canonical: string;
  uploadedBy: number;
  uploadedAt: number;
}

/** Where a copy of the shared documents stands: the last document copied, by its seq there and its class. */
export interface DocumentCopyCursor {
  seq: number;
  classId: BadgeClassId;
}

/**
 * The badge-class catalogue (migration 012): the records the indexer mirrors from the catalogue contract
 * (written by RegistryMirrorProjector, in the registry mirror's transactions) and the class documents uploaded to
 * this notary, with their full-text index. It is the BadgeClassCatalogueMirror of service/notary/ports.ts.
 */
export class BadgeClassCatalogueRepository {
  private readonly statements: CatalogueStatements;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = prepareCatalogueStatements(db);
  }

  /** The catalogue contract the mirror follows; null when the deployment names none (or before the indexer ran). */
  catalogueAddress(): string | null {
    return this.statements.catalogue.get()?.catalogue ?? null;
  }

  /** The class as the catalogue contract records it; undefined for a class never published (or not mirrored yet). */
  badgeClass(classId: BadgeClassId): BadgeClassRecord | undefined {
    const row = this.statements.badgeClass.get(classId.toLowerCase());
    return row && this.recordOf(row);
  }

  /** The class document whose id is `classId`, when the notary holds it. */
  document(classId: BadgeClassId): BadgeClassDocument | undefined {
    const stored = this.storedDocument(classId);
    return stored && (JSON.parse(stored.canonical) as BadgeClassDocument);
  }

  storedDocument(classId: BadgeClassId): StoredBadgeClassDocument | undefined {
    const row = this.statements.document.get(classId.toLowerCase());
    return row && { classId: row.class_id as BadgeClassId, canonical: row.canonical, uploadedBy: row.uploaded_by, uploadedAt: row.uploaded_at };
  }

  /**
   * Keeps a document (checked by the caller: `canonical` is its RFC 8785 JSON and `classId` its keccak-256) and
   * indexes it for search. 'unchanged' when the notary held it already.
   */
  putDocument(stored: StoredBadgeClassDocument, document: BadgeClassDocument): 'created' | 'unchanged' {
    return this.db.transaction(() => {
      const classId = stored.classId.toLowerCase();
      const existing = this.statements.document.get(classId);
      if (existing !== undefined) {
        if (existing.canonical !== stored.canonical) throw new StoreError(`class ${classId} is held with another document: its id cannot be its hash`);
        return 'unchanged' as const;
      }
      const { lastInsertRowid } = this.statements.insertDocument.run({ ...stored, classId });
      this.statements.indexDocument.run({ rowid: lastInsertRowid, ...searchText(document) });
      return 'created' as const;
    })();
  }

  /**
   * How far this cache has copied the documents of a PostgreSQL deployment (CatalogueDocumentSync, migration 013):
   * the seq of the last document copied and its class; undefined before the first copy.
   */
  copiedThrough(): DocumentCopyCursor | undefined {
    const row = this.statements.copyCursor.get();
    return row && { seq: row.last_seq, classId: row.last_class_id as BadgeClassId };
  }

  /**
   * Keeps documents copied from the shared store (each as putDocument keeps it) and moves the copy cursor to
   * `through`, in one transaction: a crash copies them again or not at all. How many were new here.
   */
  keepCopies(copies: readonly { stored: StoredBadgeClassDocument; document: BadgeClassDocument }[], through: DocumentCopyCursor): number {
    return this.db.transaction(() => {
      const created = copies.filter(({ stored, document }) => this.putDocument(stored, document) === 'created').length;
      this.statements.setCopyCursor.run(through.seq, through.classId.toLowerCase());
      return created;
    })();
  }

  /**
   * The published classes that match, newest publication first, or best match first when words are given.
   * Without words, framework or level, a published class whose document this notary does not hold is listed too.
   */
  search(query: CatalogueSearch): CatalogueEntry[] {
    const where: string[] = [];
    const parameters: Record<string, string | number> = { limit: query.limit, offset: query.offset };
    let from = 'catalogue_classes c LEFT JOIN catalogue_documents d ON d.class_id = c.class_id';
    let order = 'c.block_number DESC, c.log_index DESC';
    if (query.words !== undefined && query.words.length > 0) {
      from = 'catalogue_search JOIN catalogue_documents d ON d.rowid = catalogue_search.rowid JOIN catalogue_classes c ON c.class_id = d.class_id';
      where.push('catalogue_search MATCH @match');
      parameters.match = query.words.map((word) => `"${word.replaceAll('"', '""')}"*`).join(' ');
      order = `catalogue_search.rank, ${order}`;
    }
    if (query.framework !== undefined) {
      where.push(`EXISTS (SELECT 1 FROM json_each(d.canonical, '$.alignments') WHERE json_extract(value, '$.framework') = @framework)`);
      parameters.framework = query.framework;
    }
    if (query.level !== undefined) {
      where.push(`EXISTS (SELECT 1 FROM json_each(d.canonical, '$.levels') WHERE lower(json_extract(value, '$.name')) = lower(@level))`);
      parameters.level = query.level;
    }
    if (query.adoptedBy !== undefined) {
      where.push('EXISTS (SELECT 1 FROM catalogue_adoptions a WHERE a.class_id = c.class_id AND a.member_id = @adoptedBy)');
      parameters.adoptedBy = query.adoptedBy;
    }
    const sql =
      `SELECT c.*, d.canonical FROM ${from}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY ${order} LIMIT @limit OFFSET @offset`;
    const rows = this.db.prepare<[Record<string, string | number>], ClassRow & { canonical: string | null }>(sql).all(parameters);
    return rows.map((row) => ({
      record: this.recordOf(row),
      document: row.canonical === null ? undefined : (JSON.parse(row.canonical) as BadgeClassDocument),
    }));
  }

  /**
   * The versions of the class's chain, the first version first: from `classId` back through `supersedes` and
   * forward through `supersededBy`. Empty for a class never published.
   */
  versionChain(classId: BadgeClassId): BadgeClassRecord[] {
    const start = this.badgeClass(classId);
    if (start === undefined) return [];
    const older: BadgeClassRecord[] = [];
    const seen = new Set<string>([start.classId]);
    for (let id = start.supersedes; id !== null && !seen.has(id); ) {
      const record = this.badgeClass(id);
      if (record === undefined) break;
      seen.add(id);
      older.unshift(record);
      id = record.supersedes;
    }
    const newer: BadgeClassRecord[] = [];
    for (let id = start.supersededBy; id !== null && !seen.has(id); ) {
      const record = this.badgeClass(id);
      if (record === undefined) break;
      seen.add(id);
      newer.push(record);
      id = record.supersededBy;
    }
    return [...older, start, ...newer];
  }

  /** The classes that at least one member adopts, most adopters first, with their documents when held. */
  adoptedClasses(): (CatalogueEntry & { adopterCount: number })[] {
    return this.statements.adoptedClasses.all().map((row) => ({
      record: this.recordOf(row),
      document: this.document(row.class_id as BadgeClassId),
      adopterCount: row.adopters,
    }));
  }

  /** How many classes are published, and how many documents this notary holds. */
  counts(): { published: number; documents: number } {
    return { published: this.statements.classCount.get()!.n, documents: this.statements.documentCount.get()!.n };
  }

  /** How many catalogue events the mirror holds. */
  eventCount(): number {
    return this.statements.eventCount.get()!.n;
  }

  private recordOf(row: ClassRow): BadgeClassRecord {
    return {
      classId: row.class_id as BadgeClassId,
      publisher: row.publisher,
      publishedAt: row.published_at,
      uri: row.uri,
      supersedes: row.supersedes as BadgeClassId | null,
      supersededBy: row.superseded_by as BadgeClassId | null,
      adopters: this.statements.adopters.all(row.class_id).map((adopter) => adopter.member_id),
    };
  }
}

/** The columns of catalogue_search: both languages of each text, and each alignment's framework, code and name. */
function searchText(document: BadgeClassDocument): { name: string; description: string; criteria: string; alignments: string } {
  const both = (text: { it: string; en: string }) => `${text.it}\n${text.en}`;
  return {
    name: both(document.name),
    description: both(document.description),
    criteria: both(document.criteria),
    alignments: document.alignments.map((a) => `${a.framework} ${a.targetCode} ${a.targetName}`).join('\n'),
  };
}
