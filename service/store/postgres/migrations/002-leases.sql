-- The leases of service/leadership: which of several processes sealing and anchoring holds the right to
-- (PostgreSQL only: on SQLite one process owns the data directory, by its lock file).
CREATE TABLE leases (
  name text PRIMARY KEY,
  holder text,
  -- The fencing token: one more at every change of holder.
  token bigint NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL DEFAULT '-infinity'
);
