-- The keys every process of one notary must share, made once by the first process that needs one: the
-- status-list key (docs/status-list.md), so that the lists any replica serves have one issuer.
-- (PostgreSQL only: on SQLite the key is a file in the data directory, which one process owns.)
CREATE TABLE service_keys (
  name text PRIMARY KEY,
  -- The key as service/credentials/keys.ts exports it (a JWK set in JSON).
  exported text NOT NULL,
  created_at bigint NOT NULL
);
