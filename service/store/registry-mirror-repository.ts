import { getAddress } from 'ethers';
import type { SqliteDatabase } from './database';
import { StoreError } from './database';

/** A decoded argument of a registry event: integers up to 48 bits as numbers, wider ones as decimal strings. */
export type RegistryEventArg = string | number | boolean;

/** One registry event as the mirror keeps it. */
export interface RegistryEventRecord {
  blockNumber: number;
  /** The log's index in its block. */
  logIndex: number;
  blockHash: string;
  txHash: string;
  /** The block's timestamp, unix seconds: the contract's _time() for this event. */
  blockTime: number;
  /** The event's name in IConfederationRegistry, e.g. 'MemberApplied'. */
  name: string;
  args: Readonly<Record<string, RegistryEventArg>>;
}

/** A block the mirror has indexed, kept to find the common ancestor after a reorg. */
export interface IndexedBlock {
  number: number;
  hash: string;
  parentHash: string;
  time: number;
}

/** How far the mirror goes: every block from startBlock to lastBlock is indexed. */
export interface MirrorCursor {
  registry: string;
  startBlock: number;
  /** startBlock - 1 while nothing is indexed. */
  lastBlock: number;
  /** null while nothing is indexed. */
  lastBlockHash: string | null;
  /** When the cursor last moved (ms, the caller's clock). */
  updatedAt: number;
}

/** What one indexing step read for blocks fromBlock..toBlock, applied in one transaction. */
export interface MirrorChunk {
  fromBlock: number;
  toBlock: number;
  /** The registry's events in these blocks, in chain order. */
  events: readonly RegistryEventRecord[];
  /** Hashes of blocks of the chunk to keep for reorg detection; must include toBlock, the new cursor. */
  blocks: readonly IndexedBlock[];
  /** How many of the newest indexed blocks to keep hashes of. */
  keepBlocks: number;
}

/** A member as the registry's getMember shows it. `role` and `status` are the contract's enum values. */
export interface MirroredMember {
  id: number;
  did: string;
  controller: string;
  role: number;
  status: number;
  statusSince: number;
  metadataURI: string;
  metadataHash: string;
}

export interface MirroredStatusChange {
  since: number;
  status: number;
}

/** A signing key as getKey shows it, with its hash. */
export interface MirroredKey {
  keyHash: string;
  memberId: number;
  validFrom: number;
  /** 0: no planned end. */
  validUntil: number;
  /** 0 unless revoked. */
  compromisedAt: number;
  revoked: boolean;
}

export interface MirroredNotary {
  address: string;
  memberId: number;
  authorised: boolean;
  /** Its index in notariesOf(memberId) while authorised, else null. */
  position: number | null;
  /** Block time of its last authorisation or withdrawal. */
  since: number;
}

export interface MirroredAnchor {
  root: string;
  memberId: number;
  anchoredAt: number;
  blockNumber: number;
  blockHash: string;
  txHash: string;
}

export interface MirroredRevocation {
  memberId: number;
  digest: string;
  revokedAt: number;
  reason: number;
  blockNumber: number;
  txHash: string;
}

/** A standing endorsement; `kind` 0 (Member) has the endorsed member's number as a 32-byte `subject`. */
export interface MirroredEndorsement {
  endorser: number;
  kind: number;
  subject: string;
  claimURI: string;
  since: number;
  blockNumber: number;
}

/** The enum value of EndorsementKind.Member. */
export const ENDORSEMENT_OF_MEMBER = 0;

/** Largest time kept in the projections; later uint64 times (beyond the year 285 million) are capped to it. */
const MAX_TIME = BigInt(Number.MAX_SAFE_INTEGER);

/** The projection tables: everything a rollback rebuilds from registry_events. */
const PROJECTIONS = [
  'registry_members',
  'registry_member_status',
  'registry_keys',
  'registry_notaries',
  'registry_revokers',
  'registry_anchors',
  'registry_revocations',
  'registry_endorsements',
] as const;

const REBUILD_PAGE = 1000;

interface EventRow {
  block_number: number;
  log_index: number;
  block_hash: string;
  tx_hash: string;
  block_time: number;
  event_name: string;
  args: string;
}

interface CursorRow {
  registry: string;
  start_block: number;
  last_block: number;
  last_block_hash: string | null;
  updated_at: number;
}

interface MemberRow {
  id: number;
  did: string;
  controller: string;
  role: number;
  status: number;
  status_since: number;
  metadata_uri: string;
  metadata_hash: string;
}

interface KeyRow {
  key_hash: string;
  member_id: number;
  valid_from: number;
  valid_until: number;
  revoked: number;
  compromised_at: number;
}

interface NotaryRow {
  address: string;
  member_id: number;
  authorised: number;
  position: number | null;
  since: number;
}

interface AnchorRow {
  root: string;
  member_id: number;
  anchored_at: number;
  block_number: number;
  block_hash: string;
  tx_hash: string;
}

interface RevocationRow {
  member_id: number;
  digest: string;
  revoked_at: number;
  reason: number;
  block_number: number;
  tx_hash: string;
}

interface EndorsementRow {
  endorser: number;
  kind: number;
  subject: string;
  claim_uri: string;
  since: number;
  block_number: number;
}

const eventFromRow = (row: EventRow): RegistryEventRecord => ({
  blockNumber: row.block_number,
  logIndex: row.log_index,
  blockHash: row.block_hash,
  txHash: row.tx_hash,
  blockTime: row.block_time,
  name: row.event_name,
  args: JSON.parse(row.args) as Record<string, RegistryEventArg>,
});

const cursorFromRow = (row: CursorRow): MirrorCursor => ({
  registry: row.registry,
  startBlock: row.start_block,
  lastBlock: row.last_block,
  lastBlockHash: row.last_block_hash,
  updatedAt: row.updated_at,
});

const memberFromRow = (row: MemberRow): MirroredMember => ({
  id: row.id,
  did: row.did,
  controller: row.controller,
  role: row.role,
  status: row.status,
  statusSince: row.status_since,
  metadataURI: row.metadata_uri,
  metadataHash: row.metadata_hash,
});

const keyFromRow = (row: KeyRow): MirroredKey => ({
  keyHash: row.key_hash,
  memberId: row.member_id,
  validFrom: row.valid_from,
  validUntil: row.valid_until,
  compromisedAt: row.compromised_at,
  revoked: row.revoked === 1,
});

const notaryFromRow = (row: NotaryRow): MirroredNotary => ({
  address: row.address,
  memberId: row.member_id,
  authorised: row.authorised === 1,
  position: row.position,
  since: row.since,
});

const anchorFromRow = (row: AnchorRow): MirroredAnchor => ({
  root: row.root,
  memberId: row.member_id,
  anchoredAt: row.anchored_at,
  blockNumber: row.block_number,
  blockHash: row.block_hash,
  txHash: row.tx_hash,
});

const revocationFromRow = (row: RevocationRow): MirroredRevocation => ({
  memberId: row.member_id,
  digest: row.digest,
  revokedAt: row.revoked_at,
  reason: row.reason,
  blockNumber: row.block_number,
  txHash: row.tx_hash,
});

const endorsementFromRow = (row: EndorsementRow): MirroredEndorsement => ({
  endorser: row.endorser,
  kind: row.kind,
  subject: row.subject,
  claimURI: row.claim_uri,
  since: row.since,
  blockNumber: row.block_number,
});

/** The 32-byte `subject` of an endorsement of member `memberId`. */
export function memberSubject(memberId: number): string {
  return `0x${memberId.toString(16).padStart(64, '0')}`;
}

/** A checksummed address, or undefined for something that is not an address. */
function normaliseAddress(address: string): string | undefined {
  try {
    return getAddress(address);
  } catch {
    return undefined;
  }
}

const hex = (value: string) => value.toLowerCase();

/** Reads an event argument, failing loudly when the stored event does not have the shape its name promises. */
function arg(event: RegistryEventRecord, name: string): RegistryEventArg {
  const value = event.args[name];
  if (value === undefined) {
    throw new StoreError(`event ${event.name} at block ${event.blockNumber} log ${event.logIndex} has no argument "${name}"`);
  }
  return value;
}

function int(event: RegistryEventRecord, name: string): number {
  const value = arg(event, name);
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new StoreError(`event ${event.name} at block ${event.blockNumber}: "${name}" is ${JSON.stringify(value)}, not a small integer`);
  }
  return value;
}

function text(event: RegistryEventRecord, name: string): string {
  const value = arg(event, name);
  if (typeof value !== 'string') {
    throw new StoreError(`event ${event.name} at block ${event.blockNumber}: "${name}" is ${JSON.stringify(value)}, not text`);
  }
  return value;
}

/** A uint64 time argument, capped at MAX_TIME. */
function time(event: RegistryEventRecord, name: string): number {
  const value = arg(event, name);
  if (typeof value === 'boolean' || (typeof value === 'string' && !/^[0-9]+$/.test(value))) {
    throw new StoreError(`event ${event.name} at block ${event.blockNumber}: "${name}" is ${JSON.stringify(value)}, not a time`);
  }
  const big = BigInt(value);
  return Number(big > MAX_TIME ? MAX_TIME : big);
}

/**
 * The mirror of the registry's events (migration 003): the append-only event log, the recent block hashes, the
 * cursor, and projections of members, keys, notaries, anchors, revocations and endorsements that answer the
 * same questions as the contract's views. Writes come from the indexer only; each is one transaction.
 */
export class RegistryMirrorRepository {
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = {
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
      pruneBlocks: db.prepare<[number]>('DELETE FROM registry_blocks WHERE number <= ?'),
      deleteBlocksAfter: db.prepare<[number]>('DELETE FROM registry_blocks WHERE number > ?'),
      quorum: db.prepare<[], { args: string }>(
        `SELECT args FROM registry_events WHERE event_name = 'QuorumChanged' ORDER BY block_number DESC, log_index DESC LIMIT 1`,
      ),

      insertMember: db.prepare(
        `INSERT INTO registry_members (id, did, controller, role, status, status_since, metadata_uri, metadata_hash, applied_block)
         VALUES (@id, @did, @controller, @role, 0, 0, @metadataURI, @metadataHash, @block)`,
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
      memberByDid: db.prepare<[string], MemberRow>('SELECT * FROM registry_members WHERE did = ?'),
      memberByController: db.prepare<[string], MemberRow>('SELECT * FROM registry_members WHERE controller = ?'),
      activeMembers: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM registry_members WHERE status = 2'),
      statusHistory: db.prepare<[number], MirroredStatusChange>(
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
      key: db.prepare<[string], KeyRow>('SELECT * FROM registry_keys WHERE key_hash = ?'),
      keysOf: db.prepare<[number], KeyRow>('SELECT * FROM registry_keys WHERE member_id = ? ORDER BY registered_block, key_hash'),
      keyValidAt: db.prepare<{ memberId: number; keyHash: string; time: number }, { ok: number }>(
        // The contract's isKeyValidAt: validFrom inclusive, validUntil (0: none) and compromisedAt exclusive.
        `SELECT 1 AS ok FROM registry_keys
         WHERE key_hash = @keyHash AND member_id = @memberId AND @memberId != 0
           AND @time >= valid_from
           AND (valid_until = 0 OR @time < valid_until)
           AND (revoked = 0 OR @time < compromised_at)`,
      ),

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

      insertRevocation: db.prepare(
        `INSERT INTO registry_revocations (member_id, digest, revoked_at, reason, block_number, tx_hash)
         VALUES (@memberId, @digest, @revokedAt, @reason, @blockNumber, @txHash)
         ON CONFLICT (member_id, digest) DO NOTHING`,
      ),
      revocation: db.prepare<[number, string], RevocationRow>('SELECT * FROM registry_revocations WHERE member_id = ? AND digest = ?'),
      revocationsOfDigest: db.prepare<[string], RevocationRow>('SELECT * FROM registry_revocations WHERE digest = ? ORDER BY member_id'),

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

  // ------------------------------------------------------------------------------------------------------
  // Writes (the indexer's)
  // ------------------------------------------------------------------------------------------------------

  /**
   * The cursor for `registry` from its deployment block: created on first use, checked afterwards. A database
   * that mirrors another registry, or the same one from another block, is refused (StoreError).
   */
  initCursor(start: { registry: string; startBlock: number }, now: number): MirrorCursor {
    return this.db.transaction(() => {
      const existing = this.cursor();
      const registry = normaliseAddress(start.registry);
      if (registry === undefined) throw new StoreError(`"${start.registry}" is not a registry address`);
      if (existing === undefined) {
        this.statements.insertCursor.run(registry, start.startBlock, start.startBlock - 1, now);
        return this.cursor()!;
      }
      if (existing.registry !== registry || existing.startBlock !== start.startBlock) {
        throw new StoreError(
          `this database mirrors the registry ${existing.registry} from block ${existing.startBlock}, ` +
            `not ${registry} from block ${start.startBlock}: use another database`,
        );
      }
      return existing;
    })();
  }

  /**
   * Applies one chunk in one transaction: its events (appended and projected), its block hashes, the cursor
   * moved to chunk.toBlock, and the block hashes older than the newest `keepBlocks` pruned. The chunk must
   * start right after the cursor, so that applying it twice, or with a gap, fails instead of corrupting.
   */
  applyChunk(chunk: MirrorChunk, now: number): void {
    this.db.transaction(() => {
      const cursor = this.requireCursor();
      if (chunk.fromBlock !== cursor.lastBlock + 1) {
        throw new StoreError(
          `a chunk from block ${chunk.fromBlock} does not follow the mirror, which ends at block ${cursor.lastBlock}: expected ${cursor.lastBlock + 1}`,
        );
      }
      if (chunk.toBlock < chunk.fromBlock) throw new StoreError(`an empty chunk: blocks ${chunk.fromBlock} to ${chunk.toBlock}`);
      const edge = chunk.blocks.find((block) => block.number === chunk.toBlock);
      if (edge === undefined) throw new StoreError(`the chunk to block ${chunk.toBlock} lacks that block's hash`);

      const events = [...chunk.events].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
      for (const event of events) {
        if (event.blockNumber < chunk.fromBlock || event.blockNumber > chunk.toBlock) {
          throw new StoreError(`an event of block ${event.blockNumber} in the chunk of blocks ${chunk.fromBlock} to ${chunk.toBlock}`);
        }
        const record = { ...event, blockHash: hex(event.blockHash), txHash: hex(event.txHash) };
        this.statements.insertEvent.run({ ...record, args: JSON.stringify(record.args) });
        this.project(record);
      }
      for (const block of chunk.blocks) {
        if (block.number < chunk.fromBlock || block.number > chunk.toBlock) {
          throw new StoreError(`block ${block.number} is outside the chunk of blocks ${chunk.fromBlock} to ${chunk.toBlock}`);
        }
        this.statements.upsertBlock.run({ ...block, hash: hex(block.hash), parentHash: hex(block.parentHash) });
      }
      this.statements.pruneBlocks.run(chunk.toBlock - Math.max(1, chunk.keepBlocks));
      this.statements.moveCursor.run(chunk.toBlock, hex(edge.hash), now);
    })();
  }

  /**
   * Rolls the mirror back to `blockNumber` (the common ancestor after a reorg, or startBlock - 1 to start over)
   * in one transaction: deletes the events and block hashes after it, moves the cursor there and rebuilds the
   * projections from the events that are left. The block's hash must be stored, unless it is startBlock - 1.
   * Returns how many events were removed.
   */
  rollbackTo(blockNumber: number, now: number): number {
    return this.db.transaction(() => {
      const cursor = this.requireCursor();
      if (blockNumber >= cursor.lastBlock) return 0;
      if (blockNumber < cursor.startBlock - 1) {
        throw new StoreError(`cannot roll back to block ${blockNumber}: the mirror starts at block ${cursor.startBlock}`);
      }
      let hash: string | null = null;
      if (blockNumber >= cursor.startBlock) {
        const block = this.statements.block.get(blockNumber);
        if (block === undefined) throw new StoreError(`cannot roll back to block ${blockNumber}: its hash is not kept`);
        hash = block.hash;
      }
      const removed = this.statements.deleteEventsAfter.run(blockNumber).changes;
      this.statements.deleteBlocksAfter.run(blockNumber);
      this.statements.moveCursor.run(blockNumber, hash, now);
      if (removed > 0) this.rebuildProjections();
      return removed;
    })();
  }

  /** Recomputes every projection from the event log, in chain order. */
  private rebuildProjections(): void {
    for (const table of PROJECTIONS) this.db.prepare(`DELETE FROM ${table}`).run();
    let after = { block: -1, index: -1 };
    for (;;) {
      const page = this.statements.eventPage.all(after.block, after.index, REBUILD_PAGE);
      if (page.length === 0) return;
      for (const row of page) this.project(eventFromRow(row));
      const last = page[page.length - 1];
      after = { block: last.block_number, index: last.log_index };
    }
  }

  /** Folds one event into the projections, as the contract changed its state when it emitted it. */
  private project(event: RegistryEventRecord): void {
    const s = this.statements;
    const at = { blockNumber: event.blockNumber, blockHash: event.blockHash, txHash: event.txHash };
    switch (event.name) {
      case 'MemberApplied':
        s.insertMember.run({
          id: int(event, 'memberId'),
          did: text(event, 'did'),
          controller: text(event, 'controller'),
          role: int(event, 'role'),
          metadataURI: text(event, 'metadataURI'),
          metadataHash: hex(text(event, 'metadataHash')),
          block: event.blockNumber,
        });
        return;
      case 'MemberStatusChanged': {
        const memberId = int(event, 'memberId');
        const status = int(event, 'current');
        s.setMemberStatus.run(status, event.blockTime, memberId);
        s.pushStatus.run(memberId, memberId, event.blockTime, status, event.blockNumber);
        return;
      }
      case 'MemberMetadataUpdated':
        s.setMetadata.run(text(event, 'metadataURI'), hex(text(event, 'metadataHash')), int(event, 'memberId'));
        return;
      case 'ControllerChanged':
        s.setController.run(text(event, 'current'), int(event, 'memberId'));
        return;
      case 'SigningKeyRegistered':
        s.insertKey.run({
          keyHash: hex(text(event, 'keyHash')),
          memberId: int(event, 'memberId'),
          validFrom: time(event, 'validFrom'),
          validUntil: time(event, 'validUntil'),
          block: event.blockNumber,
        });
        return;
      case 'SigningKeyRevoked':
        s.revokeKey.run(time(event, 'compromisedAt'), hex(text(event, 'keyHash')), int(event, 'memberId'));
        return;
      case 'NotaryAuthorised':
        s.authoriseNotary.run({ address: text(event, 'notary'), memberId: int(event, 'memberId'), since: event.blockTime });
        return;
      case 'NotaryDeauthorised':
        this.withdrawNotary(int(event, 'memberId'), text(event, 'notary'), event.blockTime);
        return;
      case 'RevokerAuthorised':
        s.authoriseRevoker.run({ memberId: int(event, 'memberId'), account: text(event, 'account'), since: event.blockTime });
        return;
      case 'RevokerDeauthorised':
        s.deauthoriseRevoker.run({ memberId: int(event, 'memberId'), account: text(event, 'account') });
        return;
      case 'RootAnchored':
        s.insertAnchor.run({ ...at, root: hex(text(event, 'root')), memberId: int(event, 'memberId'), anchoredAt: event.blockTime });
        return;
      case 'CredentialRevoked':
        s.insertRevocation.run({
          ...at,
          memberId: int(event, 'memberId'),
          digest: hex(text(event, 'digest')),
          revokedAt: event.blockTime,
          reason: int(event, 'reason'),
        });
        return;
      case 'EndorsementGiven':
        s.putEndorsement.run({
          endorser: int(event, 'endorser'),
          kind: int(event, 'kind'),
          subject: hex(text(event, 'subject')),
          claimURI: text(event, 'claimURI'),
          since: event.blockTime,
          blockNumber: event.blockNumber,
        });
        return;
      case 'EndorsementWithdrawn':
        s.deleteEndorsement.run(int(event, 'endorser'), int(event, 'kind'), hex(text(event, 'subject')));
        return;
      default:
        // ProposalApproved and QuorumChanged live in the event log only.
        return;
    }
  }

  /** The contract's swap-and-pop: the member's last notary takes the place of the one withdrawn. */
  private withdrawNotary(memberId: number, address: string, at: number): void {
    const s = this.statements;
    const removed = s.notary.get(address);
    if (removed === undefined || removed.authorised !== 1 || removed.member_id !== memberId) {
      throw new StoreError(`NotaryDeauthorised for ${address} of member ${memberId}, which the mirror does not have as its notary`);
    }
    const last = s.lastNotary.get(memberId)!;
    s.withdrawNotary.run(at, address);
    if (last.address !== address) s.moveNotary.run(removed.position!, last.address);
  }

  private requireCursor(): MirrorCursor {
    const cursor = this.cursor();
    if (cursor === undefined) throw new StoreError('the registry mirror has no cursor yet: initCursor first');
    return cursor;
  }

  // ------------------------------------------------------------------------------------------------------
  // Reads
  // ------------------------------------------------------------------------------------------------------

  cursor(): MirrorCursor | undefined {
    const row = this.statements.cursor.get();
    return row && cursorFromRow(row);
  }

  /** The last indexed block, or undefined while nothing is indexed. */
  indexedHead(): number | undefined {
    const cursor = this.cursor();
    return cursor === undefined || cursor.lastBlockHash === null ? undefined : cursor.lastBlock;
  }

  /** The kept block hashes, newest first. */
  recentBlocks(): IndexedBlock[] {
    return this.statements.recentBlocks.all();
  }

  /** The mirrored events of blocks fromBlock..toBlock, in chain order. */
  events(options: { fromBlock?: number; toBlock?: number; limit?: number } = {}): RegistryEventRecord[] {
    return this.statements.eventRange
      .all(options.fromBlock ?? 0, options.toBlock ?? Number.MAX_SAFE_INTEGER, options.limit ?? 1000)
      .map(eventFromRow);
  }

  eventCount(): number {
    return this.statements.eventCount.get()!.n;
  }

  /** The quorum as of the indexed head, or undefined before the deployment is indexed. */
  quorum(): number | undefined {
    const row = this.statements.quorum.get();
    return row && (JSON.parse(row.args) as { current: number }).current;
  }

  activeMemberCount(): number {
    return this.statements.activeMembers.get()!.n;
  }

  members(): MirroredMember[] {
    return this.statements.members.all().map(memberFromRow);
  }

  member(id: number): MirroredMember | undefined {
    const row = this.statements.member.get(id);
    return row && memberFromRow(row);
  }

  memberByDid(did: string): MirroredMember | undefined {
    const row = this.statements.memberByDid.get(did);
    return row && memberFromRow(row);
  }

  memberByController(controller: string): MirroredMember | undefined {
    const address = normaliseAddress(controller);
    const row = address === undefined ? undefined : this.statements.memberByController.get(address);
    return row && memberFromRow(row);
  }

  /** A member's status changes, oldest first (empty for an unknown member). */
  statusHistory(memberId: number): MirroredStatusChange[] {
    return this.statements.statusHistory.all(memberId);
  }

  /** The member's status at `time` (unix seconds): the last change at or before it, None (0) before any. */
  statusAt(memberId: number, time: number): number {
    return this.statements.statusAt.get(memberId, time)?.status ?? 0;
  }

  key(keyHash: string): MirroredKey | undefined {
    const row = this.statements.key.get(hex(keyHash));
    return row && keyFromRow(row);
  }

  keysOf(memberId: number): MirroredKey[] {
    return this.statements.keysOf.all(memberId).map(keyFromRow);
  }

  /** As the contract's isKeyValidAt: validFrom inclusive; validUntil (0: none) and compromisedAt exclusive. */
  isKeyValidAt(memberId: number, keyHash: string, time: number): boolean {
    return this.statements.keyValidAt.get({ memberId, keyHash: hex(keyHash), time }) !== undefined;
  }

  /** The member's authorised notaries, in the contract's order (notariesOf). */
  notariesOf(memberId: number): string[] {
    return this.statements.notariesOf.all(memberId).map((row) => row.address);
  }

  /** The accounts the member lets revoke its credentials, oldest first. */
  revokersOf(memberId: number): string[] {
    return this.statements.revokersOf.all(memberId).map((row) => row.account);
  }

  /** Whether `account` may revoke member `memberId`'s credentials as a revoker (the contract's isRevoker). */
  isRevoker(memberId: number, account: string): boolean {
    const normalised = normaliseAddress(account);
    return normalised !== undefined && this.statements.isRevoker.get(memberId, normalised) !== undefined;
  }

  /** An account's notary record, authorised or withdrawn. */
  notary(address: string): MirroredNotary | undefined {
    const normalised = normaliseAddress(address);
    const row = normalised === undefined ? undefined : this.statements.notary.get(normalised);
    return row && notaryFromRow(row);
  }

  /** The member `address` notarises for, or 0 (the contract's notaryMember). */
  notaryMember(address: string): number {
    const record = this.notary(address);
    return record?.authorised ? record.memberId : 0;
  }

  anchor(root: string): MirroredAnchor | undefined {
    const row = this.statements.anchor.get(hex(root));
    return row && anchorFromRow(row);
  }

  revocation(memberId: number, digest: string): MirroredRevocation | undefined {
    const row = this.statements.revocation.get(memberId, hex(digest));
    return row && revocationFromRow(row);
  }

  /** Every member's revocation of `digest` (normally only its issuer's). */
  revocationsOfDigest(digest: string): MirroredRevocation[] {
    return this.statements.revocationsOfDigest.all(hex(digest)).map(revocationFromRow);
  }

  endorsement(endorser: number, kind: number, subject: string): MirroredEndorsement | undefined {
    const row = this.statements.endorsement.get(endorser, kind, hex(subject));
    return row && endorsementFromRow(row);
  }

  /** The standing endorsements member `memberId` gives, of members and of badge classes. */
  endorsementsGiven(memberId: number): MirroredEndorsement[] {
    return this.statements.endorsementsGiven.all(memberId).map(endorsementFromRow);
  }

  /** The standing endorsements of member `memberId` by other members. */
  endorsementsReceived(memberId: number): MirroredEndorsement[] {
    return this.endorsementsOf(ENDORSEMENT_OF_MEMBER, memberSubject(memberId));
  }

  /** The standing endorsements of one subject (a member as a 32-byte number, or a badge class hash). */
  endorsementsOf(kind: number, subject: string): MirroredEndorsement[] {
    return this.statements.endorsementsOf.all(kind, hex(subject)).map(endorsementFromRow);
  }
}
