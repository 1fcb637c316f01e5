-- The badge-class catalogue (issue #11, docs/catalogue.md): the mirror of the catalogue contract's events, kept
-- beside the registry's and moved by the same cursor, and the class documents this notary holds.
--
-- catalogue_events is the source of truth of the catalogue's projections (catalogue_classes, catalogue_adoptions),
-- as registry_events is of the registry's: the indexer appends both in the same chunk transaction, and a rollback
-- deletes both after the common ancestor and rebuilds the projections. The documents are not chain state: an
-- upload is kept whatever the chain does, and a rollback never touches it.

-- The catalogue the mirror follows: NULL when the deployment record names none (then the catalogue tables stay
-- empty). A change of address makes the indexer start the mirror over from the registry's deployment block.
ALTER TABLE registry_cursor ADD COLUMN catalogue TEXT;

CREATE TABLE catalogue_events (
  block_number INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  block_hash TEXT NOT NULL,
  tx_hash TEXT NOT NULL,
  block_time INTEGER NOT NULL,
  event_name TEXT NOT NULL,
  args TEXT NOT NULL CHECK (json_valid(args)),
  PRIMARY KEY (block_number, log_index)
) WITHOUT ROWID;

-- One row per published class (BadgeClassPublished), its version links set by BadgeClassSuperseded.
CREATE TABLE catalogue_classes (
  class_id TEXT PRIMARY KEY,
  publisher INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  uri TEXT NOT NULL,
  supersedes TEXT,
  superseded_by TEXT,
  block_number INTEGER NOT NULL,
  log_index INTEGER NOT NULL
);
CREATE INDEX catalogue_classes_by_publication ON catalogue_classes (block_number DESC, log_index DESC);

-- Standing adoptions only: a withdrawn one is deleted (its history stays in catalogue_events).
CREATE TABLE catalogue_adoptions (
  class_id TEXT NOT NULL,
  member_id INTEGER NOT NULL,
  since INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  PRIMARY KEY (class_id, member_id)
) WITHOUT ROWID;
CREATE INDEX catalogue_adoptions_by_member ON catalogue_adoptions (member_id);

-- The class documents uploaded to this notary (PUT /v1/badge-classes/{id}/document), each checked against its
-- id: `canonical` is its RFC 8785 JSON, whose keccak-256 is class_id. A document may be held before its class
-- is published.
CREATE TABLE catalogue_documents (
  class_id TEXT PRIMARY KEY,
  canonical TEXT NOT NULL CHECK (json_valid(canonical)),
  uploaded_by INTEGER NOT NULL,
  uploaded_at INTEGER NOT NULL
);

-- Full-text search over the documents: the name, description and criteria in Italian and English, and the
-- alignments' framework codes and names. unicode61 with diacritics removed, so "capacita" finds "capacità".
-- The rowid is the catalogue_documents rowid.
CREATE VIRTUAL TABLE catalogue_search USING fts5(
  name, description, criteria, alignments,
  tokenize = 'unicode61 remove_diacritics 2'
);
