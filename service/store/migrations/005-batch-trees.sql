-- Batch trees in their own table. In `batches` the tree (about 64 bytes a leaf: 640 KiB for 10,000) sat
-- before the state columns, so reading a batch's state walked the tree's overflow pages: most of a receipt
-- lookup's time. Batches now hold only their state; a tree is read when a proof is needed, and only then.
CREATE TABLE batch_trees (
  batch_id INTEGER PRIMARY KEY REFERENCES batches (id),
  tree BLOB NOT NULL
);
INSERT INTO batch_trees (batch_id, tree) SELECT id, tree FROM batches;
ALTER TABLE batches DROP COLUMN tree;
