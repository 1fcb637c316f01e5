-- The mirror of the registry (service/indexer): every event it emitted, decoded, in chain order; the hashes of
-- the last indexed blocks, to notice a reorg; the cursor; and projections the read API answers from.
--
-- registry_events is the source of truth: every projection is a fold of it in (block_number, log_index) order,
-- so a rollback deletes the events after a block and rebuilds the projections from what is left. Hashes are
-- lower-case 0x hex, addresses are checksummed, times are unix seconds (block time, as the contract's _time()).
-- uint64 times set by members (key validity windows) are kept exactly in the event's args and, in the
-- projections, capped at 2^53 - 1 (the year 285 million) so that they stay exact JavaScript numbers.

CREATE TABLE registry_events (
  block_number INTEGER NOT NULL,
  -- The log's index in its block.
  log_index INTEGER NOT NULL,
  block_hash TEXT NOT NULL,
  tx_hash TEXT NOT NULL,
  block_time INTEGER NOT NULL,
  event_name TEXT NOT NULL,
  -- The decoded arguments by name: integers of up to 48 bits as JSON numbers, wider ones as decimal strings.
  args TEXT NOT NULL CHECK (json_valid(args)),
  PRIMARY KEY (block_number, log_index)
) WITHOUT ROWID;
CREATE INDEX registry_events_by_name ON registry_events (event_name, block_number, log_index);
CREATE INDEX registry_events_by_tx ON registry_events (tx_hash);

-- The last indexed blocks (a window of the newest ones, events or not), to find the common ancestor after a reorg.
CREATE TABLE registry_blocks (
  number INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  parent_hash TEXT NOT NULL,
  time INTEGER NOT NULL
);

-- How far the mirror goes: every block from start_block to last_block is indexed.
CREATE TABLE registry_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  registry TEXT NOT NULL,
  -- The registry's deployment block.
  start_block INTEGER NOT NULL CHECK (start_block >= 0),
  -- start_block - 1 while nothing is indexed.
  last_block INTEGER NOT NULL CHECK (last_block >= start_block - 1),
  -- NULL while nothing is indexed.
  last_block_hash TEXT,
  updated_at INTEGER NOT NULL,
  CHECK ((last_block_hash IS NULL) = (last_block = start_block - 1))
);

-- Projections. Enum columns hold the contract's enum values (service/registry/enums.ts names them).

CREATE TABLE registry_members (
  id INTEGER PRIMARY KEY,
  did TEXT NOT NULL UNIQUE,
  controller TEXT NOT NULL,
  role INTEGER NOT NULL,
  status INTEGER NOT NULL,
  status_since INTEGER NOT NULL,
  metadata_uri TEXT NOT NULL,
  metadata_hash TEXT NOT NULL,
  applied_block INTEGER NOT NULL
);
CREATE INDEX registry_members_by_controller ON registry_members (controller);

CREATE TABLE registry_member_status (
  member_id INTEGER NOT NULL,
  -- 0, 1, 2, ... in the order of the changes: several changes may share one block time.
  seq INTEGER NOT NULL,
  since INTEGER NOT NULL,
  status INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  PRIMARY KEY (member_id, seq)
) WITHOUT ROWID;

CREATE TABLE registry_keys (
  key_hash TEXT PRIMARY KEY,
  member_id INTEGER NOT NULL,
  valid_from INTEGER NOT NULL,
  -- 0: no planned end.
  valid_until INTEGER NOT NULL,
  revoked INTEGER NOT NULL CHECK (revoked IN (0, 1)),
  -- 0 unless revoked: signatures from this time on are not trusted.
  compromised_at INTEGER NOT NULL,
  registered_block INTEGER NOT NULL
);
CREATE INDEX registry_keys_by_member ON registry_keys (member_id);

-- One row per account that ever notarised; `position` mirrors its place in notariesOf(member_id), swap-and-pop included.
CREATE TABLE registry_notaries (
  address TEXT PRIMARY KEY,
  member_id INTEGER NOT NULL,
  authorised INTEGER NOT NULL CHECK (authorised IN (0, 1)),
  position INTEGER,
  -- Block time of the last authorisation or withdrawal.
  since INTEGER NOT NULL,
  CHECK ((authorised = 1) = (position IS NOT NULL))
);
CREATE UNIQUE INDEX registry_notaries_by_member ON registry_notaries (member_id, position) WHERE authorised = 1;

CREATE TABLE registry_anchors (
  root TEXT PRIMARY KEY,
  member_id INTEGER NOT NULL,
  anchored_at INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  block_hash TEXT NOT NULL,
  tx_hash TEXT NOT NULL
);
CREATE INDEX registry_anchors_by_member ON registry_anchors (member_id, block_number);

-- The first revocation of a digest by a member: the contract keeps the first time and reason, and emits nothing again.
CREATE TABLE registry_revocations (
  member_id INTEGER NOT NULL,
  digest TEXT NOT NULL,
  revoked_at INTEGER NOT NULL,
  reason INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  tx_hash TEXT NOT NULL,
  PRIMARY KEY (member_id, digest)
) WITHOUT ROWID;
CREATE INDEX registry_revocations_by_digest ON registry_revocations (digest);

-- Standing endorsements only: a withdrawn one is deleted (its history stays in registry_events). For kind 0
-- (Member) `subject` is the endorsed member's number as a 32-byte word.
CREATE TABLE registry_endorsements (
  endorser INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  subject TEXT NOT NULL,
  claim_uri TEXT NOT NULL,
  since INTEGER NOT NULL,
  block_number INTEGER NOT NULL,
  PRIMARY KEY (endorser, kind, subject)
) WITHOUT ROWID;
CREATE INDEX registry_endorsements_by_subject ON registry_endorsements (kind, subject);
