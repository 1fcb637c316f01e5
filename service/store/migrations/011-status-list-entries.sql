-- W3C Bitstring Status Lists (docs/status-list.md): which credential holds which bit of which of its member's
-- lists, recorded at intake from the credential's signed credentialStatus entry. A list is rebuilt on request from
-- these rows and the registry mirror's revocations (registry_revocations): the chain stays the source of truth.
CREATE TABLE status_list_entries (
  member_id INTEGER NOT NULL,
  list TEXT NOT NULL,
  list_index INTEGER NOT NULL CHECK (list_index >= 0),
  digest TEXT NOT NULL,
  PRIMARY KEY (member_id, list, list_index)
) WITHOUT ROWID;
CREATE INDEX status_list_entries_by_digest ON status_list_entries (digest);
