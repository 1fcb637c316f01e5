import { StoreError, type SqliteDatabase } from './database';
import type { CatalogueProjection } from './catalogue-projection';
import type { CatalogueStatements } from './catalogue-statements';
import type { MirrorChunk, MirrorCursor, MirrorStart, RegistryEventArg, RegistryEventRecord } from './registry-mirror-records';
import { cursorFromRow, eventFromRow, hex, normaliseAddress, type MirrorStatements } from './registry-mirror-statements';

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
 * Applies the indexer's chunks to the registry mirror: appends the events, folds each into the projections
 * (members, keys, notaries, anchors, revocations, endorsements) as the contract changed its state when it
 * emitted it, moves the cursor, and rolls back after a reorg. Each write is one transaction.
 */
export class RegistryMirrorProjector {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly statements: MirrorStatements,
    private readonly catalogue: { projection: CatalogueProjection; statements: CatalogueStatements },
  ) {}

  /**
   * The cursor for `registry` from its deployment block: created on first use, checked afterwards. A database
   * that mirrors another registry, or the same one from another block, is refused (StoreError). The catalogue
   * is followed beside it: when its address differs from the one the mirror followed (a deployment record that
   * gained a catalogue, a database written before catalogues existed), the mirror starts over from the
   * deployment block, so that it sees the catalogue's events from the start.
   */
  initCursor(start: MirrorStart, now: number): MirrorCursor {
    return this.db.transaction(() => {
      const existing = this.cursor();
      const registry = normaliseAddress(start.registry);
      if (registry === undefined) throw new StoreError(`"${start.registry}" is not a registry address`);
      const catalogue = start.catalogue === undefined || start.catalogue === null ? null : normaliseAddress(start.catalogue);
      if (catalogue === undefined) throw new StoreError(`"${start.catalogue}" is not a catalogue address`);
      if (existing === undefined) {
        this.statements.insertCursor.run(registry, start.startBlock, start.startBlock - 1, now);
        this.catalogue.statements.setCatalogue.run(catalogue);
        return this.cursor()!;
      }
      if (existing.registry !== registry || existing.startBlock !== start.startBlock) {
        throw new StoreError(
          `this database mirrors the registry ${existing.registry} from block ${existing.startBlock}, ` +
            `not ${registry} from block ${start.startBlock}: use another database`,
        );
      }
      if (this.catalogue.statements.catalogue.get()?.catalogue !== catalogue) {
        this.rollbackTo(existing.startBlock - 1, now);
        this.catalogue.statements.setCatalogue.run(catalogue);
        return this.cursor()!;
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
      const catalogueEvents = [...(chunk.catalogueEvents ?? [])].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
      if (catalogueEvents.length > 0 && this.catalogue.statements.catalogue.get()?.catalogue == null) {
        throw new StoreError('a chunk with catalogue events for a mirror that follows no catalogue');
      }
      for (const event of catalogueEvents) {
        if (event.blockNumber < chunk.fromBlock || event.blockNumber > chunk.toBlock) {
          throw new StoreError(`a catalogue event of block ${event.blockNumber} in the chunk of blocks ${chunk.fromBlock} to ${chunk.toBlock}`);
        }
        this.catalogue.projection.append({ ...event, blockHash: hex(event.blockHash), txHash: hex(event.txHash) });
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
   * in one transaction: deletes the events (the registry's and the catalogue's) and block hashes after it, moves
   * the cursor there and rebuilds the projections from the events that are left. The block's hash must be stored, unless it is startBlock - 1.
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
      return removed + this.catalogue.projection.rollbackTo(blockNumber);
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
      case 'SigningKeyPublished':
        s.publishKey.run(hex(text(event, 'publicKey')), hex(text(event, 'keyHash')), int(event, 'memberId'));
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

  private cursor(): MirrorCursor | undefined {
    const row = this.statements.cursor.get();
    return row && cursorFromRow(row);
  }
}
