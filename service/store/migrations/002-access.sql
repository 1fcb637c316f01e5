-- Who may write: API clients of a member (the seeds' roles inside an organisation), and the revocations
-- they asked for.

CREATE TABLE api_clients (
  id TEXT PRIMARY KEY,
  member_id INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
  label TEXT NOT NULL,
  -- sha256 of the client's secret; the secret itself is shown once, at creation, and never stored.
  secret_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT,
  revoked_at INTEGER
);
CREATE INDEX api_clients_by_member ON api_clients (member_id);

CREATE TABLE revocation_requests (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL,
  -- JSON array of the digests to revoke.
  digests TEXT NOT NULL,
  reason INTEGER NOT NULL CHECK (reason BETWEEN 0 AND 255),
  requested_by TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'submitted', 'mined', 'failed')),
  tx_hash TEXT,
  block_number INTEGER,
  error TEXT
);
CREATE INDEX revocation_requests_by_state ON revocation_requests (state, id);
