-- Accounts a member lets revoke its credentials (RevokerAuthorised / RevokerDeauthorised), mirrored from
-- the registry like the other projections of migration 003. A withdrawn revoker's row is deleted.
CREATE TABLE registry_revokers (
  member_id INTEGER NOT NULL,
  account TEXT NOT NULL,
  since INTEGER NOT NULL,
  PRIMARY KEY (member_id, account)
);
