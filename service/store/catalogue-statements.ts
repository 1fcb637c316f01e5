import type { SqliteDatabase } from './database';
import type { EventRow } from './registry-mirror-statements';

// The badge-class catalogue's SQL (migrations 012 and 013): its tables' row shapes and every prepared statement the
// projection, the document store and the queries run.

export interface ClassRow {
  class_id: string;
  publisher: number;
  published_at: number;
  uri: string;
  supersedes: string | null;
  superseded_by: string | null;
  block_number: number;
  log_index: number;
}

export interface DocumentRow {
  rowid: number;
  class_id: string;
  canonical: string;
  uploaded_by: number;
  uploaded_at: number;
}

export function prepareCatalogueStatements(db: SqliteDatabase) {
  return {
    catalogue: db.prepare<[], { catalogue: string | null }>('SELECT catalogue FROM registry_cursor WHERE id = 1'),
    setCatalogue: db.prepare<[string | null]>('UPDATE registry_cursor SET catalogue = ? WHERE id = 1'),

    insertEvent: db.prepare(
      `INSERT INTO catalogue_events (block_number, log_index, block_hash, tx_hash, block_time, event_name, args)
       VALUES (@blockNumber, @logIndex, @blockHash, @txHash, @blockTime, @name, @args)`,
    ),
    eventPage: db.prepare<[number, number, number], EventRow>(
      'SELECT * FROM catalogue_events WHERE (block_number, log_index) > (?, ?) ORDER BY block_number, log_index LIMIT ?',
    ),
    eventCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM catalogue_events'),
    deleteEventsAfter: db.prepare<[number]>('DELETE FROM catalogue_events WHERE block_number > ?'),

    insertClass: db.prepare(
      `INSERT INTO catalogue_classes (class_id, publisher, published_at, uri, supersedes, superseded_by, block_number, log_index)
       VALUES (@classId, @publisher, @publishedAt, @uri, NULL, NULL, @blockNumber, @logIndex)`,
    ),
    setSupersededBy: db.prepare<[string, string]>('UPDATE catalogue_classes SET superseded_by = ? WHERE class_id = ?'),
    setSupersedes: db.prepare<[string, string]>('UPDATE catalogue_classes SET supersedes = ? WHERE class_id = ?'),
    adopt: db.prepare('INSERT INTO catalogue_adoptions (class_id, member_id, since, block_number) VALUES (@classId, @memberId, @since, @blockNumber)'),
    withdraw: db.prepare<[string, number]>('DELETE FROM catalogue_adoptions WHERE class_id = ? AND member_id = ?'),

    badgeClass: db.prepare<[string], ClassRow>('SELECT * FROM catalogue_classes WHERE class_id = ?'),
    adopters: db.prepare<[string], { member_id: number }>('SELECT member_id FROM catalogue_adoptions WHERE class_id = ? ORDER BY member_id'),
    classCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM catalogue_classes'),
    adoptedClasses: db.prepare<[], ClassRow & { adopters: number }>(
      `SELECT c.*, count(*) AS adopters FROM catalogue_classes c JOIN catalogue_adoptions a ON a.class_id = c.class_id
       GROUP BY c.class_id ORDER BY adopters DESC, c.block_number, c.log_index`,
    ),

    insertDocument: db.prepare('INSERT INTO catalogue_documents (class_id, canonical, uploaded_by, uploaded_at) VALUES (@classId, @canonical, @uploadedBy, @uploadedAt)'),
    indexDocument: db.prepare('INSERT INTO catalogue_search (rowid, name, description, criteria, alignments) VALUES (@rowid, @name, @description, @criteria, @alignments)'),
    document: db.prepare<[string], DocumentRow>('SELECT rowid, * FROM catalogue_documents WHERE class_id = ?'),
    documentCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM catalogue_documents'),

    copyCursor: db.prepare<[], { last_seq: number; last_class_id: string }>('SELECT last_seq, last_class_id FROM catalogue_document_copies WHERE id = 1'),
    setCopyCursor: db.prepare<[number, string]>(
      `INSERT INTO catalogue_document_copies (id, last_seq, last_class_id) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq, last_class_id = excluded.last_class_id`,
    ),
  };
}

export type CatalogueStatements = ReturnType<typeof prepareCatalogueStatements>;
