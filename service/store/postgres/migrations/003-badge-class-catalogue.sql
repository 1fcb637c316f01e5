-- The twin of SQLite's migration 012 (service/store/migrations/012-badge-class-catalogue.sql, docs/catalogue.md):
-- the mirror of the badge-class catalogue's events beside the registry's, and the class documents this notary
-- holds. Only the tables: no PostgreSQL store reads or writes them yet, and its full-text index (a tsvector with
-- a GIN index, in place of SQLite's FTS5 table catalogue_search) comes with that store.

-- The catalogue the mirror follows; NULL when the deployment names none.
ALTER TABLE registry_cursor ADD COLUMN catalogue text;

CREATE TABLE catalogue_events (
  block_number bigint NOT NULL,
  log_index bigint NOT NULL,
  block_hash text NOT NULL,
  tx_hash text NOT NULL,
  block_time bigint NOT NULL,
  event_name text NOT NULL,
  args text NOT NULL CHECK ((args::jsonb) IS NOT NULL),
  PRIMARY KEY (block_number, log_index)
);

CREATE TABLE catalogue_classes (
  class_id text PRIMARY KEY,
  publisher bigint NOT NULL,
  published_at bigint NOT NULL,
  uri text NOT NULL,
  supersedes text,
  superseded_by text,
  block_number bigint NOT NULL,
  log_index bigint NOT NULL
);
CREATE INDEX catalogue_classes_by_publication ON catalogue_classes (block_number DESC, log_index DESC);

CREATE TABLE catalogue_adoptions (
  class_id text NOT NULL,
  member_id bigint NOT NULL,
  since bigint NOT NULL,
  block_number bigint NOT NULL,
  PRIMARY KEY (class_id, member_id)
);
CREATE INDEX catalogue_adoptions_by_member ON catalogue_adoptions (member_id);

CREATE TABLE catalogue_documents (
  class_id text PRIMARY KEY,
  canonical text NOT NULL CHECK ((canonical::jsonb) IS NOT NULL),
  uploaded_by bigint NOT NULL,
  uploaded_at bigint NOT NULL
);
