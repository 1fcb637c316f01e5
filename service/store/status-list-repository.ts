import { statusSlotKey, type StatusSlot } from '../status-list';
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

/**
 * Binds status list indexes to digests in SQLite, inside the caller's transaction: CredentialRepository.insertMany
 * binds a credential's indexes with it.
 */
export class StatusIndexBinder {
  private readonly insert;
  private readonly byIndex;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(
      `INSERT INTO status_list_entries (member_id, list, list_index, digest) VALUES (@memberId, @list, @index, @digest)
       ON CONFLICT (member_id, list, list_index) DO NOTHING`,
    );
    this.byIndex = db.prepare<[number, string, number], { digest: string }>(
      'SELECT digest FROM status_list_entries WHERE member_id = ? AND list = ? AND list_index = ?',
    );
  }

  /**
   * An index already bound to another digest is a StatusIndexTakenError, which rolls the caller's transaction
   * back; the same binding again changes nothing.
   */
  bindMany(bindings: readonly StatusListBinding[]): void {
    for (const binding of bindings) {
      const digest = binding.digest.toLowerCase();
      if (this.insert.run({ ...binding, digest }).changes === 1) continue;
      const bound = this.byIndex.get(binding.memberId, binding.list, binding.index)?.digest;
      if (bound !== digest) throw new StatusIndexTakenError({ ...binding, digest }, bound);
    }
  }
}

/**
 * Status list entries (migration 011), the notary's half of its status lists: which digest holds which index of
 * which list. Which of those digests are revoked is the registry mirror's to say (revocationsAtHead), so
 * service/notary/status-lists.ts builds a list from both: on PostgreSQL they are in two databases.
 */
export class StatusListRepository {
  private readonly byIndex;
  private readonly indexesOfDigests;

  constructor(db: SqliteDatabase) {
    this.byIndex = db.prepare<[number, string, number], { digest: string }>(
      'SELECT digest FROM status_list_entries WHERE member_id = ? AND list = ? AND list_index = ?',
    );
    this.indexesOfDigests = db.prepare<[number, string, string], { list_index: number }>(
      `SELECT list_index FROM status_list_entries
       WHERE member_id = ? AND list = ? AND digest IN (SELECT value FROM json_each(?)) ORDER BY list_index`,
    );
  }

  /** The digests bound to those of `slots` that are bound, keyed by statusSlotKey. */
  async digestsAt(memberId: number, slots: readonly StatusSlot[]): Promise<Map<string, string>> {
    const bound = new Map<string, string>();
    // In-process reads: one indexed lookup per slot costs less than building one query for all.
    for (const slot of slots) {
      const digest = this.byIndex.get(memberId, slot.list, slot.index)?.digest;
      if (digest !== undefined) bound.set(statusSlotKey(slot), digest);
    }
    return bound;
  }

  /** The indexes of member `memberId`'s list `list` bound to any of `digests`, ascending. */
  async indexesOf(memberId: number, list: string, digests: readonly string[]): Promise<number[]> {
    if (digests.length === 0) return [];
    const wanted = JSON.stringify(digests.map((digest) => digest.toLowerCase()));
    return this.indexesOfDigests.all(memberId, list, wanted).map((row) => row.list_index);
  }
}
