-- Intake queue, batches and their anchoring state machine.

-- The chain and registry this database belongs to. A database never follows another chain: the service
-- refuses to start, or (for the embedded throw-away chain) starts a fresh database, when they differ.
CREATE TABLE chain_binding (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  chain_id INTEGER NOT NULL,
  registry TEXT NOT NULL,
  deployment_block INTEGER NOT NULL,
  deployment_block_hash TEXT NOT NULL,
  bound_at INTEGER NOT NULL
);

CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  root TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL CHECK (size > 0),
  -- The whole tree (every layer), from which any proof is read in O(log N): O(N) space.
  tree BLOB NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('sealed', 'submitted', 'confirmed', 'final')),
  sealed_at INTEGER NOT NULL,
  state_changed_at INTEGER NOT NULL,
  -- The transaction that anchors the root: set in 'submitted', kept through 'final'.
  tx_hash TEXT,
  tx_nonce INTEGER,
  -- Where the anchor landed: set in 'confirmed' and 'final'.
  block_number INTEGER,
  block_hash TEXT,
  anchored_at INTEGER,
  anchored_by INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  CHECK (state = 'sealed' OR tx_hash IS NOT NULL),
  CHECK (state IN ('sealed', 'submitted') OR (block_number IS NOT NULL AND block_hash IS NOT NULL AND anchored_at IS NOT NULL))
);
CREATE INDEX batches_by_state ON batches (state, id);

-- Every transaction sent for a batch, so that a restart or a reorg can tell what happened to each.
CREATE TABLE anchor_transactions (
  tx_hash TEXT PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES batches (id),
  nonce INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  outcome TEXT CHECK (outcome IN ('mined', 'dropped', 'reorged', 'failed'))
);
CREATE INDEX anchor_transactions_by_batch ON anchor_transactions (batch_id);

-- Credentials acknowledged by intake. A credential is in the queue while batch_id is NULL.
CREATE TABLE credentials (
  digest TEXT PRIMARY KEY,
  member_id INTEGER NOT NULL,
  issuer_did TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  format TEXT NOT NULL,
  -- The exact signed artifact (compact JWS, or the JSON text as received).
  artifact TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  batch_id INTEGER REFERENCES batches (id),
  leaf_index INTEGER,
  CHECK ((batch_id IS NULL) = (leaf_index IS NULL))
);
CREATE INDEX credentials_queue ON credentials (received_at, digest) WHERE batch_id IS NULL;
CREATE UNIQUE INDEX credentials_by_leaf ON credentials (batch_id, leaf_index) WHERE batch_id IS NOT NULL;
CREATE INDEX credentials_by_member ON credentials (member_id, received_at);
