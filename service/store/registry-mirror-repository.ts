import type { SqliteDatabase } from './database';
import { CatalogueProjection } from './catalogue-projection';
import { prepareCatalogueStatements } from './catalogue-statements';
import type { MemberRevocationsAtHead, MirrorChunk, MirrorCursor, MirrorStart } from './registry-mirror-records';
import { RegistryMirrorProjector } from './registry-mirror-projector';
import { RegistryMirrorQueries } from './registry-mirror-queries';
import { prepareMirrorStatements } from './registry-mirror-statements';

export * from './registry-mirror-records';

/**
 * The mirror of the registry's events (migration 003): the append-only event log, the recent block hashes, the
 * cursor, and projections of members, keys, notaries, anchors, revocations and endorsements that answer the
 * same questions as the contract's views; the badge-class catalogue's events go with them in the same
 * transactions (BadgeClassCatalogueRepository reads them). Writes come from the indexer only (RegistryMirrorProjector); each is
 * one transaction. Reads are RegistryMirrorQueries'; the SQL is in registry-mirror-statements.ts.
 */
export class RegistryMirrorRepository extends RegistryMirrorQueries {
  private readonly projector: RegistryMirrorProjector;

  constructor(private readonly db: SqliteDatabase) {
    const statements = prepareMirrorStatements(db);
    super(statements);
    const catalogue = prepareCatalogueStatements(db);
    this.projector = new RegistryMirrorProjector(db, statements, { projection: new CatalogueProjection(db, catalogue), statements: catalogue });
  }

  /**
   * Member `memberId`'s revoked digests and the indexed block they are true of, read in one transaction: what a
   * status list is built from (with the indexes the notary bound, service/notary/status-lists.ts).
   */
  revocationsAtHead(memberId: number): MemberRevocationsAtHead {
    return this.db.transaction(() => {
      const block = this.statements.headBlock.get();
      const digests = this.statements.revokedDigestsOf.all(memberId).map((row) => row.digest);
      return { digests, ...(block ? { block } : {}) };
    })();
  }

  /** The cursor for `registry` from its deployment block, with the catalogue beside it (see RegistryMirrorProjector.initCursor). */
  initCursor(start: MirrorStart, now: number): MirrorCursor {
    return this.projector.initCursor(start, now);
  }

  /** Applies one indexed chunk in one transaction (see RegistryMirrorProjector.applyChunk). */
  applyChunk(chunk: MirrorChunk, now: number): void {
    this.projector.applyChunk(chunk, now);
  }

  /** Rolls the mirror back to `blockNumber`; returns how many events were removed (see RegistryMirrorProjector.rollbackTo). */
  rollbackTo(blockNumber: number, now: number): number {
    return this.projector.rollbackTo(blockNumber, now);
  }
}
