-- A rejected, withdrawn or lapsed application frees its DID and controller (issue #17): a later application may
-- take them, so the mirror keeps several members with one DID and looks up the one that still holds it.
CREATE TABLE registry_members_new (
  id INTEGER PRIMARY KEY,
  did TEXT NOT NULL,
  controller TEXT NOT NULL,
  role INTEGER NOT NULL,
  status INTEGER NOT NULL,
  status_since INTEGER NOT NULL,
  metadata_uri TEXT NOT NULL,
  metadata_hash TEXT NOT NULL,
  applied_block INTEGER NOT NULL
);
INSERT INTO registry_members_new SELECT id, did, controller, role, status, status_since, metadata_uri, metadata_hash, applied_block
  FROM registry_members;
DROP TABLE registry_members;
ALTER TABLE registry_members_new RENAME TO registry_members;
CREATE INDEX registry_members_by_controller ON registry_members (controller);
CREATE INDEX registry_members_by_did ON registry_members (did);
