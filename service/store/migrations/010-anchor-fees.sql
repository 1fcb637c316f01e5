-- Fees of anchor transactions: every signed variant of a batch's anchor (a replacement has the batch's
-- nonce and higher fees) is recorded with its raw form and fees before it is broadcast, and what a mined
-- one paid is kept for the daily spending limit. A variant that another of the same nonce beat is
-- 'replaced'. SQLite cannot change a CHECK, so the table is rebuilt.
CREATE TABLE anchor_transactions_new (
  tx_hash TEXT PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES batches (id),
  nonce INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  outcome TEXT CHECK (outcome IN ('mined', 'dropped', 'reorged', 'failed', 'replaced')),
  -- The signed transaction as broadcast (NULL for one adopted from the chain, or recorded before 007).
  raw TEXT,
  -- Decimal wei: 'eip1559' rows have max_fee_per_gas and max_priority_fee_per_gas, 'legacy' ones gas_price.
  fee_kind TEXT CHECK (fee_kind IN ('eip1559', 'legacy')),
  max_fee_per_gas TEXT,
  max_priority_fee_per_gas TEXT,
  gas_price TEXT,
  gas_limit TEXT,
  -- Once mined: the gas it used and what it paid in all (wei, decimal), and when it was seen mined (ms).
  gas_used TEXT,
  fee_paid TEXT,
  mined_at INTEGER
);
INSERT INTO anchor_transactions_new (tx_hash, batch_id, nonce, sent_at, outcome)
  SELECT tx_hash, batch_id, nonce, sent_at, outcome FROM anchor_transactions;
DROP TABLE anchor_transactions;
ALTER TABLE anchor_transactions_new RENAME TO anchor_transactions;
CREATE INDEX anchor_transactions_by_batch ON anchor_transactions (batch_id);
CREATE INDEX anchor_transactions_by_mined_at ON anchor_transactions (mined_at) WHERE mined_at IS NOT NULL;
