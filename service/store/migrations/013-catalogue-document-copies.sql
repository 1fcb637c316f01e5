-- How far this database has copied the class documents of a PostgreSQL deployment (issue #13, docs/catalogue.md
-- "Documents on PostgreSQL"). There, PostgreSQL's catalogue_documents is the authority and this SQLite file is a
-- replica's cache: CatalogueDocumentSync copies the documents after `last_seq` into catalogue_documents (and its
-- full-text index) and moves the row in the same transaction, so a restart neither copies twice nor skips one.
-- `last_class_id` is the document at `last_seq`: when PostgreSQL no longer has it there (a database restored
-- from an older backup, or another database), the copy starts again from the first document. One row at most;
-- none on a SQLite-only store, whose documents are uploaded here directly.
CREATE TABLE catalogue_document_copies (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq INTEGER NOT NULL,
  last_class_id TEXT NOT NULL
);
