import { NotaryError } from '../errors';
import type { SqliteDatabase } from './database';

/**
 * An index already bound to another credential, met while writing: intake checks before, so only two requests
 * racing for one index get here. Its code is the one intake refuses such an entry with.
 */
export class StatusIndexTakenError extends NotaryError<{ memberId: number; list: string; index: number; digest: string }> {
  override name = 'StatusIndexTakenError';
  constructor(binding: StatusListBinding, bound: string | undefined) {
    super('status-index-taken', `index ${binding.index} of member ${binding.memberId}'s status list ${binding.list} already belongs to credential ${bound}`, {
      details: binding,
    });
  }
}

/** One bit of a member's status list, bound to the credential that carries the entry. */
export interface StatusListBinding {
  memberId: number;
  list: string;
  index: number;
  digest: string;
}

/** A list as the mirror has it now: the revoked indexes, and the indexed block they are true of. */
export interface StatusListSnapshot {
  revoked: number[];
  /** The mirror's last indexed block; undefined while nothing is indexed. */
  block?: { number: number; hash: string; time: number };
}

/**
 * Status list entries (migration 011): which digest holds which index of which list, and the lists rebuilt from
 * them and the registry mirror's revocations.
 */
export class StatusListRepository {
  private readonly insert;
  private readonly byIndex;
  private readonly revokedOf;
  private readonly lastBlock;

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(
      `INSERT INTO status_list_entries (member_id, list, list_index, digest) VALUES (@memberId, @list, @index, @digest)
       ON CONFLICT (member_id, list, list_index) DO NOTHING`,
    );
    this.byIndex = db.prepare<[number, string, number], { digest: string }>(
      'SELECT digest FROM status_list_entries WHERE member_id = ? AND list = ? AND list_index = ?',
    );
    this.revokedOf = db.prepare<[number, string], { list_index: number }>(
      `SELECT e.list_index FROM status_list_entries e
       JOIN registry_revocations r ON r.member_id = e.member_id AND r.digest = e.digest
       WHERE e.member_id = ? AND e.list = ? ORDER BY e.list_index`,
    );
    this.lastBlock = db.prepare<[], { number: number; hash: string; time: number }>(
      `SELECT b.number, b.hash, b.time FROM registry_cursor c JOIN registry_blocks b ON b.number = c.last_block WHERE c.id = 1`,
    );
  }

  /** The digest bound to an index, if any. */
  digestAt(memberId: number, list: string, index: number): string | undefined {
    return this.byIndex.get(memberId, list, index)?.digest;
  }

  /**
   * Binds indexes to digests (inside the caller's transaction, when there is one). An index already bound to
   * another digest is a StatusIndexTakenError, which rolls the transaction back; the same binding again changes nothing.
   */
  bindMany(bindings: readonly StatusListBinding[]): void {
    this.db.transaction(() => {
      for (const binding of bindings) {
        const digest = binding.digest.toLowerCase();
        if (this.insert.run({ ...binding, digest }).changes === 1) continue;
        const bound = this.digestAt(binding.memberId, binding.list, binding.index);
        if (bound !== digest) throw new StatusIndexTakenError({ ...binding, digest }, bound);
      }
    })();
  }

  /** The list's revoked indexes and the block the mirror stands at, read together. */
  snapshot(memberId: number, list: string): StatusListSnapshot {
    return this.db.transaction(() => {
      const block = this.lastBlock.get();
      return { revoked: this.revokedOf.all(memberId, list).map((row) => row.list_index), ...(block ? { block } : {}) };
    })();
  }
}
