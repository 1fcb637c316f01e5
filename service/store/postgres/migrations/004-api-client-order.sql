-- The order API clients were made in, within one millisecond: SQLite's rowid gives it, PostgreSQL needs a column
-- (PgClientRepository.listForMember orders by created_at, seq).
ALTER TABLE api_clients ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
