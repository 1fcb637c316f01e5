-- The class documents shared by every replica (issue #13, docs/catalogue.md "Documents on PostgreSQL"):
-- PostgreSQL's catalogue_documents is the authority, and each replica copies the documents into its own SQLite
-- cache, whose full-text index its search reads (so no tsvector here). `seq` is the order documents were stored
-- in: a replica asks for the documents after the last seq it copied. PgCatalogueDocuments.put stores one at a
-- time (a transaction-scoped advisory lock), so a seq is visible only after every smaller one is: a replica that
-- saw seq N has seen all below N, and never skips a document committed late.
ALTER TABLE catalogue_documents ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE catalogue_documents ADD CONSTRAINT catalogue_documents_seq_unique UNIQUE (seq);
