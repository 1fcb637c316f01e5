import { StoreError, type SqliteDatabase } from './database';
import type { RegistryEventRecord } from './registry-mirror-records';
import type { CatalogueStatements } from './catalogue-statements';

const REBUILD_PAGE = 1000;

/**
 * Folds the catalogue contract's events (IBadgeClassCatalogue) into catalogue_classes and catalogue_adoptions, as
 * the contract changed its state when it emitted them. It runs inside the registry mirror's transactions
 * (RegistryMirrorProjector): the two mirrors share one cursor and one set of kept block hashes, so a reorg rolls
 * both back to the same block.
 */
export class CatalogueProjection {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly statements: CatalogueStatements,
  ) {}

  /** Appends the event to catalogue_events and projects it. */
  append(event: RegistryEventRecord): void {
    this.statements.insertEvent.run({ ...event, args: JSON.stringify(event.args) });
    this.project(event);
  }

  /** Deletes the events after `blockNumber` and, when there were any, rebuilds the projections; returns how many. */
  rollbackTo(blockNumber: number): number {
    const removed = this.statements.deleteEventsAfter.run(blockNumber).changes;
    if (removed > 0) this.rebuild();
    return removed;
  }

  /** Recomputes the projections from catalogue_events, in chain order. */
  private rebuild(): void {
    this.db.prepare('DELETE FROM catalogue_adoptions').run();
    this.db.prepare('DELETE FROM catalogue_classes').run();
    let after = { block: -1, index: -1 };
    for (;;) {
      const page = this.statements.eventPage.all(after.block, after.index, REBUILD_PAGE);
      if (page.length === 0) return;
      for (const row of page) {
        this.project({
          blockNumber: row.block_number,
          logIndex: row.log_index,
          blockHash: row.block_hash,
          txHash: row.tx_hash,
          blockTime: row.block_time,
          name: row.event_name,
          args: JSON.parse(row.args) as RegistryEventRecord['args'],
        });
      }
      const last = page[page.length - 1];
      after = { block: last.block_number, index: last.log_index };
    }
  }

  private project(event: RegistryEventRecord): void {
    const s = this.statements;
    switch (event.name) {
      case 'BadgeClassPublished':
        s.insertClass.run({
          classId: classIdArg(event, 'classId'),
          publisher: memberArg(event, 'publisher'),
          publishedAt: event.blockTime,
          uri: textArg(event, 'uri'),
          blockNumber: event.blockNumber,
          logIndex: event.logIndex,
        });
        return;
      case 'BadgeClassSuperseded': {
        // The contract emits BadgeClassPublished for the new version first, then this.
        const old = classIdArg(event, 'classId');
        const next = classIdArg(event, 'newClassId');
        if (s.badgeClass.get(old) === undefined || s.badgeClass.get(next) === undefined) {
          throw new StoreError(`BadgeClassSuperseded at block ${event.blockNumber} links ${old} to ${next}, which the mirror does not both have`);
        }
        s.setSupersededBy.run(next, old);
        s.setSupersedes.run(old, next);
        return;
      }
      case 'BadgeClassAdopted':
        s.adopt.run({ classId: classIdArg(event, 'classId'), memberId: memberArg(event, 'memberId'), since: event.blockTime, blockNumber: event.blockNumber });
        return;
      case 'BadgeClassAdoptionWithdrawn':
        s.withdraw.run(classIdArg(event, 'classId'), memberArg(event, 'memberId'));
        return;
      default:
        throw new StoreError(`"${event.name}" at block ${event.blockNumber} is no event of the badge-class catalogue`);
    }
  }
}

function textArg(event: RegistryEventRecord, name: string): string {
  const value = event.args[name];
  if (typeof value !== 'string') throw new StoreError(`event ${event.name} at block ${event.blockNumber}: "${name}" is ${JSON.stringify(value)}, not text`);
  return value;
}

function classIdArg(event: RegistryEventRecord, name: string): string {
  const value = textArg(event, name).toLowerCase();
  if (!/^0x[0-9a-f]{64}$/.test(value)) throw new StoreError(`event ${event.name} at block ${event.blockNumber}: "${name}" is ${value}, not a class id`);
  return value;
}

function memberArg(event: RegistryEventRecord, name: string): number {
  const value = event.args[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new StoreError(`event ${event.name} at block ${event.blockNumber}: "${name}" is ${JSON.stringify(value)}, not a member number`);
  }
  return value;
}
