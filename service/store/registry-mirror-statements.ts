import { getAddress } from 'ethers';
import { Status, type Endorsement, type Member, type Revocation, type SigningKey, type StatusChange } from '../registry';
import type { SqliteDatabase } from './database';
import type { IndexedBlock, MirrorCursor, MirroredAnchor, MirroredNotary, RegistryEventArg, RegistryEventRecord } from './registry-mirror-records';
import { SQLITE_PERIOD, type MemberPeriodCount, type MemberReasonCount } from './stats-queries';

// The registry mirror's SQL (migration 003): the tables' row shapes, how a row becomes a record, and every
// prepared statement the projector and the queries run.

export interface EventRow {
  block_number: number;
  log_index: number;
  block_hash: string;
  tx_hash: string;
  block_time: number;
  event_name: string;
  args: string;
}

export interface CursorRow {
  registry: string;
  start_block: number;
  last_block: number;
  last_block_hash: string | null;
  updated_at: number;
}

export interface MemberRow {
  id: number;
  did: string;
  controller: string;
  role: number;
  status: number;
  status_since: number;
  metadata_uri: string;
  metadata_hash: string;
}

export interface KeyRow {
  key_hash: string;
  member_id: number;
  valid_from: number;
  valid_until: number;
  revoked: number;
  compromised_at: number;
  public_key: string | null;
}

export interface NotaryRow {
  address: string;
  member_id: number;
  authorised: number;
  position: number | null;
  since: number;
}

export interface AnchorRow {
  root: string;
  member_id: number;
  anchored_at: number;
  block_number: number;
  block_hash: string;
  tx_hash: string;
}

export interface RevocationRow {
  member_id: number;
  digest: string;
  revoked_at: number;
  reason: number;
  block_number: number;
  tx_hash: string;
}

export interface EndorsementRow {
  endorser: number;
  kind: number;
  subject: string;
  claim_uri: string;
  since: number;
  block_number: number;
}

export const eventFromRow = (row: EventRow): RegistryEventRecord => ({
  blockNumber: row.block_number,
  logIndex: row.log_index,
  blockHash: row.block_hash,
  txHash: row.tx_hash,
  blockTime: row.block_time,
  name: row.event_name,
  args: JSON.parse(row.args) as Record<string, RegistryEventArg>,
});

export const cursorFromRow = (row: CursorRow): MirrorCursor => ({
  registry: row.registry,
  startBlock: row.start_block,
  lastBlock: row.last_block,
  lastBlockHash: row.last_block_hash,
  updatedAt: row.updated_at,
});

export const memberFromRow = (row: MemberRow): Member => ({
  id: row.id,
  did: row.did,
  controller: row.controller,
  role: row.role,
  status: row.status,
  statusSince: row.status_since,
  metadataURI: row.metadata_uri,
  metadataHash: row.metadata_hash,
});

export const keyFromRow = (row: KeyRow): SigningKey => ({
  keyHash: row.key_hash,
  memberId: row.member_id,
  validFrom: row.valid_from,
  validUntil: row.valid_until,
  compromisedAt: row.compromised_at,
  revoked: row.revoked === 1,
  ...(row.public_key === null ? {} : { publicKey: row.public_key }),
});

export const notaryFromRow = (row: NotaryRow): MirroredNotary => ({
  address: row.address,
  memberId: row.member_id,
  authorised: row.authorised === 1,
  position: row.position,
  since: row.since,
});

export const anchorFromRow = (row: AnchorRow): MirroredAnchor => ({
  root: row.root,
  memberId: row.member_id,
  anchoredAt: row.anchored_at,
  blockNumber: row.block_number,
  blockHash: row.block_hash,
  txHash: row.tx_hash,
});

export const revocationFromRow = (row: RevocationRow): Revocation => ({
  memberId: row.member_id,
  digest: row.digest,
  revokedAt: row.revoked_at,
  reason: row.reason,
  blockNumber: row.block_number,
  txHash: row.tx_hash,
});

export const endorsementFromRow = (row: EndorsementRow): Endorsement => ({
  endorser: row.endorser,
  kind: row.kind,
  subject: row.subject,
  claimURI: row.claim_uri,
  since: row.since,
  blockNumber: row.block_number,
});

/** A checksummed address, or undefined for something that is not an address. */
export function normaliseAddress(address: string): string | undefined {
  try {
    return getAddress(address);
  } catch {
    return undefined;
  }
}

export const hex = (value: string) => value.toLowerCase();

/** Prepares the mirror's statements on `db`. */
/** A member row that still holds its DID and controller: not a rejected, withdrawn or lapsed application. */
const HOLDS_DID = `status NOT IN (${Status.Rejected}, ${Status.Withdrawn}, ${Status.Lapsed})`;

export function prepareMirrorStatements(db: SqliteDatabase) {
  return {
    cursor: db.prepare<[], CursorRow>('SELECT registry, start_block, last_block, last_block_hash, updated_at FROM registry_cursor WHERE id = 1'),
    insertCursor: db.prepare<[string, number, number, number]>(
      'INSERT INTO registry_cursor (id, registry, start_block, last_block, last_block_hash, updated_at) VALUES (1, ?, ?, ?, NULL, ?)',
    ),
    moveCursor: db.prepare<[number, string | null, number]>('UPDATE registry_cursor SET last_block = ?, last_block_hash = ?, updated_at = ? WHERE id = 1'),
    insertEvent: db.prepare(
      `INSERT INTO registry_events (block_number, log_index, block_hash, tx_hash, block_time, event_name, args)
       VALUES (@blockNumber, @logIndex, @blockHash, @txHash, @blockTime, @name, @args)`,
    ),
    eventPage: db.prepare<[number, number, number], EventRow>(
      `SELECT * FROM registry_events WHERE (block_number, log_index) > (?, ?) ORDER BY block_number, log_index LIMIT ?`,
    ),
    eventRange: db.prepare<[number, number, number], EventRow>(
      'SELECT * FROM registry_events WHERE block_number BETWEEN ? AND ? ORDER BY block_number, log_index LIMIT ?',
    ),
    eventCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM registry_events'),
    deleteEventsAfter: db.prepare<[number]>('DELETE FROM registry_events WHERE block_number > ?'),
    upsertBlock: db.prepare(
      `INSERT INTO registry_blocks (number, hash, parent_hash, time) VALUES (@number, @hash, @parentHash, @time)
       ON CONFLICT (number) DO UPDATE SET hash = excluded.hash, parent_hash = excluded.parent_hash, time = excluded.time`,
    ),
    block: db.prepare<[number], IndexedBlock>('SELECT number, hash, parent_hash AS parentHash, time FROM registry_blocks WHERE number = ?'),
    recentBlocks: db.prepare<[], IndexedBlock>('SELECT number, hash, parent_hash AS parentHash, time FROM registry_blocks ORDER BY number DESC'),
    headBlock: db.prepare<[], { number: number; hash: string; time: number }>(
      'SELECT b.number, b.hash, b.time FROM registry_cursor c JOIN registry_blocks b ON b.number = c.last_block WHERE c.id = 1',
    ),
    pruneBlocks: db.prepare<[number]>('DELETE FROM registry_blocks WHERE number <= ?'),
    deleteBlocksAfter: db.prepare<[number]>('DELETE FROM registry_blocks WHERE number > ?'),
    quorum: db.prepare<[], { args: string }>(
      `SELECT args FROM registry_events WHERE event_name = 'QuorumChanged' ORDER BY block_number DESC, log_index DESC LIMIT 1`,
    ),

    insertMember: db.prepare(
      `INSERT INTO registry_members (id, did, controller, role, status, status_since, metadata_uri, metadata_hash, applied_block)
       VALUES (@id, @did, @controller, @role, ${Status.None}, 0, @metadataURI, @metadataHash, @block)`,
    ),
    setMemberStatus: db.prepare<[number, number, number]>('UPDATE registry_members SET status = ?, status_since = ? WHERE id = ?'),
    pushStatus: db.prepare<[number, number, number, number, number]>(
      `INSERT INTO registry_member_status (member_id, seq, since, status, block_number)
       VALUES (?, (SELECT coalesce(max(seq) + 1, 0) FROM registry_member_status WHERE member_id = ?), ?, ?, ?)`,
    ),
    setMetadata: db.prepare<[string, string, number]>('UPDATE registry_members SET metadata_uri = ?, metadata_hash = ? WHERE id = ?'),
    setController: db.prepare<[string, number]>('UPDATE registry_members SET controller = ? WHERE id = ?'),
    members: db.prepare<[], MemberRow>('SELECT * FROM registry_members ORDER BY id'),
    member: db.prepare<[number], MemberRow>('SELECT * FROM registry_members WHERE id = ?'),
    // A closed application freed its DID and controller (ConfederationRegistry._closeApplication).
    memberByDid: db.prepare<[string], MemberRow>(`SELECT * FROM registry_members WHERE did = ? AND ${HOLDS_DID} ORDER BY id DESC LIMIT 1`),
    memberByController: db.prepare<[string], MemberRow>(
      `SELECT * FROM registry_members WHERE controller = ? AND ${HOLDS_DID} ORDER BY id DESC LIMIT 1`,
    ),
    activeMembers: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM registry_members WHERE status = ${Status.Active}`),
    statusHistory: db.prepare<[number], StatusChange>(
      'SELECT since, status FROM registry_member_status WHERE member_id = ? ORDER BY seq',
    ),
    statusAt: db.prepare<[number, number], { status: number }>(
      'SELECT status FROM registry_member_status WHERE member_id = ? AND since <= ? ORDER BY seq DESC LIMIT 1',
    ),

    insertKey: db.prepare(
      `INSERT INTO registry_keys (key_hash, member_id, valid_from, valid_until, revoked, compromised_at, registered_block)
       VALUES (@keyHash, @memberId, @validFrom, @validUntil, 0, 0, @block)`,
    ),
    revokeKey: db.prepare<[number, string, number]>(
      'UPDATE registry_keys SET revoked = 1, compromised_at = ? WHERE key_hash = ? AND member_id = ?',
    ),
    publishKey: db.prepare<[string, string, number]>('UPDATE registry_keys SET public_key = ? WHERE key_hash = ? AND member_id = ?'),
    key: db.prepare<[string], KeyRow>('SELECT * FROM registry_keys WHERE key_hash = ?'),
    keysOf: db.prepare<[number], KeyRow>('SELECT * FROM registry_keys WHERE member_id = ? ORDER BY registered_block, key_hash'),

    authoriseRevoker: db.prepare('INSERT INTO registry_revokers (member_id, account, since) VALUES (@memberId, @account, @since)'),
    deauthoriseRevoker: db.prepare('DELETE FROM registry_revokers WHERE member_id = @memberId AND account = @account'),
    revokersOf: db.prepare<[number], { account: string }>('SELECT account FROM registry_revokers WHERE member_id = ? ORDER BY since, account'),
    isRevoker: db.prepare<[number, string], { ok: number }>('SELECT 1 AS ok FROM registry_revokers WHERE member_id = ? AND account = ?'),
    authoriseNotary: db.prepare(
      `INSERT INTO registry_notaries (address, member_id, authorised, position, since)
       VALUES (@address, @memberId, 1,
               (SELECT count(*) FROM registry_notaries WHERE member_id = @memberId AND authorised = 1), @since)
       ON CONFLICT (address) DO UPDATE SET
         member_id = excluded.member_id, authorised = 1, position = excluded.position, since = excluded.since`,
    ),
    notary: db.prepare<[string], NotaryRow>('SELECT * FROM registry_notaries WHERE address = ?'),
    lastNotary: db.prepare<[number], NotaryRow>(
      'SELECT * FROM registry_notaries WHERE member_id = ? AND authorised = 1 ORDER BY position DESC LIMIT 1',
    ),
    withdrawNotary: db.prepare<[number, string]>(
      'UPDATE registry_notaries SET authorised = 0, position = NULL, since = ? WHERE address = ?',
    ),
    moveNotary: db.prepare<[number, string]>('UPDATE registry_notaries SET position = ? WHERE address = ?'),
    notariesOf: db.prepare<[number], { address: string }>(
      'SELECT address FROM registry_notaries WHERE member_id = ? AND authorised = 1 ORDER BY position',
    ),

    insertAnchor: db.prepare(
      `INSERT INTO registry_anchors (root, member_id, anchored_at, block_number, block_hash, tx_hash)
       VALUES (@root, @memberId, @anchoredAt, @blockNumber, @blockHash, @txHash)`,
    ),
    anchor: db.prepare<[string], AnchorRow>('SELECT * FROM registry_anchors WHERE root = ?'),
    anchorsPerMemberMonth: db.prepare<[number, number], MemberPeriodCount>(
      `SELECT member_id AS memberId, strftime(${SQLITE_PERIOD.month}, anchored_at, 'unixepoch') AS period, count(*) AS count
       FROM registry_anchors WHERE anchored_at >= ? AND anchored_at < ?
       GROUP BY memberId, period ORDER BY period, memberId`,
    ),

    insertRevocation: db.prepare(
      `INSERT INTO registry_revocations (member_id, digest, revoked_at, reason, block_number, tx_hash)
       VALUES (@memberId, @digest, @revokedAt, @reason, @blockNumber, @txHash)
       ON CONFLICT (member_id, digest) DO NOTHING`,
    ),
    revocation: db.prepare<[number, string], RevocationRow>('SELECT * FROM registry_revocations WHERE member_id = ? AND digest = ?'),
    revocationsOfDigest: db.prepare<[string], RevocationRow>('SELECT * FROM registry_revocations WHERE digest = ? ORDER BY member_id'),
    revocationsPerMemberReason: db.prepare<[], MemberReasonCount>(
      'SELECT member_id AS memberId, reason, count(*) AS count FROM registry_revocations GROUP BY member_id, reason ORDER BY member_id, reason',
    ),
    revokedDigestsOf: db.prepare<[number], { digest: string }>('SELECT digest FROM registry_revocations WHERE member_id = ? ORDER BY digest'),

    putEndorsement: db.prepare(
      `INSERT INTO registry_endorsements (endorser, kind, subject, claim_uri, since, block_number)
       VALUES (@endorser, @kind, @subject, @claimURI, @since, @blockNumber)
       ON CONFLICT (endorser, kind, subject) DO UPDATE SET
         claim_uri = excluded.claim_uri, since = excluded.since, block_number = excluded.block_number`,
    ),
    deleteEndorsement: db.prepare<[number, number, string]>(
      'DELETE FROM registry_endorsements WHERE endorser = ? AND kind = ? AND subject = ?',
    ),
    endorsement: db.prepare<[number, number, string], EndorsementRow>(
      'SELECT * FROM registry_endorsements WHERE endorser = ? AND kind = ? AND subject = ?',
    ),
    endorsementsGiven: db.prepare<[number], EndorsementRow>(
      'SELECT * FROM registry_endorsements WHERE endorser = ? ORDER BY kind, subject',
    ),
    endorsementsOf: db.prepare<[number, string], EndorsementRow>(
      'SELECT * FROM registry_endorsements WHERE kind = ? AND subject = ? ORDER BY endorser',
    ),
  };
}

export type MirrorStatements = ReturnType<typeof prepareMirrorStatements>;
